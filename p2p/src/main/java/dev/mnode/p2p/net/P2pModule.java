package dev.mnode.p2p.net;

import dev.mnode.p2p.Ed25519Identity;
import dev.mnode.p2p.Host;
import dev.mnode.p2p.HostConfig;

/**
 * Builds this module's network implementations: the one place that constructs a {@link Host}.
 * Stateless.
 */
public final class P2pModule {
  /** The Netty I/O threads of a host. */
  public static final int IO_THREADS = 2;

  private P2pModule() {}

  /**
   * Returns a new host for {@code identity}, not yet listening. The caller keeps ownership of the
   * identity and must close the host before closing the identity.
   */
  public static Host newHost(Ed25519Identity identity, HostConfig config) {
    return new HostImpl(identity, config, IO_THREADS);
  }
}
