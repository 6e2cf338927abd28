package dev.mnode.node.pair;

import dev.mnode.node.pair.PairingException.Reason;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One open invitation to pair: a code, the classes it grants and how long it lives. It dies at the
 * first of: one device paired with it, its time to live passed (by the injected {@link Clock}),
 * {@value #MAX_FAILED_ATTEMPTS} failed attempts, or {@link #cancel()}. Its {@link #outcome()}
 * completes then, once.
 *
 * <p>An attempt is counted from the moment the member has sent its PAKE rounds (from then on the
 * joiner holds a run it could have guessed in) until it ends; attempts in flight count against the
 * limit too, so parallel runs cannot exceed {@value #MAX_FAILED_ATTEMPTS} guesses. A run that breaks
 * before the member answered (garbage, a closed stream) costs nothing.
 *
 * <p>Thread-safe: every state change holds this object's lock.
 */
public final class PairingOffer {
  /** Failed attempts after which the offer closes: three online guesses in 2^26 codes. */
  public static final int MAX_FAILED_ATTEMPTS = 3;
  /** The longest time to live. */
  public static final Duration MAX_TTL = Duration.ofHours(24);

  private final PairingCode code;
  private final List<String> classes;
  private final Instant expiresAt;
  private final Clock clock;
  private final CompletableFuture<PairingOutcome> outcome = new CompletableFuture<>();

  // Guarded by this.
  private int failed;
  private int inFlight;
  private boolean claimed;

  PairingOffer(PairingCode code, List<String> classes, Duration ttl, Clock clock) {
    if (ttl.isNegative() || ttl.isZero() || ttl.compareTo(MAX_TTL) > 0) {
      throw new IllegalArgumentException("ttl must be positive and at most " + MAX_TTL + ", is " + ttl);
    }
    this.code = code;
    this.classes = List.copyOf(classes);
    this.clock = clock;
    this.expiresAt = clock.instant().plus(ttl);
  }

  /** Returns the code to show to the user. */
  public PairingCode code() {
    return code;
  }

  /** Returns the classes the offer grants. */
  public List<String> classes() {
    return classes;
  }

  /** Returns when the offer expires. */
  public Instant expiresAt() {
    return expiresAt;
  }

  /** Returns the failed attempts so far. */
  public synchronized int failedAttempts() {
    return failed;
  }

  /** Returns whether a device proved the code (the offer is then used up). */
  public synchronized boolean isUsed() {
    return claimed;
  }

  /** Returns whether a new attempt could start now; expires the offer if its time has come. */
  public boolean isOpen() {
    expireIfDue();
    return !outcome.isDone() && canStart();
  }

  /**
   * Returns the offer's final outcome: {@link PairingOutcome.Success} or a {@link
   * PairingOutcome.Failure} with EXPIRED, CLOSED (failed attempts, or the admitted device never
   * acknowledged), CANCELLED or REFUSED.
   */
  public CompletableFuture<PairingOutcome> outcome() {
    return outcome;
  }

  /**
   * Waits up to {@code maxWait} for the outcome, expiring the offer if its time passed meanwhile;
   * returns empty if it is still open. Blocks the calling thread.
   */
  public Optional<PairingOutcome> awaitOutcome(Duration maxWait) throws InterruptedException {
    try {
      return Optional.of(outcome.get(maxWait.toMillis(), TimeUnit.MILLISECONDS));
    } catch (TimeoutException e) {
      expireIfDue();
      return Optional.ofNullable(outcome.getNow(null));
    } catch (ExecutionException e) {
      throw new IllegalStateException("a pairing outcome never completes exceptionally", e);
    }
  }

  /** Expires the offer if its time to live has passed and nobody is mid-run. */
  public synchronized void expireIfDue() {
    if (!claimed && !outcome.isDone() && !clock.instant().isBefore(expiresAt)) {
      end(new PairingOutcome.Failure(Reason.EXPIRED, "the pairing code expired at " + expiresAt));
    }
  }

  /** Closes the offer; running attempts fail. Does nothing once it ended. */
  public synchronized void cancel() {
    end(new PairingOutcome.Failure(Reason.CANCELLED, "the pairing offer was cancelled"));
  }

  /** Reserves an attempt; false if the offer is dead or the attempts are all taken. */
  synchronized boolean tryBegin() {
    expireIfDue();
    if (outcome.isDone() || !canStart()) {
      return false;
    }
    inFlight++;
    return true;
  }

  /** Gives back a reserved attempt that never reached a guess. */
  synchronized void release() {
    inFlight--;
  }

  /** Counts a reserved attempt as failed; closes the offer at the limit. */
  synchronized void fail() {
    inFlight--;
    failed++;
    if (failed >= MAX_FAILED_ATTEMPTS) {
      end(new PairingOutcome.Failure(
          Reason.CLOSED, "the pairing offer closed after " + failed + " failed attempts"));
    }
  }

  /**
   * Marks the code proven by a reserved attempt; the offer is used up from now on. Returns false,
   * releasing the attempt, if the offer ended meanwhile or another attempt claimed it first.
   */
  synchronized boolean claim() {
    inFlight--;
    if (outcome.isDone() || claimed) {
      return false;
    }
    claimed = true;
    return true;
  }

  /** Completes the outcome once; later calls do nothing. */
  synchronized void end(PairingOutcome result) {
    outcome.complete(result);
  }

  private synchronized boolean canStart() {
    return !claimed && failed + inFlight < MAX_FAILED_ATTEMPTS;
  }

  @Override
  public String toString() {
    return "PairingOffer[classes=" + classes + ", expiresAt=" + expiresAt + "]";
  }
}
