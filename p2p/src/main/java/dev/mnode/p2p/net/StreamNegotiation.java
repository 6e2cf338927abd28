package dev.mnode.p2p.net;

import dev.mnode.p2p.P2pException;
import dev.mnode.p2p.P2pException.Reason;
import dev.mnode.p2p.P2pStream;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * multistream-select 1.0 on a stream, with blocking reads: the initiator selects one protocol or
 * lists the responder's; the responder answers proposals until one is supported. Messages are read
 * exactly, so protocol bytes sent right behind a proposal stay in the stream. Stateless.
 */
final class StreamNegotiation {
  private StreamNegotiation() {}

  /**
   * Proposes {@code protocol} and returns once the responder accepted it.
   *
   * @throws P2pException UNSUPPORTED_PROTOCOL on {@code na}, PROTOCOL_VIOLATION for anything else
   */
  static void select(P2pStream stream, String protocol) throws P2pException {
    stream.write(Multistream.encode(Multistream.HEADER, protocol));
    expectHeader(stream);
    String answer = readMessage(stream, Multistream.MAX_MESSAGE_BYTES);
    if (answer.equals(Multistream.NA)) {
      throw new P2pException(
          Reason.UNSUPPORTED_PROTOCOL, stream.remotePeer() + " does not support " + protocol);
    }
    if (!answer.equals(protocol)) {
      throw new P2pException(
          Reason.PROTOCOL_VIOLATION,
          "multistream-select answer to " + protocol + " was '"
              + MultistreamHandler.excerpt(answer) + "'");
    }
  }

  /** Asks the responder for its protocols ({@code ls}). */
  static List<String> list(P2pStream stream) throws P2pException {
    stream.write(Multistream.encode(Multistream.HEADER, Multistream.LS));
    expectHeader(stream);
    return Multistream.decodeList(readBody(stream, Multistream.MAX_LS_BYTES));
  }

  /**
   * Answers proposals until one is in {@code supported} and returns it; {@code ls} is answered with
   * {@code all}.
   *
   * @throws P2pException PROTOCOL_VIOLATION after {@link MultistreamHandler#MAX_PROPOSALS}
   *     unsupported proposals or on a malformed message
   */
  static String serve(P2pStream stream, Predicate<String> supported, Supplier<List<String>> all)
      throws P2pException {
    expectHeader(stream);
    stream.write(Multistream.encode(Multistream.HEADER));
    for (int i = 0; i <= MultistreamHandler.MAX_PROPOSALS; i++) {
      String proposal = readMessage(stream, Multistream.MAX_MESSAGE_BYTES);
      if (proposal.equals(Multistream.LS)) {
        stream.write(Multistream.encodeList(all.get()));
      } else if (!proposal.equals(Multistream.NA) && supported.test(proposal)) {
        stream.write(Multistream.encode(proposal));
        return proposal;
      } else {
        stream.write(Multistream.encode(Multistream.NA));
      }
    }
    throw new P2pException(
        Reason.PROTOCOL_VIOLATION,
        stream.remotePeer() + " made more than " + MultistreamHandler.MAX_PROPOSALS
            + " multistream-select proposals");
  }

  private static void expectHeader(P2pStream stream) throws P2pException {
    String header = readMessage(stream, Multistream.MAX_MESSAGE_BYTES);
    if (!header.equals(Multistream.HEADER)) {
      throw new P2pException(
          Reason.PROTOCOL_VIOLATION,
          "expected the multistream-select header, got '" + MultistreamHandler.excerpt(header)
              + "'");
    }
  }

  private static String readMessage(P2pStream stream, int max) throws P2pException {
    return Multistream.text(readBody(stream, max));
  }

  private static byte[] readBody(P2pStream stream, int max) throws P2pException {
    return VarintPrefix.readMessage(stream, max, "multistream-select message");
  }
}
