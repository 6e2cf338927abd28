package dev.mnode.p2p;

import dev.mnode.p2p.multiformats.Bytes;
import dev.mnode.p2p.multiformats.MultiformatException;
import dev.mnode.p2p.multiformats.UnsignedVarint;

/**
 * One protocol and its value inside a {@link Multiaddr}, such as {@code /tcp/4001}.
 *
 * <pre>
 *   +----------------+---------------------------------------+-------+
 *   | code (uvarint) | value length (uvarint), variable only | value |
 *   +----------------+---------------------------------------+-------+
 *   /tcp/4001            06 0f a1
 *   /dns4/example.com    36 0b 65 78 61 6d 70 6c 65 2e 63 6f 6d
 *   /noise               c6 03
 * </pre>
 *
 * <p>Immutable value, always valid for its protocol.
 *
 * @param protocol the protocol
 * @param value the binary value: empty for protocols without one
 */
public record MultiaddrComponent(MultiaddrProtocol protocol, Bytes value) {
  /** Checks the value against the protocol's rules; throws {@link IllegalArgumentException}. */
  public MultiaddrComponent {
    String problem = MultiaddrValues.problem(protocol, value.toByteArray());
    if (problem != null) {
      throw new IllegalArgumentException("/" + protocol.protocolName() + ": " + problem);
    }
  }

  /**
   * Returns the component of {@code protocol} whose value is written as {@code valueText} (for
   * example {@code TCP, "4001"}); pass {@code ""} for protocols without a value.
   *
   * @throws MultiformatException MALFORMED when the text is not a value of the protocol
   */
  public static MultiaddrComponent parse(MultiaddrProtocol protocol, String valueText)
      throws MultiformatException {
    if (!protocol.hasValue()) {
      if (!valueText.isEmpty()) {
        throw new MultiformatException(
            MultiformatException.Reason.MALFORMED,
            "/" + protocol.protocolName() + " takes no value");
      }
      return new MultiaddrComponent(protocol, Bytes.EMPTY);
    }
    return new MultiaddrComponent(
        protocol, Bytes.copyOf(MultiaddrValues.fromText(protocol, valueText)));
  }

  /** Returns {@code /tcp/<port>}; throws {@link IllegalArgumentException} outside 0..65535. */
  public static MultiaddrComponent tcp(int port) {
    if (port < 0 || port > 0xffff) {
      throw new IllegalArgumentException("a TCP port is in 0..65535, got " + port);
    }
    return new MultiaddrComponent(
        MultiaddrProtocol.TCP, Bytes.copyOf(new byte[] {(byte) (port >>> 8), (byte) port}));
  }

  /** Returns {@code /p2p/<peer id>}. */
  public static MultiaddrComponent p2p(PeerId peerId) {
    return new MultiaddrComponent(MultiaddrProtocol.P2P, Bytes.copyOf(peerId.toBytes()));
  }

  /** Returns the value in its canonical text form; empty for protocols without a value. */
  public String valueText() {
    return MultiaddrValues.toText(protocol, value.toByteArray());
  }

  /** Returns the binary form: code, length prefix if the size is variable, value. */
  public byte[] toBytes() {
    byte[] code = UnsignedVarint.encode(protocol.code());
    byte[] length =
        protocol.size() == MultiaddrProtocol.Size.VARIABLE
            ? UnsignedVarint.encode(value.length())
            : new byte[0];
    byte[] out = new byte[code.length + length.length + value.length()];
    System.arraycopy(code, 0, out, 0, code.length);
    System.arraycopy(length, 0, out, code.length, length.length);
    value.asReadOnlyBuffer().get(out, code.length + length.length, value.length());
    return out;
  }

  /** Returns the length of {@link #toBytes()}. */
  public int encodedLength() {
    int prefix =
        protocol.size() == MultiaddrProtocol.Size.VARIABLE
            ? UnsignedVarint.encodedLength(value.length())
            : 0;
    return UnsignedVarint.encodedLength(protocol.code()) + prefix + value.length();
  }

  /** Returns the text form, {@code /<name>} or {@code /<name>/<value>}. */
  @Override
  public String toString() {
    return protocol.hasValue()
        ? "/" + protocol.protocolName() + "/" + valueText()
        : "/" + protocol.protocolName();
  }
}
