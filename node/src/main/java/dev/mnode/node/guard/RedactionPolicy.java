package dev.mnode.node.guard;

import dev.mnode.node.InvalidInputException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * What to do with each {@link RedactionType} in each memory class. Immutable.
 *
 * <p>A rule names a type ({@code "email"}) or a category ({@code "secrets"}, {@code "financial"},
 * {@code "contact"}) and maps it to an {@link Action}. The action for a type in a class is the
 * first that applies of:
 *
 * <ol>
 *   <li>the configured rule of that class for the type, then for its category;
 *   <li>the configured {@code default} rule for the type, then for its category;
 *   <li>the built-in rule of that class for the type, then for its category;
 *   <li>the built-in default for the type, then for its category.
 * </ol>
 *
 * <p>Built in: secrets and card numbers are redacted in every class; IBANs are kept in {@code
 * financial} and redacted elsewhere; e-mail addresses and phone numbers are kept in {@code
 * personal} and {@code work} and redacted elsewhere (including {@code other} and user classes).
 * The configuration section, as {@link #parse} reads it:
 *
 * <pre>
 * "redaction": {
 *   "default": { "secrets": "refuse", "phone": "redact" },
 *   "classes": {
 *     "health":   { "contact": "keep" },
 *     "personal": { "phone": "redact" }
 *   }
 * }
 * </pre>
 */
public final class RedactionPolicy {
  /** What happens to a span of a given type. */
  public enum Action {
    /** Replace the span by the type's placeholder. */
    REDACT,
    /** Reject the whole text with a {@link RedactionRefusedException}. */
    REFUSE,
    /** Leave the span as it is. */
    KEEP;

    /** The name used in the configuration. */
    public String id() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private static final Map<String, Action> BUILT_IN_DEFAULT =
      Map.of(
          RedactionType.Category.SECRET.id(), Action.REDACT,
          RedactionType.Category.FINANCIAL.id(), Action.REDACT,
          RedactionType.Category.CONTACT.id(), Action.REDACT);
  private static final Map<String, Map<String, Action>> BUILT_IN_CLASSES =
      Map.of(
          "personal", Map.of(RedactionType.Category.CONTACT.id(), Action.KEEP),
          "work", Map.of(RedactionType.Category.CONTACT.id(), Action.KEEP),
          "financial", Map.of(RedactionType.IBAN.id(), Action.KEEP));
  private static final RedactionPolicy DEFAULTS = new RedactionPolicy(Map.of(), Map.of());
  private static final RedactionPolicy REDACT_ALL =
      new RedactionPolicy(Map.of(
          RedactionType.Category.SECRET.id(), Action.REDACT,
          RedactionType.Category.FINANCIAL.id(), Action.REDACT,
          RedactionType.Category.CONTACT.id(), Action.REDACT), Map.of());

  private final Map<String, Action> defaults;
  private final Map<String, Map<String, Action>> classes;

  private RedactionPolicy(Map<String, Action> defaults, Map<String, Map<String, Action>> classes) {
    this.defaults = Map.copyOf(defaults);
    this.classes = classes.entrySet().stream()
        .collect(Collectors.toUnmodifiableMap(Map.Entry::getKey, e -> Map.copyOf(e.getValue())));
  }

  /** The built-in policy, as described above. */
  public static RedactionPolicy defaults() {
    return DEFAULTS;
  }

  /** Redacts every type in every class, whatever the built-in class rules say. */
  public static RedactionPolicy redactAll() {
    return REDACT_ALL;
  }

  /**
   * Reads a configuration section (as a JSON object maps to Java: string keys, nested maps and
   * string values). Keys other than {@code default} and {@code classes}, unknown type or category
   * names and unknown actions are errors, so that a typo is not silently ignored.
   *
   * @throws InvalidInputException naming the offending key or value
   */
  public static RedactionPolicy parse(Map<String, ?> section) throws InvalidInputException {
    Map<String, Action> defaults = Map.of();
    Map<String, Map<String, Action>> classes = new LinkedHashMap<>();
    for (Map.Entry<String, ?> e : section.entrySet()) {
      switch (e.getKey()) {
        case "default":
          defaults = rules("redaction.default", e.getValue());
          break;
        case "classes":
          for (Map.Entry<String, ?> c : object("redaction.classes", e.getValue()).entrySet()) {
            if (c.getKey().isBlank()) {
              throw new InvalidInputException("redaction.classes: a class name is empty");
            }
            classes.put(c.getKey(), rules("redaction.classes." + c.getKey(), c.getValue()));
          }
          break;
        default:
          throw new InvalidInputException(
              "redaction: unknown key \"" + e.getKey() + "\" (default, classes)");
      }
    }
    return new RedactionPolicy(defaults, classes);
  }

  /** The action for {@code type} in {@code memoryClass}; see the class comment for the order. */
  public Action actionFor(String memoryClass, RedactionType type) {
    Action a = lookup(classes.get(memoryClass), type);
    if (a == null) {
      a = lookup(defaults, type);
    }
    if (a == null) {
      a = lookup(BUILT_IN_CLASSES.get(memoryClass), type);
    }
    if (a == null) {
      a = lookup(BUILT_IN_DEFAULT, type);
    }
    return a == null ? Action.REDACT : a;
  }

  private static @Nullable Action lookup(@Nullable Map<String, Action> rules, RedactionType type) {
    if (rules == null) {
      return null;
    }
    Action a = rules.get(type.id());
    return a != null ? a : rules.get(type.category().id());
  }

  private static Map<String, ?> object(String where, @Nullable Object value)
      throws InvalidInputException {
    if (!(value instanceof Map)) {
      throw new InvalidInputException(where + ": expected an object");
    }
    @SuppressWarnings("unchecked")
    Map<String, ?> map = (Map<String, ?>) value;
    return map;
  }

  private static Map<String, Action> rules(String where, @Nullable Object value)
      throws InvalidInputException {
    Map<String, Action> out = new LinkedHashMap<>();
    for (Map.Entry<String, ?> e : object(where, value).entrySet()) {
      String key = e.getKey();
      if (RedactionType.byId(key).isEmpty() && RedactionType.Category.byId(key).isEmpty()) {
        throw new InvalidInputException(where + ": unknown type or category \"" + key + "\" ("
            + Arrays.stream(RedactionType.Category.values())
                .map(RedactionType.Category::id).collect(Collectors.joining(", "))
            + ", or a type such as email, phone, aws-key)");
      }
      Object v = e.getValue();
      Optional<Action> action = v instanceof String
          ? Arrays.stream(Action.values()).filter(a -> a.id().equals(v)).findFirst()
          : Optional.empty();
      if (action.isEmpty()) {
        throw new InvalidInputException(
            where + "." + key + ": expected \"redact\", \"refuse\" or \"keep\"");
      }
      out.put(key, action.get());
    }
    return out;
  }

  @Override
  public String toString() {
    return "RedactionPolicy[default=" + defaults + ", classes=" + classes + "]";
  }
}
