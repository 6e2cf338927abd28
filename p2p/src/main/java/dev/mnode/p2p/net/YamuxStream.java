package dev.mnode.p2p.net;

import dev.mnode.p2p.P2pException;
import dev.mnode.p2p.P2pException.Reason;
import dev.mnode.p2p.P2pStream;
import dev.mnode.p2p.PeerId;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * One yamux stream with blocking reads and writes for user threads, fed by its {@link YamuxSession}
 * on the event loop.
 *
 * <p>Flow control: the peer may send at most {@link YamuxSession#INITIAL_WINDOW} bytes we have not
 * read; we grant more (window update) as the reader consumes half a window, and a peer that sends
 * beyond the window loses the connection. So an unread stream holds at most one window, and the
 * socket is always read: a slow reader on one stream never holds up the others, nor the window
 * updates and pings of the connection.
 * Our writes take credit from the peer's window and block while it is exhausted.
 *
 * <p>Thread-safe: the fields marked so are guarded by {@code lock}.
 */
final class YamuxStream implements P2pStream {
  private final YamuxSession session;
  private final int id;
  private final PeerId remotePeer;
  private final long timeoutNanos;
  private volatile String protocol = "";

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  // Guarded by lock:
  private final ArrayDeque<byte[]> chunks = new ArrayDeque<>();
  private int headOffset;
  private int buffered;
  private long receiveWindow = YamuxSession.INITIAL_WINDOW;
  private int consumedSinceUpdate;
  private long sendWindow = YamuxSession.INITIAL_WINDOW;
  private boolean remoteClosed;
  private boolean localClosed;
  private @Nullable String resetReason;
  private boolean discarding;

  YamuxStream(YamuxSession session, int id, PeerId remotePeer, Duration timeout) {
    this.session = session;
    this.id = id;
    this.remotePeer = remotePeer;
    this.timeoutNanos = timeout.toNanos();
  }

  int id() {
    return id;
  }

  void setProtocol(String protocol) {
    this.protocol = protocol;
  }

  @Override
  public String protocol() {
    return protocol;
  }

  @Override
  public PeerId remotePeer() {
    return remotePeer;
  }

  // ---- event-loop side ----

  /**
   * Takes data from the peer. Returns false if it exceeds the window we granted: a protocol
   * violation the session answers by closing the connection.
   */
  boolean onData(byte[] data) {
    lock.lock();
    try {
      if (data.length > receiveWindow) {
        return false;
      }
      receiveWindow -= data.length;
      if (resetReason != null || data.length == 0) {
        return true;
      }
      if (discarding) {
        consumedSinceUpdate += data.length;
        grantIfDue();
        return true;
      }
      chunks.add(data);
      buffered += data.length;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    return true;
  }

  void onWindowUpdate(long delta) {
    lock.lock();
    try {
      sendWindow += delta;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  void onRemoteClose() {
    boolean done;
    lock.lock();
    try {
      remoteClosed = true;
      done = localClosed;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    if (done) {
      session.remove(this);
    }
  }

  /** Marks the stream reset by the peer or by the connection's end; wakes every waiter. */
  void onReset(String reason) {
    lock.lock();
    try {
      if (resetReason == null) {
        resetReason = reason;
      }
      chunks.clear();
      buffered = 0;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  // ---- user side ----

  @Override
  public int read(byte[] buf, int off, int len) throws P2pException {
    if (len == 0) {
      return 0;
    }
    int n = 0;
    lock.lock();
    try {
      long left = timeoutNanos;
      while (buffered == 0 && !remoteClosed && resetReason == null) {
        if (left <= 0) {
          throw timeout("reading");
        }
        left = changed.awaitNanos(left);
      }
      if (resetReason != null) {
        throw new P2pException(Reason.CLOSED, what() + " was reset: " + resetReason);
      }
      if (buffered == 0) {
        return -1;
      }
      while (n < len && !chunks.isEmpty()) {
        byte[] head = chunks.peek();
        int take = Math.min(len - n, head.length - headOffset);
        System.arraycopy(head, headOffset, buf, off + n, take);
        n += take;
        headOffset += take;
        if (headOffset == head.length) {
          chunks.poll();
          headOffset = 0;
        }
      }
      buffered -= n;
      consumedSinceUpdate += n;
      grantIfDue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new P2pException(Reason.CLOSED, "interrupted while reading " + what(), e);
    } finally {
      lock.unlock();
    }
    return n;
  }

  /** Grants the peer the consumed bytes once half a window has been consumed. Holds lock. */
  private void grantIfDue() {
    if (consumedSinceUpdate >= YamuxSession.INITIAL_WINDOW / 2 && !remoteClosed) {
      int delta = consumedSinceUpdate;
      consumedSinceUpdate = 0;
      receiveWindow += delta;
      session.send(YamuxFrame.control(YamuxFrame.TYPE_WINDOW_UPDATE, 0, id, delta));
    }
  }

  @Override
  public byte[] readExactly(int n) throws P2pException {
    byte[] out = new byte[n];
    int at = 0;
    while (at < n) {
      int r = read(out, at, n - at);
      if (r < 0) {
        throw new P2pException(
            Reason.PROTOCOL_VIOLATION,
            what() + " ended after " + at + " of " + n + " expected bytes");
      }
      at += r;
    }
    return out;
  }

  @Override
  public byte[] readAll(int max) throws P2pException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[16 * 1024];
    int r;
    while ((r = read(buf, 0, buf.length)) >= 0) {
      if (out.size() + r > max) {
        reset();
        throw new P2pException(
            Reason.TOO_LONG, what() + " sent more than the maximum of " + max + " bytes");
      }
      out.write(buf, 0, r);
    }
    return out.toByteArray();
  }

  @Override
  public void write(byte[] bytes) throws P2pException {
    int at = 0;
    while (at < bytes.length) {
      int n;
      lock.lock();
      try {
        long left = timeoutNanos;
        while (sendWindow == 0 && resetReason == null && !localClosed) {
          if (left <= 0) {
            throw timeout("writing (the peer's window stayed closed)");
          }
          left = changed.awaitNanos(left);
        }
        if (resetReason != null) {
          throw new P2pException(Reason.CLOSED, what() + " was reset: " + resetReason);
        }
        if (localClosed) {
          throw new P2pException(Reason.CLOSED, what() + " is closed for writing");
        }
        n = (int) Math.min(Math.min(bytes.length - at, sendWindow), YamuxSession.MAX_DATA_OUT);
        sendWindow -= n;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new P2pException(Reason.CLOSED, "interrupted while writing " + what(), e);
      } finally {
        lock.unlock();
      }
      byte[] chunk = new byte[n];
      System.arraycopy(bytes, at, chunk, 0, n);
      session.send(new YamuxFrame(YamuxFrame.TYPE_DATA, 0, id, n, chunk));
      at += n;
    }
  }

  @Override
  public void closeWrite() throws P2pException {
    boolean done;
    lock.lock();
    try {
      if (resetReason != null) {
        throw new P2pException(Reason.CLOSED, what() + " was reset: " + resetReason);
      }
      if (localClosed) {
        return;
      }
      localClosed = true;
      done = remoteClosed;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    session.send(YamuxFrame.control(YamuxFrame.TYPE_WINDOW_UPDATE, YamuxFrame.FLAG_FIN, id, 0));
    if (done) {
      session.remove(this);
    }
  }

  @Override
  public void reset() {
    lock.lock();
    try {
      if (resetReason != null) {
        return;
      }
    } finally {
      lock.unlock();
    }
    onReset("reset locally");
    session.send(YamuxFrame.control(YamuxFrame.TYPE_WINDOW_UPDATE, YamuxFrame.FLAG_RST, id, 0));
    session.remove(this);
  }

  /**
   * Closes our side; data still arriving is dropped (and credited back) until the peer closes its
   * side, or the stream is reset after the stream timeout.
   */
  @Override
  public void close() {
    boolean open;
    lock.lock();
    try {
      open = resetReason == null && !remoteClosed;
      discarding = true;
      consumedSinceUpdate += buffered;
      chunks.clear();
      buffered = 0;
    } finally {
      lock.unlock();
    }
    try {
      closeWrite();
    } catch (P2pException e) {
      return; // already reset: nothing left to close
    }
    if (open) {
      session.resetLater(this, timeoutNanos);
    }
  }

  /** Returns the bytes received and not yet read. */
  int bufferedBytes() {
    lock.lock();
    try {
      return buffered;
    } finally {
      lock.unlock();
    }
  }

  boolean isFinished() {
    lock.lock();
    try {
      return resetReason != null || (remoteClosed && localClosed);
    } finally {
      lock.unlock();
    }
  }

  private P2pException timeout(String doing) {
    return new P2pException(
        Reason.TIMEOUT,
        what() + ": " + doing + " took longer than " + Duration.ofNanos(timeoutNanos));
  }

  private String what() {
    return "yamux stream " + Integer.toUnsignedString(id)
        + (protocol.isEmpty() ? "" : " (" + protocol + ")") + " with " + remotePeer;
  }
}
