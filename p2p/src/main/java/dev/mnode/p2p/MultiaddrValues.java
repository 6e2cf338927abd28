package dev.mnode.p2p;

import dev.mnode.p2p.multiformats.MultiformatException;
import dev.mnode.p2p.multiformats.MultiformatException.Reason;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * Multiaddr component values: each protocol's text and binary forms and the rules a binary value
 * must meet. Ports are 2 bytes big-endian, written as 1 to 5 decimal digits, 0..65535. Domain names
 * are 1 to {@link #MAX_DNS_BYTES} bytes of UTF-8 without {@code '/'}, control or space characters.
 * A {@code /p2p} value is a peer id's multihash, written in base58btc. Stateless.
 */
final class MultiaddrValues {
  /** The longest domain name value (RFC 1035 caps a name at 255 octets). */
  static final int MAX_DNS_BYTES = 255;

  private MultiaddrValues() {}

  /** Returns why {@code value} is not a valid binary value of {@code protocol}, or null. */
  static @Nullable String problem(MultiaddrProtocol protocol, byte[] value) {
    int size = protocol.size();
    if (size >= 0) {
      return value.length == size
          ? null
          : protocol.protocolName() + " value has " + value.length + " bytes, not " + size;
    }
    return switch (protocol) {
      case P2P -> {
        try {
          PeerId.fromBytes(value);
          yield null;
        } catch (MultiformatException e) {
          yield e.getMessage();
        }
      }
      case DNS, DNS4, DNS6, DNSADDR -> dnsProblem(value);
      default -> throw new IllegalStateException("no value rule for " + protocol);
    };
  }

  /** Returns the binary value of {@code protocol} written as {@code text}. */
  static byte[] fromText(MultiaddrProtocol protocol, String text) throws MultiformatException {
    return switch (protocol) {
      case IP4 -> IpText.parseIp4(text);
      case IP6 -> IpText.parseIp6(text);
      case TCP, UDP -> portBytes(text);
      case P2P -> PeerId.parse(text).toBytes();
      case DNS, DNS4, DNS6, DNSADDR -> dnsBytes(text);
      default -> throw new IllegalStateException(protocol + " has no value");
    };
  }

  /** Returns the canonical text of a valid binary value of {@code protocol}. */
  static String toText(MultiaddrProtocol protocol, byte[] value) {
    return switch (protocol) {
      case IP4 -> IpText.formatIp4(value, 0);
      case IP6 -> IpText.formatIp6(value);
      case TCP, UDP -> Integer.toString(port(value));
      case P2P -> peerId(value).toBase58();
      case DNS, DNS4, DNS6, DNSADDR -> new String(value, StandardCharsets.UTF_8);
      default -> "";
    };
  }

  /** Returns the port in a valid 2-byte value. */
  static int port(byte[] value) {
    return ((value[0] & 0xff) << 8) | (value[1] & 0xff);
  }

  /** Returns the peer id in a valid {@code /p2p} value. */
  static PeerId peerId(byte[] value) {
    try {
      return PeerId.fromBytes(value);
    } catch (MultiformatException e) {
      throw new IllegalStateException("a validated /p2p value no longer parses", e);
    }
  }

  private static byte[] portBytes(String text) throws MultiformatException {
    boolean digits = !text.isEmpty() && text.length() <= 5;
    for (int i = 0; i < text.length() && digits; i++) {
      digits = text.charAt(i) >= '0' && text.charAt(i) <= '9';
    }
    int port = digits ? Integer.parseInt(text) : -1;
    if (port < 0 || port > 0xffff) {
      throw new MultiformatException(Reason.MALFORMED, "port is not a number in 0..65535");
    }
    return new byte[] {(byte) (port >>> 8), (byte) port};
  }

  private static byte[] dnsBytes(String text) throws MultiformatException {
    byte[] bytes;
    try {
      ByteBuffer encoded =
          StandardCharsets.UTF_8
              .newEncoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .encode(CharBuffer.wrap(text));
      bytes = new byte[encoded.remaining()];
      encoded.get(bytes);
    } catch (CharacterCodingException e) {
      throw new MultiformatException(Reason.MALFORMED, "domain name is not valid Unicode text");
    }
    String problem = dnsProblem(bytes);
    if (problem != null) {
      throw new MultiformatException(Reason.MALFORMED, problem);
    }
    return bytes;
  }

  private static @Nullable String dnsProblem(byte[] value) {
    if (value.length == 0 || value.length > MAX_DNS_BYTES) {
      return "domain name has " + value.length + " bytes, not 1.." + MAX_DNS_BYTES;
    }
    String text;
    try {
      text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(value))
              .toString();
    } catch (CharacterCodingException e) {
      return "domain name is not UTF-8";
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '/'
          || Character.isISOControl(c)
          || Character.isWhitespace(c)
          || Character.isSpaceChar(c)) {
        return "domain name contains '/', a control or a space character";
      }
    }
    return null;
  }
}
