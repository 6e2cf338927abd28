package dev.mnode.node.http;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.flow.FlowControlHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The API on Netty. Pipeline of each connection:
 *
 * <pre>
 *   RequestDeadline    whole request within the timeout, else 408 / close
 *   HttpServerCodec    request line at most 8 KiB (414), headers at most 16 KiB (431)
 *   BoundedAggregator  body at most max_body_bytes (413)
 *   FlowControlHandler one request at a time, even when a client pipelines several
 *   ApiHandler         Host/Origin, path, route, then auth, limits and the route on a worker
 * </pre>
 *
 * Thread-safe.
 */
final class NettyApiServer implements ApiServer {
  static final int MAX_HEADERS = 16_384;
  private static final long DRAIN_SECONDS = 5;

  private final EventLoopGroup group;
  private final ExecutorService workers;
  private final ChannelGroup channels = new DefaultChannelGroup("mnode-api", GlobalEventExecutor.INSTANCE);
  private final Channel server;
  private final InetSocketAddress address;
  private boolean closed; // guarded by this

  NettyApiServer(ApiContext api, String bind, int port, int maxBody, int timeoutSeconds) throws InterruptedException {
    this.workers = api.workers();
    this.group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("mnode-api-io", true), NioIoHandler.newFactory());
    try {
      ServerBootstrap b =
          new ServerBootstrap()
              .group(group)
              .channel(NioServerSocketChannel.class)
              .childOption(ChannelOption.TCP_NODELAY, true)
              .childHandler(
                  new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                      channels.add(ch);
                      ch.pipeline()
                          .addLast(new RequestDeadline(timeoutSeconds * 1000L, api.metrics()))
                          .addLast(new HttpServerCodec(RequestTarget.MAX_LINE, MAX_HEADERS, 8_192))
                          .addLast(new BoundedAggregator(maxBody, api.metrics()))
                          .addLast(new FlowControlHandler())
                          .addLast(new ApiHandler(api));
                    }
                  });
      this.server = b.bind(new InetSocketAddress(bind, port)).sync().channel();
      this.address = (InetSocketAddress) server.localAddress();
    } catch (RuntimeException | InterruptedException e) {
      group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
      workers.shutdownNow();
      throw e;
    }
  }

  @Override
  public InetSocketAddress address() {
    return address;
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    server.close().awaitUninterruptibly();
    workers.shutdown();
    try {
      if (!workers.awaitTermination(DRAIN_SECONDS, TimeUnit.SECONDS)) {
        workers.shutdownNow();
      }
    } catch (InterruptedException e) {
      workers.shutdownNow();
      Thread.currentThread().interrupt();
    }
    // Answers already handed to the event loop go out before the connections close.
    group.submit(() -> {}).awaitUninterruptibly(DRAIN_SECONDS, TimeUnit.SECONDS);
    channels.close().awaitUninterruptibly(DRAIN_SECONDS, TimeUnit.SECONDS);
    group.shutdownGracefully(0, DRAIN_SECONDS, TimeUnit.SECONDS).awaitUninterruptibly();
  }
}
