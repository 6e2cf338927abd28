package dev.mnode.p2p.net;

import dev.mnode.p2p.Ed25519Identity;
import dev.mnode.p2p.Ed25519PublicKey;
import dev.mnode.p2p.P2pException;
import dev.mnode.p2p.P2pException.Reason;
import dev.mnode.p2p.multiformats.Bytes;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.security.SecureRandom;
import java.util.List;
import org.bouncycastle.crypto.params.X25519PrivateKeyParameters;
import org.jspecify.annotations.Nullable;

/**
 * Runs the libp2p Noise XX handshake on a connection. Each handshake message travels with a 2-byte
 * big-endian length:
 *
 * <pre>
 *   +----------------+---------------------------------+
 *   | length (u16 BE)| Noise handshake message         |
 *   +----------------+---------------------------------+
 * </pre>
 *
 * Messages 2 and 3 carry the signed {@link NoisePayload}; the peer's is verified against the static
 * key it sent. When done it puts a {@link NoiseTransportCodec} after itself, fires {@link
 * UpgradeEvent.Secured} and removes itself (later bytes go to the codec). A fresh static X25519 key
 * is made for every connection, as the spec allows.
 *
 * <p>Confined to the channel's event loop.
 */
final class NoiseHandshakeHandler extends ByteToMessageDecoder {
  static final int LENGTH_BYTES = 2;
  static final int MAX_MESSAGE_BYTES = 65_535;

  private final NoiseXX noise;
  private final byte[] localPayload;
  private @Nullable Ed25519PublicKey remoteKey;
  private boolean started;

  NoiseHandshakeHandler(boolean initiator, Ed25519Identity identity, SecureRandom random) {
    X25519PrivateKeyParameters staticKey = new X25519PrivateKeyParameters(random);
    this.noise = new NoiseXX(initiator, staticKey, random);
    this.localPayload = NoisePayload.create(identity, noise.localStaticPublicKey());
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) throws Exception {
    if (ctx.channel().isActive()) {
      start(ctx);
    }
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    start(ctx);
    super.channelActive(ctx);
  }

  private void start(ChannelHandlerContext ctx) throws P2pException {
    if (started) {
      return;
    }
    started = true;
    if (noise.isInitiator()) {
      send(ctx, noise.writeMessage(new byte[0])); // libp2p: the first message has no payload
    }
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out)
      throws P2pException {
    try {
      decodeFrames(ctx, in, out);
    } catch (P2pException e) {
      in.skipBytes(in.readableBytes()); // fail closed: nothing after a bad frame is read
      throw e;
    }
  }

  private void decodeFrames(ChannelHandlerContext ctx, ByteBuf in, List<Object> out)
      throws P2pException {
    while (!ctx.isRemoved() && in.readableBytes() >= LENGTH_BYTES) {
      int length = in.getUnsignedShort(in.readerIndex());
      if (in.readableBytes() < LENGTH_BYTES + length) {
        return;
      }
      in.skipBytes(LENGTH_BYTES);
      byte[] message = new byte[length];
      in.readBytes(message);
      onMessage(ctx, message);
    }
  }

  private void onMessage(ChannelHandlerContext ctx, byte[] message) throws P2pException {
    if (noise.isComplete() || noise.isMyTurn()) {
      throw new P2pException(
          Reason.PROTOCOL_VIOLATION, "unexpected Noise handshake message out of turn");
    }
    byte[] payload = noise.readMessage(message);
    if (!noise.isInitiator() && !noise.isComplete()) {
      // Message 1 carried no identity; answer with message 2.
      send(ctx, noise.writeMessage(localPayload));
      return;
    }
    remoteKey = NoisePayload.verify(payload, noise.remoteStaticPublicKey());
    if (noise.isInitiator()) {
      send(ctx, noise.writeMessage(localPayload));
    }
    finish(ctx);
  }

  private void finish(ChannelHandlerContext ctx) {
    ctx.pipeline()
        .addAfter(
            ctx.name(),
            "noise-transport",
            new NoiseTransportCodec(noise.sendCipher(), noise.receiveCipher()));
    ctx.fireUserEventTriggered(
        new UpgradeEvent.Secured(remoteKey, Bytes.copyOf(noise.handshakeHash())));
    ctx.pipeline().remove(this);
  }

  private static void send(ChannelHandlerContext ctx, byte[] message) {
    if (message.length > MAX_MESSAGE_BYTES) {
      throw new IllegalStateException("Noise handshake message too long: " + message.length);
    }
    ByteBuf buf = ctx.alloc().buffer(LENGTH_BYTES + message.length);
    buf.writeShort(message.length).writeBytes(message);
    ctx.writeAndFlush(buf);
  }
}
