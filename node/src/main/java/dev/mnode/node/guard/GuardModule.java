package dev.mnode.node.guard;

import java.util.ArrayList;
import java.util.List;

/** Builds the guard's implementations; the only place that constructs them. */
public final class GuardModule {
  /**
   * Regions whose national phone numbers (written without a country code) are recognised by
   * default. Numbers in international form are recognised for every region.
   */
  public static final List<String> DEFAULT_PHONE_REGIONS = List.of("US", "GB", "DE", "FR");

  private static final Redactor DEFAULT = redactor(DEFAULT_PHONE_REGIONS);

  private GuardModule() {}

  /** The redactor with every detector and the {@link #DEFAULT_PHONE_REGIONS}. Thread-safe. */
  public static Redactor redactor() {
    return DEFAULT;
  }

  /**
   * The redactor with every detector, recognising national phone numbers of {@code
   * phoneRegions} (ISO 3166 codes such as {@code "US"}). Thread-safe.
   *
   * @throws IllegalArgumentException if a region is unknown to libphonenumber
   */
  public static Redactor redactor(List<String> phoneRegions) {
    // Most specific first: on overlap the earlier detector's span wins.
    List<Detector> detectors = new ArrayList<>();
    detectors.add(new PrivateKeyDetector());
    detectors.add(new JwtDetector());
    detectors.addAll(TokenRules.providers());
    detectors.addAll(TokenRules.generic());
    detectors.add(new IbanDetector());
    detectors.add(new CardDetector());
    detectors.add(new EmailDetector());
    detectors.add(new PhoneDetector(phoneRegions));
    return new RedactorImpl(detectors);
  }
}
