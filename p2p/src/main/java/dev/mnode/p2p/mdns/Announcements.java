package dev.mnode.p2p.mdns;

import dev.mnode.p2p.Multiaddr;
import dev.mnode.p2p.PeerId;
import dev.mnode.p2p.multiformats.MultiformatException;
import io.netty.handler.codec.dns.DnsPtrRecord;
import io.netty.handler.codec.dns.DnsRawRecord;
import io.netty.handler.codec.dns.DnsRecord;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsResponse;
import io.netty.handler.codec.dns.DnsSection;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Reads what a response announces: for each {@code _p2p._udp.local PTR <peer-name>._p2p._udp.local}
 * in the answer section, the {@code dnsaddr=} strings of the TXT records of that instance name in
 * the answer and additional sections (js-libp2p puts them among the answers, the spec among the
 * additional records). SRV, A and AAAA records are not read: the TXT addresses carry all a dial
 * needs. Stateless.
 *
 * <p>An address is kept if it parses, ends in {@code /p2p/<id>} for the same id as the first kept
 * address of that peer, and passes {@link LanAddresses#acceptable}; the rest are skipped, never
 * thrown.
 */
final class Announcements {
  /** The most character-strings read from one TXT record. */
  static final int MAX_TXT_STRINGS = 64;

  private Announcements() {}

  /**
   * Returns the announcements in {@code response}, one per distinct peer name, each with at most
   * {@code maxAddresses} addresses; a goodbye (TTL 0) may have none.
   */
  static List<Announcement> read(DnsResponse response, int maxAddresses, boolean senderIsLocal) {
    List<Announcement> out = new ArrayList<>();
    Set<String> seen = new LinkedHashSet<>();
    int answers = response.count(DnsSection.ANSWER);
    for (int i = 0; i < answers; i++) {
      DnsRecord r = response.recordAt(DnsSection.ANSWER, i);
      if (!(r instanceof DnsPtrRecord ptr) || !MdnsNames.same(ptr.name(), MdnsNames.SERVICE)) {
        continue;
      }
      Optional<String> peerName = MdnsNames.peerNameOf(ptr.hostname());
      if (peerName.isEmpty() || !seen.add(peerName.get())) {
        continue;
      }
      List<Multiaddr> addresses =
          addresses(response, ptr.hostname(), maxAddresses, senderIsLocal);
      if (!addresses.isEmpty() || ptr.timeToLive() == 0) {
        out.add(new Announcement(peerName.get(), ptr.timeToLive(), addresses));
      }
    }
    return out;
  }

  private static List<Multiaddr> addresses(
      DnsResponse response, String instance, int max, boolean senderIsLocal) {
    Set<Multiaddr> out = new LinkedHashSet<>();
    @Nullable PeerId peer = null;
    for (DnsSection section : new DnsSection[] {DnsSection.ANSWER, DnsSection.ADDITIONAL}) {
      int n = response.count(section);
      for (int i = 0; i < n && out.size() < max; i++) {
        DnsRecord r = response.recordAt(section, i);
        if (r.type() != DnsRecordType.TXT
            || !(r instanceof DnsRawRecord txt)
            || !MdnsNames.same(r.name(), instance)) {
          continue;
        }
        for (String s : TxtStrings.read(txt.content(), MAX_TXT_STRINGS)) {
          Optional<Multiaddr> a = dnsaddr(s);
          if (a.isEmpty() || !LanAddresses.acceptable(a.get(), senderIsLocal)) {
            continue;
          }
          PeerId id = a.get().peerId().orElseThrow();
          if (peer == null) {
            peer = id;
          }
          if (peer.equals(id) && out.size() < max) {
            out.add(a.get());
          }
        }
      }
    }
    return List.copyOf(out);
  }

  /** Returns the address of a {@code dnsaddr=<multiaddr>} string ending in a peer id. */
  static Optional<Multiaddr> dnsaddr(String txt) {
    if (!txt.regionMatches(true, 0, LanAddresses.DNSADDR, 0, LanAddresses.DNSADDR.length())) {
      return Optional.empty();
    }
    try {
      Multiaddr a = Multiaddr.parse(txt.substring(LanAddresses.DNSADDR.length()));
      Optional<PeerId> id = a.peerId();
      if (id.isEmpty() || a.withoutPeerId().isEmpty()
          || !a.equals(a.withoutPeerId().withPeerId(id.get()))) {
        return Optional.empty();
      }
      return Optional.of(a);
    } catch (MultiformatException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
