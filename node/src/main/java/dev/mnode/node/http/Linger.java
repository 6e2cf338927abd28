package dev.mnode.node.http;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.AttributeKey;
import java.util.concurrent.TimeUnit;

/**
 * Closes a connection after an answer that ends it (an error, {@code Connection: close}) without
 * losing that answer: closing a socket that still has unread bytes from the client (the rest of a
 * body too large, of a request line too long) makes the kernel reset the connection, and the
 * client may never read the answer. So the output is shut first, what still arrives is read and
 * dropped, and the socket closes when the client closes or after {@link #SECONDS}. Stateless.
 */
final class Linger {
  static final long SECONDS = 2;
  static final AttributeKey<Boolean> CLOSING = AttributeKey.valueOf("mnode.api.closing");
  static final ChannelFutureListener AFTER_WRITE = f -> close(f.channel());

  private Linger() {}

  static boolean closing(Channel ch) {
    return Boolean.TRUE.equals(ch.attr(CLOSING).get());
  }

  static void close(Channel ch) {
    ch.attr(CLOSING).set(true);
    if (ch instanceof SocketChannel s && s.isActive() && !s.isOutputShutdown()) {
      s.shutdownOutput();
      ch.config().setAutoRead(true);
      ch.eventLoop().schedule(() -> ch.close(), SECONDS, TimeUnit.SECONDS);
    } else {
      ch.close();
    }
  }
}
