package dev.mnode.p2p;

/**
 * Serves one protocol on streams a peer opens (see {@link Host#handle}). Called on a thread of the
 * host's handler executor, never on a network event loop, so it may block on the stream. The host
 * closes the stream when the method returns or throws; an exception resets it and is logged.
 */
@FunctionalInterface
public interface StreamHandler {
  /** Serves {@code stream}, whose protocol has already been negotiated. */
  void handle(P2pStream stream) throws Exception;
}
