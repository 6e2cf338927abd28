package dev.mnode.p2p.net;

import dev.mnode.p2p.P2pException;
import dev.mnode.p2p.P2pException.Reason;
import dev.mnode.p2p.PeerId;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jspecify.annotations.Nullable;

/**
 * A yamux 1.0 session over one secured connection: opens and accepts {@link YamuxStream}s, routes
 * frames to them, answers pings, honours go-away, and enforces the stream limit and the flow
 * control windows. The dialer's streams have odd ids, the listener's even ones. A peer that breaks
 * the protocol gets a go-away (protocol error) and loses the connection.
 *
 * <p>Frames are handled on the channel's event loop; {@link #openStream}, {@link #send} and the
 * other calls from streams are safe from any thread.
 */
final class YamuxSession extends ChannelInboundHandlerAdapter {
  private static final Logger LOG = Logger.getLogger(YamuxSession.class.getName());

  /** The initial (and, here, the only) receive window of every stream. */
  static final int INITIAL_WINDOW = 256 * 1024;

  /**
   * The most answers the peer asked for (pongs, stream acknowledgements and refusals) that may wait
   * unsent because the peer does not read them; one more is a protocol violation.
   */
  static final int MAX_PENDING_ANSWERS = 4096;

  /** How long a go-away may wait to be sent before the connection closes anyway. */
  static final long CLOSE_GRACE_MILLIS = 1000;

  /** The largest data frame we send: it fits one Noise transport message with its header. */
  static final int MAX_DATA_OUT = NoiseTransportCodec.MAX_PLAINTEXT_BYTES - YamuxFrame.HEADER_BYTES;

  private final Channel channel;
  private final boolean client;
  private final PeerId remotePeer;
  private final int maxStreams;
  private final Duration streamTimeout;
  private final Consumer<YamuxStream> acceptor;
  private final Map<Integer, YamuxStream> streams = new ConcurrentHashMap<>();
  private final Map<Long, CompletableFuture<Long>> pings = new ConcurrentHashMap<>();
  private final Object openLock = new Object();
  private final AtomicInteger nextId; // guarded by openLock for taking ids
  private final AtomicInteger nextPing = new AtomicInteger();
  private final AtomicInteger pendingAnswers = new AtomicInteger();
  private volatile boolean goAwayReceived;
  private volatile boolean closed;
  // Event loop only:
  private int lastRemoteId;

  /**
   * @param client whether we dialed (our stream ids are odd)
   * @param acceptor receives each stream the peer opens, on the event loop; it must not block
   */
  YamuxSession(
      Channel channel,
      boolean client,
      PeerId remotePeer,
      int maxStreams,
      Duration streamTimeout,
      Consumer<YamuxStream> acceptor) {
    this.channel = channel;
    this.client = client;
    this.remotePeer = remotePeer;
    this.maxStreams = maxStreams;
    this.streamTimeout = streamTimeout;
    this.acceptor = acceptor;
    this.nextId = new AtomicInteger(client ? 1 : 2);
  }

  /**
   * Opens a stream (SYN). Safe from any thread.
   *
   * @throws P2pException TOO_MANY_STREAMS at the limit, CLOSED after go-away or close
   */
  YamuxStream openStream() throws P2pException {
    if (closed || !channel.isActive()) {
      throw new P2pException(Reason.CLOSED, "the connection to " + remotePeer + " is closed");
    }
    if (goAwayReceived) {
      throw new P2pException(
          Reason.CLOSED, remotePeer + " sent go-away: it accepts no new streams");
    }
    if (streams.size() >= maxStreams) {
      throw new P2pException(
          Reason.TOO_MANY_STREAMS,
          "the connection to " + remotePeer + " already has the maximum of " + maxStreams
              + " streams");
    }
    // Ids go out in increasing order, which the peer may check: taking one and sending its SYN is
    // one step for all opening threads.
    synchronized (openLock) {
      int id = nextId.getAndAdd(2);
      if (id < 0) {
        throw new P2pException(Reason.CLOSED, "yamux stream ids exhausted on this connection");
      }
      YamuxStream stream = new YamuxStream(this, id, remotePeer, streamTimeout);
      streams.put(id, stream);
      send(YamuxFrame.control(YamuxFrame.TYPE_WINDOW_UPDATE, YamuxFrame.FLAG_SYN, id, 0));
      return stream;
    }
  }

  /** Returns the number of open streams. */
  int streamCount() {
    return streams.size();
  }

  /**
   * Returns the bytes received and not yet read, over all streams: never more than the stream limit
   * times {@link #INITIAL_WINDOW}, since a peer that sends beyond a window loses the connection.
   */
  long bufferedBytes() {
    long total = 0;
    for (YamuxStream s : streams.values()) {
      total += s.bufferedBytes();
    }
    return total;
  }

  /**
   * Sends a yamux ping and returns a future of its round trip in nanoseconds; it fails if the
   * connection closes first.
   */
  CompletableFuture<Long> ping() {
    long value = nextPing.incrementAndGet() & 0xffffffffL;
    CompletableFuture<Long> done = new CompletableFuture<>();
    long start = System.nanoTime();
    pings.put(value, done);
    send(YamuxFrame.control(YamuxFrame.TYPE_PING, YamuxFrame.FLAG_SYN, 0, value));
    return done.thenApply(v -> System.nanoTime() - start);
  }

  /** Sends go-away (normal) and closes the connection. Safe from any thread. */
  void close() {
    if (!closed) {
      closed = true;
      goAwayAndClose(YamuxFrame.GO_AWAY_NORMAL);
    }
  }

  /**
   * Writes go-away with {@code code} and closes once it is sent, or after {@link
   * #CLOSE_GRACE_MILLIS} if a peer that does not read keeps it from being sent.
   */
  private void goAwayAndClose(int code) {
    channel.writeAndFlush(
            YamuxFrame.control(YamuxFrame.TYPE_GO_AWAY, 0, 0, code).encode(channel.alloc()))
        .addListener(ChannelFutureListener.CLOSE);
    channel.eventLoop().schedule(() -> channel.close(), CLOSE_GRACE_MILLIS, TimeUnit.MILLISECONDS);
  }

  /**
   * Writes a frame the peer asked for. A peer that asks faster than it reads (a ping flood, say)
   * would make answers pile up in memory: past {@link #MAX_PENDING_ANSWERS} unsent it loses the
   * connection instead. Event loop only.
   */
  private void answer(YamuxFrame frame) throws P2pException {
    if (!channel.isActive()) {
      return;
    }
    if (pendingAnswers.incrementAndGet() > MAX_PENDING_ANSWERS) {
      pendingAnswers.decrementAndGet();
      throw violation(
          "more than " + MAX_PENDING_ANSWERS + " answers (pongs, stream acknowledgements) wait"
              + " unsent: the peer asks faster than it reads");
    }
    channel.writeAndFlush(frame.encode(channel.alloc()))
        .addListener(f -> pendingAnswers.decrementAndGet());
  }

  /** Writes a frame. Safe from any thread; frames from one thread keep their order. */
  void send(YamuxFrame frame) {
    if (channel.isActive()) {
      channel.writeAndFlush(frame.encode(channel.alloc()), channel.voidPromise());
    }
  }

  void remove(YamuxStream stream) {
    streams.remove(stream.id(), stream);
  }

  /** Resets {@code stream} after {@code nanos} unless it has finished by then. */
  void resetLater(YamuxStream stream, long nanos) {
    channel.eventLoop().schedule(
        () -> {
          if (!stream.isFinished()) {
            stream.reset();
          }
        },
        nanos,
        TimeUnit.NANOSECONDS);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) throws P2pException {
    if (!(msg instanceof YamuxFrame frame)) {
      ctx.fireChannelRead(msg);
      return;
    }
    switch (frame.type) {
      case YamuxFrame.TYPE_DATA, YamuxFrame.TYPE_WINDOW_UPDATE -> onStreamFrame(frame);
      case YamuxFrame.TYPE_PING -> onPing(frame);
      case YamuxFrame.TYPE_GO_AWAY -> onGoAway(frame);
      default -> throw violation("unknown frame type " + frame.type);
    }
  }

  private void onStreamFrame(YamuxFrame frame) throws P2pException {
    int id = frame.streamId;
    if (id == 0) {
      throw violation("a stream frame on stream 0");
    }
    YamuxStream stream = streams.get(id);
    if (frame.has(YamuxFrame.FLAG_SYN)) {
      stream = accept(id);
      if (stream == null) {
        return;
      }
    }
    if (stream == null) {
      return; // a stream we already closed or reset: late frames are dropped
    }
    if (frame.type == YamuxFrame.TYPE_DATA) {
      if (!stream.onData(frame.data)) {
        throw violation(
            "stream " + Integer.toUnsignedString(id) + " sent " + frame.data.length
                + " bytes beyond its window");
      }
    } else if (frame.length > 0) {
      stream.onWindowUpdate(frame.length);
    }
    if (frame.has(YamuxFrame.FLAG_RST)) {
      stream.onReset("reset by " + remotePeer);
      remove(stream);
    } else if (frame.has(YamuxFrame.FLAG_FIN)) {
      stream.onRemoteClose();
    }
  }

  private @Nullable YamuxStream accept(int id) throws P2pException {
    boolean remoteParity = (id & 1) == (client ? 0 : 1);
    if (!remoteParity) {
      throw violation("the peer opened stream " + Integer.toUnsignedString(id) + " with our parity");
    }
    if (Integer.compareUnsigned(id, lastRemoteId) <= 0) {
      throw violation("the peer reused or went back to stream id " + Integer.toUnsignedString(id));
    }
    lastRemoteId = id;
    if (closed || streams.size() >= maxStreams) {
      answer(YamuxFrame.control(YamuxFrame.TYPE_WINDOW_UPDATE, YamuxFrame.FLAG_RST, id, 0));
      LOG.fine(() -> remotePeer + " opened a stream beyond the limit of " + maxStreams);
      return null;
    }
    YamuxStream stream = new YamuxStream(this, id, remotePeer, streamTimeout);
    streams.put(id, stream);
    answer(YamuxFrame.control(YamuxFrame.TYPE_WINDOW_UPDATE, YamuxFrame.FLAG_ACK, id, 0));
    acceptor.accept(stream);
    return stream;
  }

  private void onPing(YamuxFrame frame) throws P2pException {
    if (frame.has(YamuxFrame.FLAG_SYN)) {
      answer(YamuxFrame.control(YamuxFrame.TYPE_PING, YamuxFrame.FLAG_ACK, 0, frame.length));
    } else if (frame.has(YamuxFrame.FLAG_ACK)) {
      CompletableFuture<Long> done = pings.remove(frame.length);
      if (done != null) {
        done.complete(frame.length);
      }
    }
  }

  private void onGoAway(YamuxFrame frame) {
    goAwayReceived = true;
    if (frame.length != YamuxFrame.GO_AWAY_NORMAL) {
      LOG.log(Level.FINE, "{0} sent go-away with error code {1}", new Object[] {remotePeer, frame.length});
    }
    if (streams.isEmpty()) {
      channel.close();
    }
  }

  private P2pException violation(String detail) {
    return new P2pException(Reason.PROTOCOL_VIOLATION, "yamux from " + remotePeer + ": " + detail);
  }

  /** Sends go-away (protocol error) and closes; for failures found in our pipeline. */
  void failProtocol() {
    if (!closed) {
      closed = true;
      goAwayAndClose(YamuxFrame.GO_AWAY_PROTOCOL_ERROR);
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    closed = true;
    for (YamuxStream s : List.copyOf(streams.values())) {
      s.onReset("the connection closed");
    }
    streams.clear();
    for (CompletableFuture<Long> p : List.copyOf(pings.values())) {
      p.completeExceptionally(
          new P2pException(Reason.CLOSED, "the connection to " + remotePeer + " closed"));
    }
    pings.clear();
    super.channelInactive(ctx);
  }
}
