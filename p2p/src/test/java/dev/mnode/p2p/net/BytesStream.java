package dev.mnode.p2p.net;

import dev.mnode.p2p.P2pException;
import dev.mnode.p2p.P2pException.Reason;
import dev.mnode.p2p.P2pStream;
import dev.mnode.p2p.PeerId;
import java.io.ByteArrayOutputStream;

/**
 * A {@link P2pStream} over fixed bytes, for feeding the blocking stream parsers without sockets:
 * reads return the bytes (in reads of at most {@code maxRead}), then end; writes are kept, up to a
 * bound past which a write fails as a full window would. Confined to one thread.
 */
final class BytesStream implements P2pStream {
  static final int MAX_WRITTEN = 1 << 20;

  private final byte[] input;
  private final int maxRead;
  private final PeerId peer;
  private final ByteArrayOutputStream written = new ByteArrayOutputStream();
  private int at;

  BytesStream(byte[] input, int maxRead, PeerId peer) {
    this.input = input;
    this.maxRead = maxRead;
    this.peer = peer;
  }

  byte[] written() {
    return written.toByteArray();
  }

  @Override
  public String protocol() {
    return "";
  }

  @Override
  public PeerId remotePeer() {
    return peer;
  }

  @Override
  public int read(byte[] buf, int off, int len) {
    if (at == input.length) {
      return -1;
    }
    int n = Math.min(Math.min(len, maxRead), input.length - at);
    System.arraycopy(input, at, buf, off, n);
    at += n;
    return n;
  }

  @Override
  public byte[] readExactly(int n) throws P2pException {
    byte[] out = new byte[n];
    int got = 0;
    while (got < n) {
      int r = read(out, got, n - got);
      if (r < 0) {
        throw new P2pException(Reason.PROTOCOL_VIOLATION, "ended after " + got + " of " + n + " bytes");
      }
      got += r;
    }
    return out;
  }

  @Override
  public byte[] readAll(int max) throws P2pException {
    if (input.length - at > max) {
      throw new P2pException(Reason.TOO_LONG, "more than " + max + " bytes");
    }
    return readExactly(input.length - at);
  }

  @Override
  public void write(byte[] bytes) throws P2pException {
    if (written.size() + bytes.length > MAX_WRITTEN) {
      throw new P2pException(Reason.TIMEOUT, "the test stream's window stayed closed");
    }
    written.writeBytes(bytes);
  }

  @Override
  public void closeWrite() {}

  @Override
  public void reset() {}

  @Override
  public void close() {}
}
