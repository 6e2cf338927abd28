package dev.mnode.p2p.mdns;

import dev.mnode.p2p.DiscoveredPeer;
import dev.mnode.p2p.Mdns;
import dev.mnode.p2p.MdnsConfig;
import dev.mnode.p2p.MdnsListener;
import dev.mnode.p2p.Multiaddr;
import dev.mnode.p2p.P2pException;
import dev.mnode.p2p.P2pException.Reason;
import dev.mnode.p2p.PeerId;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.handler.codec.dns.DatagramDnsQuery;
import io.netty.handler.codec.dns.DatagramDnsResponse;
import io.netty.handler.codec.dns.DefaultDnsQuestion;
import io.netty.handler.codec.dns.DnsQuestion;
import io.netty.handler.codec.dns.DnsRecord;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsSection;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jspecify.annotations.Nullable;

/**
 * The mDNS discovery service on one Netty datagram channel with its own event loop thread.
 *
 * <p>Answers follow RFC 6762 section 6: a random delay of 20 to 120 ms (the PTR record is shared
 * by all peers), and at most one multicast answer per second, whatever the rate of queries; the
 * questions that arrive in the meantime are answered together. Queries from this node come back to
 * it and are answered too, as the spec asks; its own answers come back and are ignored (by peer
 * name and peer id).
 *
 * <p>Thread-safe: the fields marked "event loop" are touched only on the channel's event loop;
 * {@link PeerTable} has its own lock.
 */
final class MdnsService implements Mdns, MdnsHandler.Events {
  private static final Logger LOG = Logger.getLogger(MdnsService.class.getName());

  /** The shortest random delay before an answer. */
  static final Duration MIN_ANSWER_DELAY = Duration.ofMillis(20);

  /** The longest random delay before an answer. */
  static final Duration MAX_ANSWER_DELAY = Duration.ofMillis(120);

  /** The shortest time between two multicast answers. */
  static final Duration MIN_ANSWER_GAP = Duration.ofSeconds(1);

  /** The most distinct questions waiting for one answer. */
  static final int MAX_PENDING_QUESTIONS = 16;

  private final MdnsConfig config;
  private final PeerId self;
  private final Supplier<List<Multiaddr>> addresses;
  private final MdnsListener listener;
  private final Clock clock;
  private final SecureRandom random;
  private final String peerName;
  private final InetSocketAddress groupAddress;
  private final PeerTable peers;
  private final AtomicLong dropped = new AtomicLong();
  private final EventLoopGroup loop;
  private volatile LinkState link;
  private volatile boolean closed;
  private volatile @Nullable Channel channel;

  /** Event loop. */
  private final List<DnsQuestion> pending = new ArrayList<>();

  /** Event loop. */
  private boolean answerScheduled;

  /** Event loop. */
  private Instant lastAnswer = Instant.EPOCH;

  private MdnsService(
      MdnsConfig config, PeerId self, Supplier<List<Multiaddr>> addresses, MdnsListener listener,
      Clock clock, SecureRandom random) {
    this.config = config;
    this.self = self;
    this.addresses = addresses;
    this.listener = listener;
    this.clock = clock;
    this.random = random;
    this.peerName = MdnsNames.randomPeerName(random);
    this.groupAddress = new InetSocketAddress(config.group(), config.port());
    this.peers = new PeerTable(config.maxPeers(), config.ttl());
    this.link = LinkState.of(config.interfaceName());
    this.loop =
        new MultiThreadIoEventLoopGroup(
            1, new DefaultThreadFactory("mnode-mdns", true), NioIoHandler.newFactory());
  }

  /** See {@link MdnsModule#start}; the clock and random source are the tests' to choose. */
  static MdnsService start(
      MdnsConfig config, PeerId self, Supplier<List<Multiaddr>> addresses, MdnsListener listener,
      Clock clock, SecureRandom random) throws P2pException {
    NetworkInterface nic;
    try {
      nic = NetworkInterface.getByName(config.interfaceName());
      if (nic == null || !nic.isUp()) {
        throw new P2pException(
            Reason.IO, "mDNS: no network interface " + config.interfaceName() + " that is up");
      }
    } catch (SocketException e) {
      throw new P2pException(
          Reason.IO, "mDNS: cannot read interface " + config.interfaceName() + ": " + e, e);
    }
    MdnsService s = new MdnsService(config, self, addresses, listener, clock, random);
    try {
      s.bind(nic);
    } catch (P2pException | RuntimeException e) {
      s.close();
      throw e;
    }
    return s;
  }

  private void bind(NetworkInterface nic) throws P2pException {
    SocketProtocolFamily family =
        config.isIpv6() ? SocketProtocolFamily.INET6 : SocketProtocolFamily.INET;
    Bootstrap b =
        new Bootstrap()
            .group(loop)
            .channelFactory(() -> new NioDatagramChannel(family))
            .option(ChannelOption.SO_REUSEADDR, true)
            .option(ChannelOption.IP_MULTICAST_IF, nic)
            .option(ChannelOption.IP_MULTICAST_TTL, 255)
            .option(ChannelOption.IP_MULTICAST_LOOP_DISABLED, false)
            // One byte more than the largest accepted packet, so a longer one is seen as such.
            .option(
                ChannelOption.RCVBUF_ALLOCATOR,
                new FixedRecvByteBufAllocator(PacketGuard.MAX_PACKET_BYTES + 1))
            .handler(
                new ChannelInitializer<DatagramChannel>() {
                  @Override
                  protected void initChannel(DatagramChannel ch) {
                    MdnsPipeline.install(
                        ch.pipeline(), a -> link.onLink(a), config.port(), MdnsService.this);
                  }
                });
    InetAddress any;
    try {
      any = InetAddress.getByName(config.isIpv6() ? "::" : "0.0.0.0");
    } catch (java.net.UnknownHostException e) {
      throw new IllegalStateException("wildcard address", e);
    }
    ChannelFuture bound = b.bind(new InetSocketAddress(any, config.port())).awaitUninterruptibly();
    if (!bound.isSuccess()) {
      throw new P2pException(
          Reason.IO, "mDNS: cannot bind UDP port " + config.port() + ": " + bound.cause(),
          bound.cause());
    }
    DatagramChannel ch = (DatagramChannel) bound.channel();
    channel = ch;
    ChannelFuture joined = ch.joinGroup(groupAddress, nic).awaitUninterruptibly();
    if (!joined.isSuccess()) {
      throw new P2pException(
          Reason.IO,
          "mDNS: cannot join " + config.group().getHostAddress() + " on "
              + config.interfaceName() + ": " + joined.cause(),
          joined.cause());
    }
    long every = config.queryInterval().toMillis();
    ch.eventLoop().scheduleAtFixedRate(this::sendQuery, 0, every, TimeUnit.MILLISECONDS);
  }

  @Override
  public String peerName() {
    return peerName;
  }

  @Override
  public List<DiscoveredPeer> peers() {
    return peers.live(clock.instant());
  }

  @Override
  public void query() {
    Channel c = channel;
    if (c != null && !closed) {
      c.eventLoop().execute(this::sendQuery);
    }
  }

  /** Returns how many inbound packets were dropped as malformed, oversized or off the link. */
  long droppedPackets() {
    return dropped.get();
  }

  private void sendQuery() {
    Channel c = channel;
    if (closed || c == null) {
      return;
    }
    link = LinkState.of(config.interfaceName());
    c.writeAndFlush(MdnsRecords.query(groupAddress)).addListener(f -> {
      if (!f.isSuccess() && !closed) {
        LOG.log(Level.FINE, "mDNS query not sent: " + f.cause());
      }
    });
  }

  @Override
  public void query(DatagramDnsQuery query) {
    if (!config.announce() || closed) {
      return;
    }
    int n = query.count(DnsSection.QUESTION);
    for (int i = 0; i < n; i++) {
      DnsQuestion q = query.recordAt(DnsSection.QUESTION, i);
      if (ours(q.name()) && pending.size() < MAX_PENDING_QUESTIONS && !isPending(q)) {
        pending.add(new DefaultDnsQuestion(q.name(), q.type(), q.dnsClass()));
      }
    }
    Channel c = channel;
    if (pending.isEmpty() || answerScheduled || c == null) {
      return;
    }
    answerScheduled = true;
    long delay =
        MIN_ANSWER_DELAY.toMillis()
            + random.nextInt((int) (MAX_ANSWER_DELAY.toMillis() - MIN_ANSWER_DELAY.toMillis() + 1));
    long gap = Duration.between(clock.instant(), lastAnswer.plus(MIN_ANSWER_GAP)).toMillis();
    c.eventLoop().schedule(this::answer, Math.max(delay, gap), TimeUnit.MILLISECONDS);
  }

  private boolean ours(String name) {
    return MdnsNames.same(name, MdnsNames.SERVICE)
        || MdnsNames.same(name, MdnsNames.META)
        || MdnsNames.same(name, MdnsNames.instance(peerName))
        || MdnsNames.same(name, MdnsNames.host(peerName));
  }

  private boolean isPending(DnsQuestion q) {
    for (DnsQuestion p : pending) {
      if (p.type() == q.type() && MdnsNames.same(p.name(), q.name())) {
        return true;
      }
    }
    return false;
  }

  private void answer() {
    answerScheduled = false;
    List<DnsQuestion> questions = List.copyOf(pending);
    pending.clear();
    Channel c = channel;
    if (closed || c == null) {
      return;
    }
    DatagramDnsResponse response = ownResponse(questions, config.ttl().toSeconds());
    if (response != null) {
      lastAnswer = clock.instant();
      c.writeAndFlush(response);
    }
  }

  /** Returns this node's answer to {@code questions} with records of {@code ttl}, or null. */
  private @Nullable DatagramDnsResponse ownResponse(
      List<DnsQuestion> questions, long ttl) {
    List<Multiaddr> announced =
        LanAddresses.toAnnounce(
            addresses.get(), self, link.addresses(), config.announceLoopback(),
            config.maxAddressesPerPeer());
    if (announced.isEmpty()) {
      return null;
    }
    return MdnsRecords.response(
        groupAddress, questions, MdnsRecords.ownRecords(peerName, announced, ttl),
        MdnsRecords.metaRecord(ttl));
  }

  @Override
  public void response(DatagramDnsResponse response) {
    if (closed) {
      return;
    }
    boolean local = response.sender().getAddress().isLoopbackAddress();
    for (Announcement a : Announcements.read(response, config.maxAddressesPerPeer(), local)) {
      if (a.peerName().equals(peerName) || a.peerId().map(self::equals).orElse(false)) {
        continue; // our own answer, back through the loop
      }
      peers.update(a, clock.instant()).ifPresent(this::tell);
    }
  }

  private void tell(DiscoveredPeer peer) {
    try {
      listener.discovered(peer);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "mDNS listener failed on " + peer.peerId(), e);
    }
  }

  @Override
  public void dropped(String reason) {
    dropped.incrementAndGet();
    LOG.log(Level.FINE, "mDNS packet dropped: {0}", reason);
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    Channel c = channel;
    if (c != null && c.isActive() && config.announce()) {
      // Goodbye (RFC 6762 section 10.1): this node's records with TTL 0, so peers drop them now.
      DatagramDnsResponse goodbye =
          ownResponse(
              List.of(
                  new DefaultDnsQuestion(MdnsNames.SERVICE, DnsRecordType.PTR, DnsRecord.CLASS_IN)),
              0);
      if (goodbye != null) {
        c.writeAndFlush(goodbye).awaitUninterruptibly(1, TimeUnit.SECONDS);
      }
    }
    closed = true;
    if (c != null) {
      c.close().awaitUninterruptibly(1, TimeUnit.SECONDS);
    }
    loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
  }
}
