package dev.mnode.node.guard;

import java.util.Arrays;
import java.util.Optional;

/**
 * What a redacted span was. Each type has a stable lower-case {@link #id()} used in placeholders
 * ({@code [REDACTED:aws-key]}), in findings and in the policy's configuration, and belongs to one
 * {@link Category}.
 */
public enum RedactionType {
  AWS_KEY("aws-key", Category.SECRET),
  AWS_SECRET("aws-secret", Category.SECRET),
  GITHUB_TOKEN("github-token", Category.SECRET),
  GITLAB_TOKEN("gitlab-token", Category.SECRET),
  SLACK_TOKEN("slack-token", Category.SECRET),
  STRIPE_KEY("stripe-key", Category.SECRET),
  OPENAI_KEY("openai-key", Category.SECRET),
  ANTHROPIC_KEY("anthropic-key", Category.SECRET),
  GOOGLE_API_KEY("google-api-key", Category.SECRET),
  TWILIO_KEY("twilio-key", Category.SECRET),
  SENDGRID_KEY("sendgrid-key", Category.SECRET),
  NPM_TOKEN("npm-token", Category.SECRET),
  PYPI_TOKEN("pypi-token", Category.SECRET),
  /** A high-entropy value after {@code Bearer} or in an {@code api_key=}-style assignment. */
  GENERIC_SECRET("secret", Category.SECRET),
  PRIVATE_KEY("private-key", Category.SECRET),
  /** The password part of a URL or connection string, or a {@code password=} assignment. */
  PASSWORD("password", Category.SECRET),
  JWT("jwt", Category.SECRET),
  CREDIT_CARD("credit-card", Category.FINANCIAL),
  IBAN("iban", Category.FINANCIAL),
  EMAIL("email", Category.CONTACT),
  PHONE("phone", Category.CONTACT);

  /** A group of types that a policy can address at once. */
  public enum Category {
    /** Credentials: whoever reads them can act as their owner. */
    SECRET("secrets"),
    /** Card numbers and bank account numbers. */
    FINANCIAL("financial"),
    /** E-mail addresses and phone numbers. */
    CONTACT("contact");

    private final String id;

    Category(String id) {
      this.id = id;
    }

    /** The name used in the policy's configuration. */
    public String id() {
      return id;
    }

    /** The category named {@code id}, if any. */
    public static Optional<Category> byId(String id) {
      return Arrays.stream(values()).filter(c -> c.id.equals(id)).findFirst();
    }
  }

  private final String id;
  private final Category category;

  RedactionType(String id, Category category) {
    this.id = id;
    this.category = category;
  }

  /** The stable name, as in {@code [REDACTED:id]}. */
  public String id() {
    return id;
  }

  /** The group this type belongs to. */
  public Category category() {
    return category;
  }

  /** The placeholder that replaces a span of this type. */
  public String placeholder() {
    return "[REDACTED:" + id + "]";
  }

  /** The type named {@code id}, if any. */
  public static Optional<RedactionType> byId(String id) {
    return Arrays.stream(values()).filter(t -> t.id.equals(id)).findFirst();
  }
}
