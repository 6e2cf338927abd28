package dev.mnode.p2p.mdns;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.handler.codec.dns.DatagramDnsQuery;
import io.netty.handler.codec.dns.DatagramDnsResponse;
import io.netty.handler.codec.dns.DnsQuestion;
import io.netty.handler.codec.dns.DnsSection;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The mDNS pipeline on an {@link EmbeddedChannel}, recording what reaches the service: the
 * questions of each query, the announcements of each response, and each drop. Confined to the test
 * thread.
 */
final class MdnsTestPipeline implements MdnsHandler.Events, AutoCloseable {
  static final InetSocketAddress GROUP = new InetSocketAddress("224.0.0.251", 5353);
  static final InetSocketAddress LOCAL_PEER = new InetSocketAddress("127.0.0.1", 5353);

  final EmbeddedChannel channel = new EmbeddedChannel();
  final List<List<DnsQuestion>> queries = new ArrayList<>();
  final List<List<Announcement>> responses = new ArrayList<>();
  final List<String> drops = new ArrayList<>();

  MdnsTestPipeline() {
    MdnsPipeline.install(channel.pipeline(), a -> a.isLoopbackAddress(), 5353, this);
  }

  @Override
  public void query(DatagramDnsQuery query) {
    List<DnsQuestion> qs = new ArrayList<>();
    for (int i = 0; i < query.count(DnsSection.QUESTION); i++) {
      qs.add(query.recordAt(DnsSection.QUESTION, i));
    }
    queries.add(qs);
  }

  @Override
  public void response(DatagramDnsResponse response) {
    responses.add(Announcements.read(response, 16, response.sender().getAddress().isLoopbackAddress()));
  }

  @Override
  public void dropped(String reason) {
    drops.add(reason);
  }

  /** Encodes {@code message} (a DatagramDnsQuery or DatagramDnsResponse) to its bytes. */
  byte[] encode(Object message) {
    channel.writeOutbound(message);
    DatagramPacket p = channel.readOutbound();
    try {
      byte[] b = new byte[p.content().readableBytes()];
      p.content().getBytes(p.content().readerIndex(), b);
      return b;
    } finally {
      p.release();
    }
  }

  /**
   * Feeds {@code bytes} from {@code sender} inbound and returns the packet, which the pipeline must
   * have released.
   */
  DatagramPacket receive(byte[] bytes, InetSocketAddress sender) {
    ByteBuf b = Unpooled.buffer(bytes.length).writeBytes(bytes);
    DatagramPacket p = new DatagramPacket(b, GROUP, sender);
    channel.writeInbound(p);
    channel.checkException();
    return p;
  }

  @Override
  public void close() {
    channel.finishAndReleaseAll();
  }

  /** A DNS message written by hand, field by field (RFC 1035 section 4.1). */
  static final class Bytes {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    Bytes u8(int v) {
      out.write(v);
      return this;
    }

    Bytes u16(int v) {
      return u8(v >> 8 & 0xff).u8(v & 0xff);
    }

    Bytes u32(long v) {
      return u16((int) (v >> 16 & 0xffff)).u16((int) (v & 0xffff));
    }

    Bytes header(int flags, int qd, int an, int ns, int ar) {
      return u16(0).u16(flags).u16(qd).u16(an).u16(ns).u16(ar);
    }

    /** Labels, without the terminating zero (so a pointer or zero can follow). */
    Bytes labels(String dotted) {
      for (String l : dotted.split("\\.")) {
        byte[] b = l.getBytes(StandardCharsets.US_ASCII);
        u8(b.length);
        out.write(b, 0, b.length);
      }
      return this;
    }

    Bytes name(String dotted) {
      return labels(dotted).u8(0);
    }

    Bytes pointer(int offset) {
      return u16(0xc000 | offset);
    }

    Bytes text(String s) {
      byte[] b = s.getBytes(StandardCharsets.UTF_8);
      u8(b.length);
      out.write(b, 0, b.length);
      return this;
    }

    Bytes raw(byte[] b) {
      out.write(b, 0, b.length);
      return this;
    }

    int size() {
      return out.size();
    }

    byte[] bytes() {
      return out.toByteArray();
    }
  }
}
