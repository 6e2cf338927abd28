package dev.mnode.p2p.mdns;

import dev.mnode.p2p.Multiaddr;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.dns.DatagramDnsQuery;
import io.netty.handler.codec.dns.DatagramDnsResponse;
import io.netty.handler.codec.dns.DefaultDnsPtrRecord;
import io.netty.handler.codec.dns.DefaultDnsQuestion;
import io.netty.handler.codec.dns.DefaultDnsRawRecord;
import io.netty.handler.codec.dns.DnsQuestion;
import io.netty.handler.codec.dns.DnsRecord;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsSection;
import io.netty.util.ReferenceCountUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Builds the DNS messages this node sends: the query for {@code _p2p._udp.local PTR} and the
 * response that answers it (see the package documentation for the records). Messages are Netty
 * {@code DatagramDns*} objects for Netty's encoders; the caller owns and releases them. Stateless.
 */
final class MdnsRecords {
  /** The cache-flush bit of an mDNS record class (RFC 6762 section 10.2): set on unique records. */
  static final int CACHE_FLUSH = 0x8000;

  /** The unicast-response bit of an mDNS question class (RFC 6762 section 5.4). */
  static final int UNICAST_RESPONSE = 0x8000;

  private MdnsRecords() {}

  /** Returns the query for all libp2p peers, to {@code recipient} (the group). */
  static DatagramDnsQuery query(InetSocketAddress recipient) {
    DatagramDnsQuery q = new DatagramDnsQuery(null, recipient, 0);
    q.addRecord(
        DnsSection.QUESTION,
        new DefaultDnsQuestion(MdnsNames.SERVICE, DnsRecordType.PTR, DnsRecord.CLASS_IN));
    return q;
  }

  /**
   * Returns this node's records for {@code addresses} (each ending in {@code /p2p/<id>}): the PTR
   * of the service, one TXT with a {@code dnsaddr=} string per address, one SRV per TCP port and
   * one A or AAAA per IP. The caller releases them (or hands them to a message).
   */
  static List<DnsRecord> ownRecords(String peerName, List<Multiaddr> addresses, long ttl) {
    String instance = MdnsNames.instance(peerName);
    String host = MdnsNames.host(peerName);
    List<DnsRecord> out = new ArrayList<>();
    out.add(new DefaultDnsPtrRecord(MdnsNames.SERVICE, DnsRecord.CLASS_IN, ttl, instance));
    List<String> txt = new ArrayList<>();
    Set<Integer> ports = new LinkedHashSet<>();
    Set<InetAddress> ips = new LinkedHashSet<>();
    for (Multiaddr a : addresses) {
      txt.add(LanAddresses.DNSADDR + a);
      a.tcpPort().ifPresent(ports::add);
      LanAddresses.ipOf(a).ifPresent(ips::add);
    }
    ByteBuf txtData = Unpooled.buffer();
    TxtStrings.write(txt, txtData);
    out.add(raw(instance, DnsRecordType.TXT, ttl, txtData));
    for (int port : ports) {
      ByteBuf srv = Unpooled.buffer();
      srv.writeShort(0).writeShort(0).writeShort(port); // priority, weight, port
      writeName(host, srv);
      out.add(raw(instance, DnsRecordType.SRV, ttl, srv));
    }
    for (InetAddress ip : ips) {
      DnsRecordType type = ip.getAddress().length == 4 ? DnsRecordType.A : DnsRecordType.AAAA;
      out.add(raw(host, type, ttl, Unpooled.wrappedBuffer(ip.getAddress())));
    }
    return out;
  }

  /** Returns the DNS-SD meta record {@code _services._dns-sd._udp.local PTR _p2p._udp.local}. */
  static DnsRecord metaRecord(long ttl) {
    return new DefaultDnsPtrRecord(MdnsNames.META, DnsRecord.CLASS_IN, ttl, MdnsNames.SERVICE);
  }

  /**
   * Returns the response to {@code questions} from this node's records, to {@code recipient}, or
   * null if no question asks for one of them. Records that answer a question go in the answer
   * section; the rest of this node's records (not the meta record) go in the additional section, as
   * the spec and RFC 6763 section 12 ask. Takes ownership of {@code own}: releases what it does not
   * use.
   */
  static @Nullable DatagramDnsResponse response(
      InetSocketAddress recipient, List<DnsQuestion> questions, List<DnsRecord> own,
      DnsRecord meta) {
    List<DnsRecord> all = new ArrayList<>(own);
    all.add(meta);
    // Netty's records compare by name, type and class only: keep track by identity.
    Set<DnsRecord> answers = Collections.newSetFromMap(new IdentityHashMap<>());
    for (DnsRecord r : all) {
      for (DnsQuestion q : questions) {
        if (answers(q, r)) {
          answers.add(r);
          break;
        }
      }
    }
    if (answers.isEmpty()) {
      all.forEach(ReferenceCountUtil::release);
      return null;
    }
    DatagramDnsResponse response = new DatagramDnsResponse(null, recipient, 0);
    response.setAuthoritativeAnswer(true);
    boolean ownAnswered = false;
    for (DnsRecord r : all) {
      if (answers.contains(r)) {
        response.addRecord(DnsSection.ANSWER, r);
        ownAnswered |= r != meta;
      }
    }
    for (DnsRecord r : own) {
      if (!answers.contains(r)) {
        if (ownAnswered) {
          response.addRecord(DnsSection.ADDITIONAL, r);
        } else {
          ReferenceCountUtil.release(r);
        }
      }
    }
    if (!answers.contains(meta)) {
      ReferenceCountUtil.release(meta);
    }
    return response;
  }

  /** Returns whether record {@code r} answers question {@code q} (name, type or ANY, class). */
  static boolean answers(DnsQuestion q, DnsRecord r) {
    int qclass = q.dnsClass() & ~UNICAST_RESPONSE;
    boolean classOk = qclass == DnsRecord.CLASS_IN || qclass == DnsRecord.CLASS_ANY;
    boolean typeOk = q.type() == DnsRecordType.ANY || q.type() == r.type();
    return classOk && typeOk && MdnsNames.same(q.name(), r.name());
  }

  private static DnsRecord raw(String name, DnsRecordType type, long ttl, ByteBuf data) {
    return new DefaultDnsRawRecord(name, type, DnsRecord.CLASS_IN | CACHE_FLUSH, ttl, data);
  }

  /** Writes an absolute name in uncompressed label form (RFC 1035 section 3.1). */
  static void writeName(String name, ByteBuf out) {
    for (String label : name.split("\\.")) {
      if (label.isEmpty()) {
        continue;
      }
      byte[] b = label.getBytes(StandardCharsets.US_ASCII);
      if (b.length > MdnsNames.MAX_LABEL_BYTES) {
        throw new IllegalArgumentException("label of " + b.length + " bytes in " + name);
      }
      out.writeByte(b.length).writeBytes(b);
    }
    out.writeByte(0);
  }
}
