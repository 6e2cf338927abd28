package dev.mnode.p2p.net;

import dev.mnode.p2p.P2pException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageCodec;
import java.util.List;

/**
 * The Noise transport phase of a libp2p connection: every message is ChaChaPoly-encrypted with an
 * empty associated data and travels with a 2-byte big-endian length, so one message holds at most
 * 65535 bytes of ciphertext, 65519 of plaintext.
 *
 * <pre>
 *   +----------------+---------------------------------+------------------+
 *   | length (u16 BE)| ciphertext (length - 16 bytes)  | Poly1305 tag (16)|
 *   +----------------+---------------------------------+------------------+
 * </pre>
 *
 * Outbound bytes are cut into as many messages as needed. A message that fails authentication
 * fails the connection (PROTOCOL_VIOLATION). Confined to the channel's event loop.
 */
final class NoiseTransportCodec extends ByteToMessageCodec<ByteBuf> {
  static final int MAX_CIPHERTEXT_BYTES = 65_535;
  static final int MAX_PLAINTEXT_BYTES = MAX_CIPHERTEXT_BYTES - NoiseCipherState.TAG_BYTES;
  private static final byte[] NO_AD = new byte[0];

  private final NoiseCipherState send;
  private final NoiseCipherState receive;

  NoiseTransportCodec(NoiseCipherState send, NoiseCipherState receive) {
    super(ByteBuf.class);
    this.send = send;
    this.receive = receive;
  }

  @Override
  protected void encode(ChannelHandlerContext ctx, ByteBuf msg, ByteBuf out) {
    while (msg.isReadable()) {
      int n = Math.min(msg.readableBytes(), MAX_PLAINTEXT_BYTES);
      byte[] plain = new byte[n];
      msg.readBytes(plain);
      byte[] cipher = send.encrypt(NO_AD, plain);
      out.writeShort(cipher.length).writeBytes(cipher);
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
    while (in.readableBytes() >= 2) {
      int length = in.getUnsignedShort(in.readerIndex());
      if (in.readableBytes() < 2 + length) {
        return;
      }
      in.skipBytes(2);
      byte[] cipher = new byte[length];
      in.readBytes(cipher);
      byte[] plain = receive.decrypt(NO_AD, cipher);
      if (plain.length > 0) {
        out.add(Unpooled.wrappedBuffer(plain));
      }
    }
  }
}
