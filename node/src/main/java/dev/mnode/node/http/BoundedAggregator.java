package dev.mnode.node.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;

/**
 * Gathers a request into one message of at most {@code maxBody} bytes; a larger body (announced by
 * its Content-Length, or found while it streams in chunks) is answered 413 with a JSON error, and
 * the connection closes, so the rest of the body is never read. Confined to the event loop.
 */
final class BoundedAggregator extends HttpObjectAggregator {
  private final Metrics metrics;

  BoundedAggregator(int maxBody, Metrics metrics) {
    super(maxBody);
    this.metrics = metrics;
  }

  @Override
  protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
    metrics.refused("too_large");
    ApiError e = new ApiError(413, "too_large", "the body is larger than " + maxContentLength() + " bytes");
    ctx.writeAndFlush(Responses.of(Reply.error(e), false)).addListener(Linger.AFTER_WRITE);
  }
}
