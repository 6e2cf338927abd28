package dev.mnode.p2p;

import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * mnode's echo protocol {@code /mnode/echo/1.0.0}, for diagnostics and interop tests: the listener
 * writes back every byte it reads, as it reads it, until the dialer closes its side, then closes
 * its own. The dialer writes and reads at the same time, so an exchange of any size runs within
 * the flow-control windows of both ends. Stateless.
 */
public final class Echo {
  /** The protocol id. */
  public static final String PROTOCOL = "/mnode/echo/1.0.0";

  /** The most bytes {@link #echo} sends in one exchange (the listener itself has no maximum). */
  public static final int MAX_BYTES = 16 << 20;

  /** The listener's read buffer: the most bytes it holds at a time. */
  static final int BUFFER_BYTES = 16 * 1024;

  private Echo() {}

  /**
   * Returns the listener side: writes back each chunk as it arrives and closes its side when the
   * dialer has closed its own. Holds at most {@value #BUFFER_BYTES} bytes at a time.
   */
  public static StreamHandler handler() {
    return stream -> {
      byte[] buf = new byte[BUFFER_BYTES];
      int r;
      while ((r = stream.read(buf, 0, buf.length)) >= 0) {
        stream.write(r == buf.length ? buf : Arrays.copyOf(buf, r));
      }
      stream.closeWrite();
    };
  }

  /**
   * Dials {@code address} if needed, opens an echo stream, sends {@code bytes} from a second
   * thread while reading, and returns what came back (at most {@code bytes.length} bytes). Blocks.
   *
   * @throws P2pException TOO_LONG if the listener sends back more than it got, or as {@link
   *     P2pStream#read} and {@link P2pStream#write}
   * @throws IllegalArgumentException if {@code bytes} is longer than {@link #MAX_BYTES}
   */
  public static byte[] echo(Host host, Multiaddr address, byte[] bytes) throws P2pException {
    if (bytes.length > MAX_BYTES) {
      throw new IllegalArgumentException(
          "echo sends at most " + MAX_BYTES + " bytes, got " + bytes.length);
    }
    try (P2pStream stream = host.openStream(address, PROTOCOL)) {
      return exchange(stream, bytes);
    }
  }

  private static byte[] exchange(P2pStream stream, byte[] bytes) throws P2pException {
    CompletableFuture<Void> written = new CompletableFuture<>();
    Thread writer =
        new Thread(
            () -> {
              try {
                stream.write(bytes);
                stream.closeWrite();
                written.complete(null);
              } catch (Throwable e) {
                written.completeExceptionally(e);
              }
            },
            "mnode-echo-writer");
    writer.setDaemon(true);
    writer.start();
    byte[] back;
    try {
      back = stream.readAll(bytes.length);
    } catch (P2pException e) {
      stream.reset(); // wakes the writer if it waits for window
      throw e;
    }
    try {
      written.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof P2pException p) {
        throw p;
      }
      throw new IllegalStateException("echo writer failed", e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stream.reset();
      throw new P2pException(P2pException.Reason.CLOSED, "interrupted while echoing", e);
    }
    return back;
  }
}
