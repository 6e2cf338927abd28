package dev.mnode.p2p;

/**
 * One yamux stream on a connection, speaking one negotiated protocol: a bidirectional byte stream
 * with its own flow control. Reads and writes block the calling thread (never call them on a
 * network event loop) and each wait is bounded by the host's stream timeout.
 *
 * <p>Thread-safe, but meant for one reader thread and one writer thread at a time.
 */
public interface P2pStream extends AutoCloseable {
  /** Returns the protocol id negotiated for this stream, such as {@code /ipfs/ping/1.0.0}. */
  String protocol();

  /** Returns the authenticated peer at the other end. */
  PeerId remotePeer();

  /**
   * Reads up to {@code len} bytes into {@code buf} at {@code off}, blocking until at least one is
   * there. Returns the number read, or -1 once the peer has closed its side and everything before
   * that was read.
   *
   * @throws P2pException TIMEOUT after the stream timeout without data, CLOSED if the stream was
   *     reset or the connection closed
   */
  int read(byte[] buf, int off, int len) throws P2pException;

  /**
   * Reads exactly {@code n} bytes.
   *
   * @throws P2pException PROTOCOL_VIOLATION if the peer closes its side first, or as {@link #read}
   */
  byte[] readExactly(int n) throws P2pException;

  /**
   * Reads until the peer closes its side and returns everything.
   *
   * @throws P2pException TOO_LONG if more than {@code max} bytes arrive, or as {@link #read}
   */
  byte[] readAll(int max) throws P2pException;

  /**
   * Writes all of {@code bytes}, blocking while the peer's receive window is exhausted.
   *
   * @throws P2pException TIMEOUT if the window stays closed longer than the stream timeout, CLOSED
   *     if the stream was reset, the connection closed or our side was already closed
   */
  void write(byte[] bytes) throws P2pException;

  /** Closes our sending side (yamux FIN); reading goes on until the peer closes its side. */
  void closeWrite() throws P2pException;

  /** Aborts the stream in both directions (yamux RST); pending and later operations fail. */
  void reset();

  /** Closes our sending side if open and releases the stream; never throws. */
  @Override
  void close();
}
