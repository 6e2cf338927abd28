package dev.mnode.p2p;

import java.time.Duration;

/**
 * A host's limits and policy. Every limit is checked here against a named bound, so a host never
 * starts with a limit of zero or one that cannot be enforced.
 *
 * @param agentVersion what identify reports as our implementation, 1 to {@link #MAX_AGENT_CHARS}
 *     characters
 * @param handshakeTimeout how long a new connection may take from TCP connect to a ready muxer
 *     (multistream-select, Noise, multistream-select, yamux); a slower one is closed
 * @param streamTimeout how long a blocking stream operation (read, write on a full window, protocol
 *     negotiation, ping, identify) may wait before it fails with {@link
 *     P2pException.Reason#TIMEOUT}
 * @param maxConnections the most open connections, inbound and outbound together
 * @param maxStreamsPerConnection the most open streams on one connection, both directions together;
 *     a peer that opens more gets its new streams reset
 * @param gate who may stay connected after the Noise handshake
 */
public record HostConfig(
    String agentVersion,
    Duration handshakeTimeout,
    Duration streamTimeout,
    int maxConnections,
    int maxStreamsPerConnection,
    ConnectionGate gate) {

  /** The longest agent version string. */
  public static final int MAX_AGENT_CHARS = 256;

  /** The longest timeout accepted. */
  public static final Duration MAX_TIMEOUT = Duration.ofHours(1);

  /** The most connections a host may be configured for. */
  public static final int MAX_CONNECTIONS_LIMIT = 65_536;

  /** The most streams per connection a host may be configured for. */
  public static final int MAX_STREAMS_LIMIT = 65_536;

  /** Validates every field. */
  public HostConfig {
    if (agentVersion.isEmpty() || agentVersion.length() > MAX_AGENT_CHARS) {
      throw new IllegalArgumentException(
          "agentVersion must have 1 to " + MAX_AGENT_CHARS + " characters, has "
              + agentVersion.length());
    }
    checkTimeout("handshakeTimeout", handshakeTimeout);
    checkTimeout("streamTimeout", streamTimeout);
    if (maxConnections < 1 || maxConnections > MAX_CONNECTIONS_LIMIT) {
      throw new IllegalArgumentException(
          "maxConnections must be 1 to " + MAX_CONNECTIONS_LIMIT + ", is " + maxConnections);
    }
    if (maxStreamsPerConnection < 1 || maxStreamsPerConnection > MAX_STREAMS_LIMIT) {
      throw new IllegalArgumentException(
          "maxStreamsPerConnection must be 1 to " + MAX_STREAMS_LIMIT + ", is "
              + maxStreamsPerConnection);
    }
  }

  /**
   * Returns the defaults: agent {@code mnode/0.1.0}, 10 s handshake, 30 s stream timeout, 256
   * connections, 256 streams per connection, every authenticated peer admitted.
   */
  public static HostConfig defaults() {
    return new HostConfig(
        "mnode/0.1.0", Duration.ofSeconds(10), Duration.ofSeconds(30), 256, 256,
        ConnectionGate.ADMIT_ALL);
  }

  /** Returns this configuration with another gate. */
  public HostConfig withGate(ConnectionGate newGate) {
    return new HostConfig(
        agentVersion, handshakeTimeout, streamTimeout, maxConnections, maxStreamsPerConnection,
        newGate);
  }

  /** Returns this configuration with other timeouts. */
  public HostConfig withTimeouts(Duration newHandshakeTimeout, Duration newStreamTimeout) {
    return new HostConfig(
        agentVersion, newHandshakeTimeout, newStreamTimeout, maxConnections,
        maxStreamsPerConnection, gate);
  }

  /** Returns this configuration with other connection and stream limits. */
  public HostConfig withLimits(int newMaxConnections, int newMaxStreamsPerConnection) {
    return new HostConfig(
        agentVersion, handshakeTimeout, streamTimeout, newMaxConnections,
        newMaxStreamsPerConnection, gate);
  }

  private static void checkTimeout(String name, Duration timeout) {
    if (timeout.isNegative() || timeout.isZero() || timeout.compareTo(MAX_TIMEOUT) > 0) {
      throw new IllegalArgumentException(
          name + " must be positive and at most " + MAX_TIMEOUT + ", is " + timeout);
    }
  }
}
