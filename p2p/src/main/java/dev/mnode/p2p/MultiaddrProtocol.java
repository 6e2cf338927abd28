package dev.mnode.p2p;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The multiaddr protocols this module reads and writes, with their codes and value sizes from
 * multiformats/multiaddr {@code protocols.csv}. A multiaddr naming any other protocol is rejected
 * as UNSUPPORTED.
 */
public enum MultiaddrProtocol {
  /** {@code /ip4/1.2.3.4}: 4 bytes. */
  IP4(4, "ip4", 4),
  /** {@code /tcp/4001}: a 2-byte big-endian port. */
  TCP(6, "tcp", 2),
  /** {@code /ip6/::1}: 16 bytes. */
  IP6(41, "ip6", 16),
  /** {@code /dns/example.com}: a domain name, resolved to IPv4 or IPv6. */
  DNS(53, "dns", Size.VARIABLE),
  /** {@code /dns4/example.com}: a domain name, resolved to IPv4 only. */
  DNS4(54, "dns4", Size.VARIABLE),
  /** {@code /dns6/example.com}: a domain name, resolved to IPv6 only. */
  DNS6(55, "dns6", Size.VARIABLE),
  /** {@code /dnsaddr/example.com}: a domain whose TXT records list multiaddrs. */
  DNSADDR(56, "dnsaddr", Size.VARIABLE),
  /** {@code /udp/4001}: a 2-byte big-endian port. */
  UDP(273, "udp", 2),
  /** {@code /p2p-circuit}: relayed through the peer before it. */
  P2P_CIRCUIT(290, "p2p-circuit", 0),
  /** {@code /p2p/12D3KooW...}: a peer id, as its multihash; read also as {@code /ipfs/...}. */
  P2P(421, "p2p", Size.VARIABLE),
  /** {@code /tls}: TLS security. */
  TLS(448, "tls", 0),
  /** {@code /noise}: Noise security. */
  NOISE(454, "noise", 0),
  /** {@code /quic-v1}: QUIC (RFC 9000). */
  QUIC_V1(461, "quic-v1", 0),
  /** {@code /ws}: WebSocket. */
  WS(477, "ws", 0);

  /** Value sizes that are not a fixed byte count. */
  static final class Size {
    /** The value is length-prefixed with an unsigned varint. */
    static final int VARIABLE = -1;

    private Size() {}
  }

  /** The legacy name of {@link #P2P}, accepted on input and never printed. */
  public static final String LEGACY_P2P_NAME = "ipfs";

  private static final Map<Integer, MultiaddrProtocol> BY_CODE = new HashMap<>();
  private static final Map<String, MultiaddrProtocol> BY_NAME = new HashMap<>();

  static {
    for (MultiaddrProtocol p : values()) {
      BY_CODE.put(p.code, p);
      BY_NAME.put(p.protocolName, p);
    }
    BY_NAME.put(LEGACY_P2P_NAME, P2P);
  }

  private final int code;
  private final String protocolName;
  private final int size;

  MultiaddrProtocol(int code, String protocolName, int size) {
    this.code = code;
    this.protocolName = protocolName;
    this.size = size;
  }

  /** Returns the multicodec code that names this protocol in the binary form. */
  public int code() {
    return code;
  }

  /** Returns the name that names this protocol in the text form, e.g. {@code "tcp"}. */
  public String protocolName() {
    return protocolName;
  }

  /** Returns whether a component of this protocol carries a value ({@code /tcp/4001} does). */
  public boolean hasValue() {
    return size != 0;
  }

  /** Returns the fixed value size in bytes, 0 for none, {@link Size#VARIABLE} if prefixed. */
  int size() {
    return size;
  }

  /** Returns the protocol with binary {@code code}, or empty if it is not one listed here. */
  public static Optional<MultiaddrProtocol> forCode(long code) {
    return code < 0 || code > Integer.MAX_VALUE
        ? Optional.empty()
        : Optional.ofNullable(BY_CODE.get((int) code));
  }

  /**
   * Returns the protocol with text {@code name} (case-sensitive; {@code ipfs} gives {@link #P2P}),
   * or empty if it is not one listed here.
   */
  public static Optional<MultiaddrProtocol> forName(String name) {
    return Optional.ofNullable(BY_NAME.get(name));
  }
}
