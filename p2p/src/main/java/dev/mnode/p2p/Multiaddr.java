package dev.mnode.p2p;

import dev.mnode.p2p.multiformats.Bytes;
import dev.mnode.p2p.multiformats.MultiformatException;
import dev.mnode.p2p.multiformats.MultiformatException.Reason;
import dev.mnode.p2p.multiformats.UnsignedVarint;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A multiaddr: a network address as a sequence of protocol components, read left to right, such as
 * {@code /ip4/127.0.0.1/tcp/4001/p2p/12D3KooW...}.
 *
 * <pre>
 *   text:    (/&lt;name&gt;[/&lt;value&gt;])+                 /ip4/127.0.0.1/tcp/4001
 *   binary:  (&lt;code uvarint&gt;[&lt;length uvarint&gt;]&lt;value&gt;)+   04 7f 00 00 01 06 0f a1
 * </pre>
 *
 * <p>Both forms are parsed strictly and printed canonically (IPv6 per RFC 5952, peer ids in
 * base58btc, {@code /ipfs} as {@code /p2p}), within {@link #MAX_BYTES} binary bytes and {@link
 * #MAX_TEXT_CHARS} text characters. Only the protocols in {@link MultiaddrProtocol} are known;
 * errors are one line and name the component at fault.
 *
 * <p>A parsed multiaddr is never empty; an empty one only arises from {@link #withoutPeerId()} on a
 * bare {@code /p2p/...} address and prints as {@code ""}. Immutable value.
 *
 * @param components the components, in order
 */
public record Multiaddr(List<MultiaddrComponent> components) {
  /** The longest binary form accepted or built. */
  public static final int MAX_BYTES = 1024;

  /**
   * The longest text form parsed: the text of a {@link #MAX_BYTES}-byte address in canonical form
   * (at most 4 characters a byte, as for {@code /ip4/255.255.255.255}) fits.
   */
  public static final int MAX_TEXT_CHARS = 4 * MAX_BYTES;

  /** Copies the list and checks the encoded length; throws {@link IllegalArgumentException}. */
  public Multiaddr {
    components = List.copyOf(components);
    int length = 0;
    for (MultiaddrComponent c : components) {
      length += c.encodedLength();
    }
    if (length > MAX_BYTES) {
      throw new IllegalArgumentException(
          "multiaddr would have " + length + " bytes, more than " + MAX_BYTES);
    }
  }

  /** Returns the multiaddr of {@code components}, in order. */
  public static Multiaddr of(MultiaddrComponent... components) {
    return new Multiaddr(List.of(components));
  }

  /**
   * Parses the text form. Trailing slashes are ignored and {@code /ipfs} is read as {@code /p2p};
   * protocol names are case-sensitive.
   *
   * @throws MultiformatException MALFORMED for bad syntax or a bad value (naming the component),
   *     UNSUPPORTED for a protocol not in {@link MultiaddrProtocol}, TOO_LONG past {@link
   *     #MAX_TEXT_CHARS} or {@link #MAX_BYTES}
   */
  public static Multiaddr parse(String text) throws MultiformatException {
    if (text.length() > MAX_TEXT_CHARS) {
      throw new MultiformatException(
          Reason.TOO_LONG,
          "multiaddr text has " + text.length() + " characters, more than " + MAX_TEXT_CHARS);
    }
    if (!text.startsWith("/")) {
      throw new MultiformatException(
          Reason.MALFORMED,
          "multiaddr '" + MultiformatException.excerpt(text) + "' does not start with '/'");
    }
    int end = text.length();
    while (end > 0 && text.charAt(end - 1) == '/') {
      end--;
    }
    if (end == 0) {
      throw new MultiformatException(Reason.MALFORMED, "multiaddr has no components");
    }
    String[] parts = text.substring(1, end).split("/", -1);
    List<MultiaddrComponent> components = new ArrayList<>();
    int length = 0;
    for (int i = 0; i < parts.length; ) {
      String name = parts[i++];
      MultiaddrProtocol protocol = protocolNamed(name, components.size());
      String value = "";
      if (protocol.hasValue()) {
        if (i == parts.length) {
          throw new MultiformatException(
              Reason.MALFORMED,
              "multiaddr component /" + protocol.protocolName() + " is missing its value");
        }
        value = parts[i++];
      }
      MultiaddrComponent c;
      try {
        c = MultiaddrComponent.parse(protocol, value);
      } catch (MultiformatException e) {
        throw e.withContext(
            "multiaddr component /"
                + protocol.protocolName()
                + "/"
                + MultiformatException.excerpt(value));
      }
      length += c.encodedLength();
      if (length > MAX_BYTES) {
        throw new MultiformatException(
            Reason.TOO_LONG, "multiaddr is longer than " + MAX_BYTES + " bytes in binary form");
      }
      components.add(c);
    }
    return new Multiaddr(components);
  }

  /**
   * Parses the binary form.
   *
   * @throws MultiformatException TRUNCATED when it ends inside a component, MALFORMED for empty
   *     input, a bad varint or a bad value, UNSUPPORTED for an unknown protocol code, TOO_LONG past
   *     {@link #MAX_BYTES}; the message names the component index and byte offset
   */
  public static Multiaddr fromBytes(byte[] bytes) throws MultiformatException {
    if (bytes.length > MAX_BYTES) {
      throw new MultiformatException(
          Reason.TOO_LONG, "multiaddr has " + bytes.length + " bytes, more than " + MAX_BYTES);
    }
    if (bytes.length == 0) {
      throw new MultiformatException(Reason.MALFORMED, "multiaddr has no components");
    }
    ByteBuffer in = ByteBuffer.wrap(bytes);
    List<MultiaddrComponent> components = new ArrayList<>();
    while (in.hasRemaining()) {
      int start = in.position();
      try {
        components.add(readComponent(in));
      } catch (MultiformatException e) {
        throw e.withContext("multiaddr component " + components.size() + " at byte " + start);
      }
    }
    return new Multiaddr(components);
  }

  private static MultiaddrComponent readComponent(ByteBuffer in) throws MultiformatException {
    long code = UnsignedVarint.read(in);
    MultiaddrProtocol protocol =
        MultiaddrProtocol.forCode(code)
            .orElseThrow(
                () ->
                    new MultiformatException(
                        Reason.UNSUPPORTED, "unknown multiaddr protocol code " + code));
    int size = protocol.size();
    if (size == MultiaddrProtocol.Size.VARIABLE) {
      size = UnsignedVarint.readLength(in, MAX_BYTES);
    } else if (size > in.remaining()) {
      throw new MultiformatException(
          Reason.TRUNCATED,
          "/"
              + protocol.protocolName()
              + " needs "
              + size
              + " value bytes, "
              + in.remaining()
              + " left");
    }
    byte[] value = new byte[size];
    in.get(value);
    String problem = MultiaddrValues.problem(protocol, value);
    if (problem != null) {
      throw new MultiformatException(
          Reason.MALFORMED, "/" + protocol.protocolName() + ": " + problem);
    }
    return new MultiaddrComponent(protocol, Bytes.copyOf(value));
  }

  private static MultiaddrProtocol protocolNamed(String name, int index)
      throws MultiformatException {
    if (name.isEmpty()) {
      throw new MultiformatException(
          Reason.MALFORMED, "multiaddr component " + index + " has an empty protocol name");
    }
    return MultiaddrProtocol.forName(name)
        .orElseThrow(
            () ->
                new MultiformatException(
                    Reason.UNSUPPORTED,
                    "multiaddr component "
                        + index
                        + ": unknown protocol '"
                        + MultiformatException.excerpt(name)
                        + "'"));
  }

  /** Returns the binary form. */
  public byte[] toBytes() {
    ByteBuffer out = ByteBuffer.allocate(encodedLength());
    for (MultiaddrComponent c : components) {
      out.put(c.toBytes());
    }
    return out.array();
  }

  /** Returns the length of {@link #toBytes()}. */
  public int encodedLength() {
    int length = 0;
    for (MultiaddrComponent c : components) {
      length += c.encodedLength();
    }
    return length;
  }

  /** Returns whether there are no components (only after {@link #withoutPeerId()}). */
  public boolean isEmpty() {
    return components.isEmpty();
  }

  /** Returns the port of the first {@code /tcp} component, or empty if there is none. */
  public OptionalInt tcpPort() {
    for (MultiaddrComponent c : components) {
      if (c.protocol() == MultiaddrProtocol.TCP) {
        return OptionalInt.of(MultiaddrValues.port(c.value().toByteArray()));
      }
    }
    return OptionalInt.empty();
  }

  /**
   * Returns the first host component, {@code /ip4}, {@code /ip6}, {@code /dns}, {@code /dns4},
   * {@code /dns6} or {@code /dnsaddr}, or empty if there is none. Its {@link
   * MultiaddrComponent#valueText()} is the address or name, its protocol says which kind.
   */
  public Optional<MultiaddrComponent> host() {
    for (MultiaddrComponent c : components) {
      switch (c.protocol()) {
        case IP4, IP6, DNS, DNS4, DNS6, DNSADDR -> {
          return Optional.of(c);
        }
        default -> {}
      }
    }
    return Optional.empty();
  }

  /**
   * Returns the peer id of the last {@code /p2p} component: the peer this address reaches (after
   * {@code /p2p-circuit} an earlier one names the relay), or empty if there is none.
   */
  public Optional<PeerId> peerId() {
    for (int i = components.size() - 1; i >= 0; i--) {
      MultiaddrComponent c = components.get(i);
      if (c.protocol() == MultiaddrProtocol.P2P) {
        return Optional.of(MultiaddrValues.peerId(c.value().toByteArray()));
      }
    }
    return Optional.empty();
  }

  /**
   * Returns this address ending in {@code /p2p/<peerId>}: itself if it already ends so. Throws
   * {@link IllegalArgumentException} if it ends in a different peer's {@code /p2p}, or if the
   * result would exceed {@link #MAX_BYTES}.
   */
  public Multiaddr withPeerId(PeerId peerId) {
    MultiaddrComponent p2p = MultiaddrComponent.p2p(peerId);
    if (!components.isEmpty()) {
      MultiaddrComponent last = components.get(components.size() - 1);
      if (last.equals(p2p)) {
        return this;
      }
      if (last.protocol() == MultiaddrProtocol.P2P) {
        throw new IllegalArgumentException(this + " already names another peer than " + peerId);
      }
    }
    List<MultiaddrComponent> out = new ArrayList<>(components);
    out.add(p2p);
    return new Multiaddr(out);
  }

  /**
   * Returns this address without a final {@code /p2p} component, as a transport dials it; itself if
   * it has none. A bare {@code /p2p/...} address gives the empty multiaddr.
   */
  public Multiaddr withoutPeerId() {
    if (components.isEmpty()
        || components.get(components.size() - 1).protocol() != MultiaddrProtocol.P2P) {
      return this;
    }
    return new Multiaddr(components.subList(0, components.size() - 1));
  }

  /** Returns the canonical text form; {@code ""} for the empty multiaddr. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    for (MultiaddrComponent c : components) {
      sb.append(c);
    }
    return sb.toString();
  }
}
