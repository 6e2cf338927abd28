package dev.mnode.cli;

import dev.mnode.p2p.Ed25519Identity;
import dev.mnode.p2p.Host;
import dev.mnode.p2p.HostConfig;
import dev.mnode.p2p.Multiaddr;
import dev.mnode.p2p.P2pException;
import dev.mnode.p2p.multiformats.MultiformatException;
import dev.mnode.p2p.net.P2pModule;
import java.io.IOException;
import java.time.Duration;
import java.util.Locale;

/**
 * What the {@code mnode p2p} tools share: a throw-away Ed25519 identity made at start (never the
 * home's), one libp2p host on it, address parsing and the mapping of network failures to exit
 * codes. Confined to the command's thread; closing it closes the host, then wipes the identity.
 */
final class P2pTool implements AutoCloseable {
  /** The most streams a tool's host allows on one connection (the echo tool opens up to this). */
  static final int MAX_STREAMS = 1024;

  private final Ed25519Identity identity;
  private final Host host;

  private P2pTool(Ed25519Identity identity, Host host) {
    this.identity = identity;
    this.host = host;
  }

  /** Makes a fresh identity and a host for it, with this build's agent version. */
  static P2pTool start() {
    Ed25519Identity identity = Ed25519Identity.generate();
    HostConfig d = HostConfig.defaults();
    HostConfig config =
        new HostConfig(
            agentVersion(), d.handshakeTimeout(), d.streamTimeout(), d.maxConnections(),
            MAX_STREAMS, d.gate());
    return new P2pTool(identity, P2pModule.newHost(identity, config));
  }

  Host host() {
    return host;
  }

  @Override
  public void close() {
    host.close();
    identity.close();
  }

  /** Returns {@code mnode/<version>}, the version Maven wrote into the jar. */
  static String agentVersion() {
    try {
      String v = new Mnode.Version().getVersion()[0]; // "mnode <version>"
      return v.replace(' ', '/');
    } catch (IOException e) {
      return "mnode/unknown";
    }
  }

  /** Parses a multiaddr given on the command line; a bad one is invalid input (exit 2). */
  static Multiaddr parse(String text) throws CliException {
    try {
      return Multiaddr.parse(text);
    } catch (MultiformatException e) {
      throw new CliException(
          Mnode.EXIT_INVALID, "invalid_input", "invalid multiaddr '" + text + "': " + e.getMessage());
    }
  }

  /** Parses an address to dial: it must name the peer, {@code .../p2p/<peer id>}. */
  static Multiaddr parseDialable(String text) throws CliException {
    Multiaddr a = parse(text);
    if (a.peerId().isEmpty()) {
      throw new CliException(
          Mnode.EXIT_INVALID, "invalid_input",
          "multiaddr '" + text + "' names no peer: it must end in /p2p/<peer id>");
    }
    if (a.tcpPort().isEmpty()) {
      throw new CliException(
          Mnode.EXIT_INVALID, "invalid_input", "multiaddr '" + text + "' is not a TCP address");
    }
    return a;
  }

  /**
   * Turns a network failure into the tool's error: exit 1, with the reason as its code (such as
   * {@code io}, {@code handshake_timeout}, {@code unsupported_protocol}).
   */
  static CliException failure(P2pException e) {
    return new CliException(
        Mnode.EXIT_FAILURE, e.reason().name().toLowerCase(Locale.ROOT), e.getMessage());
  }

  /** An address the host cannot use (not TCP on an IP or a name): invalid input, exit 2. */
  static CliException invalid(IllegalArgumentException e) {
    return new CliException(Mnode.EXIT_INVALID, "invalid_input", e.getMessage());
  }

  /** Milliseconds with microsecond precision, for JSON and text. */
  static double millis(Duration d) {
    return Math.round(d.toNanos() / 1_000.0) / 1_000.0;
  }
}
