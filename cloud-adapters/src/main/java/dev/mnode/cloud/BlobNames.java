package dev.mnode.cloud;

/**
 * The rules for blob names, shared by every store so that one name means the same blob on each.
 *
 * <p>A name is 1 to {@link #MAX_NAME_LENGTH} characters of {@code [a-z0-9._-]} in segments
 * separated by single {@code /}; no segment is empty or starts with a dot (so no {@code .}, {@code
 * ..} or hidden files), and the name neither starts nor ends with {@code /}. Such a name is a safe
 * relative path on every file system, a plain S3 key and a Dropbox path that case folding leaves
 * alone.
 */
public final class BlobNames {

  /** The longest name accepted. */
  public static final int MAX_NAME_LENGTH = 256;

  /** The longest segment (the part between slashes); file systems commonly allow 255 bytes. */
  public static final int MAX_SEGMENT_LENGTH = 128;

  private BlobNames() {}

  /** Whether {@code name} follows the rules above. */
  public static boolean isValid(String name) {
    return isValid(name, MAX_NAME_LENGTH);
  }

  private static boolean isValid(String name, int maxLength) {
    int n = name.length();
    if (n == 0 || n > maxLength) {
      return false;
    }
    int segmentStart = 0;
    for (int i = 0; i <= n; i++) {
      char c = i < n ? name.charAt(i) : '/';
      if (c == '/') {
        int length = i - segmentStart;
        if (length == 0 || length > MAX_SEGMENT_LENGTH || name.charAt(segmentStart) == '.') {
          return false;
        }
        segmentStart = i + 1;
      } else if (!isNameChar(c)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Returns {@code name} if it is valid.
   *
   * @throws IllegalArgumentException naming the value and the rule, if it is not
   */
  public static String check(String name) {
    if (!isValid(name)) {
      throw new IllegalArgumentException(
          "invalid blob name \"" + printable(name) + "\": expected 1-" + MAX_NAME_LENGTH
              + " characters of [a-z0-9._-] in '/'-separated segments not starting with '.'");
    }
    return name;
  }

  /**
   * Returns {@code prefix} if it is usable as a list prefix: empty, or the start of some valid
   * name (so it never climbs out of a folder with {@code ..} or starts at {@code /}).
   *
   * @throws IllegalArgumentException if it is not
   */
  public static String checkPrefix(String prefix) {
    String candidate = prefix.endsWith("/") ? prefix + "x" : prefix;
    if (!prefix.isEmpty() && !isValid(candidate, MAX_NAME_LENGTH + 1)) {
      throw new IllegalArgumentException("invalid blob prefix \"" + printable(prefix)
          + "\": expected the start of a name of [a-z0-9._-] segments separated by '/'");
    }
    return prefix;
  }

  static boolean isNameChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
  }

  /** The value cut to a readable length with control characters escaped, for error messages. */
  static String printable(String s) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < s.length() && i < 80; i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c == 0x7f || c == '"' || c == '\\') {
        b.append(String.format("\\u%04x", (int) c));
      } else {
        b.append(c);
      }
    }
    if (s.length() > 80) {
      b.append("...(").append(s.length()).append(" chars)");
    }
    return b.toString();
  }

  /**
   * Checks the arguments of {@link BlobStore#list}: a valid prefix, a page token that is a blob
   * name (or null), a page size of 1 to {@link BlobStore#MAX_PAGE_SIZE}.
   *
   * @throws IllegalArgumentException naming what is wrong
   */
  static void checkListing(String prefix, @org.jspecify.annotations.Nullable String pageToken, int max) {
    checkPrefix(prefix);
    if (pageToken != null) {
      check(pageToken);
    }
    if (max < 1 || max > BlobStore.MAX_PAGE_SIZE) {
      throw new IllegalArgumentException("page size " + max + " not in 1.." + BlobStore.MAX_PAGE_SIZE);
    }
  }

  /** The error of a read that the connection cut off. */
  static BlobStoreException cutOff(String where, String name, java.io.IOException e) {
    return new BlobStoreException(BlobStoreException.Reason.UNAVAILABLE,
        where + ": reading " + name + " was cut off: " + e.getClass().getSimpleName(), e);
  }
}
