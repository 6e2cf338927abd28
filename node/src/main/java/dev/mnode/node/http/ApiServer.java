package dev.mnode.node.http;

import java.net.InetSocketAddress;

/** A running local API server. Thread-safe. */
public interface ApiServer extends AutoCloseable {
  /** The address it listens on (with the port picked when 0 was asked for). */
  InetSocketAddress address();

  /**
   * Stops accepting connections, lets requests already being answered finish (for a few seconds at
   * most), then closes every connection and thread. Idempotent; does not close the service.
   */
  @Override
  void close();
}
