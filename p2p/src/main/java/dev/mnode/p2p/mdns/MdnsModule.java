package dev.mnode.p2p.mdns;

import dev.mnode.p2p.Mdns;
import dev.mnode.p2p.MdnsConfig;
import dev.mnode.p2p.MdnsListener;
import dev.mnode.p2p.Multiaddr;
import dev.mnode.p2p.P2pException;
import dev.mnode.p2p.PeerId;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.function.Supplier;

/** Builds the mDNS discovery service: the one place that constructs it. Stateless. */
public final class MdnsModule {
  private MdnsModule() {}

  /**
   * Starts mDNS discovery with {@code config}: binds the UDP port, joins the group on the
   * configured interface, sends the first query and then one every query interval.
   *
   * @param self this node's peer id; announcements naming it are ignored
   * @param addresses this node's listen addresses (for example {@code host::listenAddresses}),
   *     read at each answer, on the service's network thread: it must return at once. Of these,
   *     only the ones suited to the link are announced (see {@link MdnsConfig})
   * @param listener told about discovered peers
   * @return the running service; the caller closes it
   * @throws P2pException IO if the interface does not exist or is down, or the port cannot be
   *     bound, or the group cannot be joined
   */
  public static Mdns start(
      MdnsConfig config, PeerId self, Supplier<List<Multiaddr>> addresses, MdnsListener listener)
      throws P2pException {
    return MdnsService.start(
        config, self, addresses, listener, Clock.systemUTC(), new SecureRandom());
  }
}
