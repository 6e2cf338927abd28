package dev.mnode.p2p;

/**
 * mnode's echo protocol {@code /mnode/echo/1.0.0}, for diagnostics and interop tests: the dialer
 * writes bytes and closes its side; the listener writes back everything it read and closes its
 * side. Stateless.
 */
public final class Echo {
  /** The protocol id. */
  public static final String PROTOCOL = "/mnode/echo/1.0.0";

  /** The most bytes echoed in one exchange. */
  public static final int MAX_BYTES = 1 << 20;

  private Echo() {}

  /** Returns the listener side: echoes up to {@link #MAX_BYTES} and closes. */
  public static StreamHandler handler() {
    return stream -> {
      stream.write(stream.readAll(MAX_BYTES));
      stream.closeWrite();
    };
  }

  /**
   * Dials {@code address} if needed, sends {@code bytes} and returns what came back.
   *
   * @throws IllegalArgumentException if {@code bytes} is longer than {@link #MAX_BYTES}
   */
  public static byte[] echo(Host host, Multiaddr address, byte[] bytes) throws P2pException {
    if (bytes.length > MAX_BYTES) {
      throw new IllegalArgumentException(
          "echo sends at most " + MAX_BYTES + " bytes, got " + bytes.length);
    }
    try (P2pStream stream = host.openStream(address, PROTOCOL)) {
      stream.write(bytes);
      stream.closeWrite();
      return stream.readAll(MAX_BYTES);
    }
  }
}
