package dev.mnode.p2p;

import dev.mnode.p2p.multiformats.MultiformatException;
import dev.mnode.p2p.multiformats.MultiformatException.Reason;

/**
 * IPv4 and IPv6 text forms, parsed and printed by hand: {@code InetAddress.getByName} would accept
 * host names and might resolve them.
 *
 * <p>Parsing is strict: IPv4 is exactly four decimal octets without leading zeros (which some
 * parsers read as octal); IPv6 is RFC 4291 text (one {@code ::} at most, 1 to 4 hex digits a group,
 * an IPv4 tail allowed) without a zone or brackets. Printing is canonical: IPv6 as RFC 5952
 * (lowercase, no leading zeros, the longest run of two or more zero groups as {@code ::}, the first
 * on a tie) and IPv4-mapped addresses as {@code ::ffff:a.b.c.d}, as go-multiaddr prints them.
 * Stateless.
 */
final class IpText {
  private static final int IP6_GROUPS = 8;
  private static final int MAX_IP6_CHARS = 45; // ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255

  private IpText() {}

  static byte[] parseIp4(String text) throws MultiformatException {
    String[] parts = text.split("\\.", -1);
    if (parts.length != 4) {
      throw bad("IPv4 address", text, "needs four dot-separated numbers");
    }
    byte[] out = new byte[4];
    for (int i = 0; i < 4; i++) {
      String p = parts[i];
      if (p.isEmpty()
          || p.length() > 3
          || !allDigits(p)
          || (p.length() > 1 && p.charAt(0) == '0')) {
        throw bad("IPv4 address", text, "each part is a number 0..255 without leading zeros");
      }
      int v = Integer.parseInt(p);
      if (v > 255) {
        throw bad("IPv4 address", text, "part " + v + " is above 255");
      }
      out[i] = (byte) v;
    }
    return out;
  }

  static String formatIp4(byte[] bytes, int offset) {
    return (bytes[offset] & 0xff)
        + "."
        + (bytes[offset + 1] & 0xff)
        + "."
        + (bytes[offset + 2] & 0xff)
        + "."
        + (bytes[offset + 3] & 0xff);
  }

  static byte[] parseIp6(String text) throws MultiformatException {
    if (text.isEmpty() || text.length() > MAX_IP6_CHARS) {
      throw bad("IPv6 address", text, "has " + text.length() + " characters");
    }
    int gap = text.indexOf("::");
    if (gap >= 0 && text.indexOf("::", gap + 1) >= 0) {
      throw bad("IPv6 address", text, "'::' may appear only once");
    }
    int[] head = groups(gap < 0 ? text : text.substring(0, gap), gap < 0, text);
    int[] tail = gap < 0 ? new int[0] : groups(text.substring(gap + 2), true, text);
    int count = head.length + tail.length;
    if (gap < 0 ? count != IP6_GROUPS : count > IP6_GROUPS - 1) {
      throw bad(
          "IPv6 address", text, gap < 0 ? "needs 8 groups of hex digits" : "has too many groups");
    }
    int[] all = new int[IP6_GROUPS];
    System.arraycopy(head, 0, all, 0, head.length);
    System.arraycopy(tail, 0, all, IP6_GROUPS - tail.length, tail.length);
    byte[] out = new byte[16];
    for (int i = 0; i < IP6_GROUPS; i++) {
      out[2 * i] = (byte) (all[i] >>> 8);
      out[2 * i + 1] = (byte) all[i];
    }
    return out;
  }

  /**
   * Parses colon-separated groups; {@code last} says whether this part ends the address, the one
   * place an IPv4 tail (two groups) may stand.
   */
  private static int[] groups(String part, boolean last, String text) throws MultiformatException {
    if (part.isEmpty()) {
      return new int[0];
    }
    String[] pieces = part.split(":", -1);
    int dotted = last && pieces[pieces.length - 1].indexOf('.') >= 0 ? 1 : 0;
    int[] out = new int[pieces.length + dotted];
    for (int i = 0; i < pieces.length; i++) {
      String p = pieces[i];
      if (dotted == 1 && i == pieces.length - 1) {
        byte[] v4 = parseIp4(p);
        out[i] = ((v4[0] & 0xff) << 8) | (v4[1] & 0xff);
        out[i + 1] = ((v4[2] & 0xff) << 8) | (v4[3] & 0xff);
      } else if (p.isEmpty() || p.length() > 4 || !allHex(p)) {
        throw bad("IPv6 address", text, "each group is 1 to 4 hex digits");
      } else {
        out[i] = Integer.parseInt(p, 16);
      }
    }
    return out;
  }

  static String formatIp6(byte[] bytes) {
    boolean mapped = bytes[10] == (byte) 0xff && bytes[11] == (byte) 0xff;
    for (int i = 0; i < 10 && mapped; i++) {
      mapped = bytes[i] == 0;
    }
    if (mapped) {
      return "::ffff:" + formatIp4(bytes, 12);
    }
    int[] g = new int[IP6_GROUPS];
    for (int i = 0; i < IP6_GROUPS; i++) {
      g[i] = ((bytes[2 * i] & 0xff) << 8) | (bytes[2 * i + 1] & 0xff);
    }
    // The longest run of zero groups, at least two long; the first wins a tie (RFC 5952 4.2).
    int bestStart = -1;
    int bestLength = 1;
    for (int i = 0; i < IP6_GROUPS; ) {
      int j = i;
      while (j < IP6_GROUPS && g[j] == 0) {
        j++;
      }
      if (j - i > bestLength) {
        bestStart = i;
        bestLength = j - i;
      }
      i = Math.max(j, i + 1);
    }
    StringBuilder sb = new StringBuilder(39);
    for (int i = 0; i < IP6_GROUPS; ) {
      if (i == bestStart) {
        sb.append("::");
        i += bestLength;
        continue;
      }
      if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
        sb.append(':');
      }
      sb.append(Integer.toHexString(g[i]));
      i++;
    }
    return sb.toString();
  }

  private static boolean allDigits(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }

  private static boolean allHex(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
        return false;
      }
    }
    return true;
  }

  private static MultiformatException bad(String what, String text, String rule) {
    return new MultiformatException(
        Reason.MALFORMED, what + " '" + MultiformatException.excerpt(text) + "': " + rule);
  }
}
