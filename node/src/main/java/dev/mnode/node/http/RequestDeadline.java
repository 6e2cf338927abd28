package dev.mnode.node.http;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Bounds how long a client may take: from the connection's start, or the end of its previous
 * response, the next request must have arrived whole within the timeout. A client that sent part
 * of a request by then (a slow client) gets 408 and the connection closes; an idle one is closed
 * quietly. While a request is being answered the clock is stopped. First in the pipeline; confined
 * to the channel's event loop.
 */
final class RequestDeadline extends ChannelDuplexHandler {
  private final long timeoutMillis;
  private final Metrics metrics;
  private @Nullable ChannelHandlerContext ctx;
  private @Nullable ScheduledFuture<?> timer;
  private boolean partial;
  private boolean busy;

  RequestDeadline(long timeoutMillis, Metrics metrics) {
    this.timeoutMillis = timeoutMillis;
    this.metrics = metrics;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    arm();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (Linger.closing(ctx.channel())) {
      io.netty.util.ReferenceCountUtil.release(msg); // the answer is out; the rest is dropped
      return;
    }
    if (!busy) {
      partial = true;
    }
    ctx.fireChannelRead(msg);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    cancel();
    ctx.fireChannelInactive();
  }

  /** A whole request arrived: stop the clock while it is answered. */
  void requestReceived() {
    busy = true;
    cancel();
  }

  /** Its response went out: the next request starts its own clock. */
  void responseSent() {
    busy = false;
    partial = false;
    arm();
  }

  private void arm() {
    cancel();
    ChannelHandlerContext c = ctx;
    if (c != null) {
      timer = c.executor().schedule(this::expired, timeoutMillis, TimeUnit.MILLISECONDS);
    }
  }

  private void cancel() {
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
  }

  private void expired() {
    ChannelHandlerContext c = ctx;
    if (busy || c == null || !c.channel().isActive() || Linger.closing(c.channel())) {
      return;
    }
    if (!partial) {
      c.close();
      return;
    }
    metrics.refused("timeout");
    ApiError e = new ApiError(408, "timeout", "the request did not arrive within " + timeoutMillis / 1000 + " s");
    // From the tail of the pipeline, so that the HTTP encoder after this handler sees it.
    c.channel().writeAndFlush(Responses.of(Reply.error(e), false)).addListener(Linger.AFTER_WRITE);
  }
}
