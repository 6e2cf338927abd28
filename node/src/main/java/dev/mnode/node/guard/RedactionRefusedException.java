package dev.mnode.node.guard;

import dev.mnode.node.InvalidInputException;

/**
 * The policy refuses a text that holds something of a given type. The message names the type and
 * the memory class, never the value, so it may be shown and logged.
 */
public final class RedactionRefusedException extends InvalidInputException {
  private static final long serialVersionUID = 1L;

  private final RedactionType type;
  private final String memoryClass;

  public RedactionRefusedException(RedactionType type, String memoryClass) {
    super("the text holds " + describe(type) + " (" + type.id() + "), which the redaction policy"
        + " refuses in class \"" + memoryClass + "\"; remove it and try again");
    this.type = type;
    this.memoryClass = memoryClass;
  }

  /** The type that was refused. */
  public RedactionType type() {
    return type;
  }

  /** The memory class whose policy refused it. */
  public String memoryClass() {
    return memoryClass;
  }

  private static String describe(RedactionType type) {
    switch (type.category()) {
      case SECRET:
        return "a secret";
      case FINANCIAL:
        return type == RedactionType.IBAN ? "a bank account number" : "a card number";
      default:
        return type == RedactionType.EMAIL ? "an e-mail address" : "a phone number";
    }
  }
}
