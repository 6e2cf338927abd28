package dev.mnode.node.pair;

import dev.mnode.crypto.Bytes;
import dev.mnode.crypto.CryptoException;
import dev.mnode.crypto.PairingPake;
import dev.mnode.crypto.PairingSession;
import dev.mnode.crypto.PakeException;
import dev.mnode.node.pair.PairingException.Reason;
import dev.mnode.p2p.Connection;
import dev.mnode.p2p.Host;
import dev.mnode.p2p.Multiaddr;
import dev.mnode.p2p.P2pException;
import dev.mnode.p2p.P2pStream;
import java.util.Arrays;

/**
 * The new device's side of {@code /mnode/pair/1.0.0}: dials the member, proves the code with the
 * PAKE bound to this connection's Noise handshake hash, sends the {@link JoinRequest} and returns
 * the {@link Welcome}. The wire exchange is drawn in {@code PairingWire}. Stateless.
 */
public final class PairingInitiator {
  private PairingInitiator() {}

  /**
   * Pairs with the member at {@code memberAddr} (which must end in {@code /p2p/<peer id>}) using
   * the {@code code} its user read out. Blocks for the whole exchange (each wait bounded by the
   * host's stream timeout); never call it on a network event loop. The caller closes the welcome.
   *
   * @throws PairingException MALFORMED_CODE before any network use; NO_OFFER if the member has no
   *     open offer or does not serve pairing; WRONG_CODE if the code does not match or the
   *     connection is relayed (one attempt of the offer is used up); REFUSED if the member
   *     declined the device; PROTOCOL, CLOSED or NETWORK if the exchange broke
   * @throws IllegalArgumentException if {@code memberAddr} names no peer id
   */
  public static Welcome join(Host host, Multiaddr memberAddr, String code, JoinRequest request)
      throws PairingException {
    PairingCode parsed = PairingCode.parse(code);
    Connection connection;
    P2pStream stream;
    try {
      connection = host.dial(memberAddr);
      stream = connection.openStream(PairingWire.PROTOCOL);
    } catch (P2pException e) {
      if (e.reason() == P2pException.Reason.UNSUPPORTED_PROTOCOL) {
        throw new PairingException(Reason.NO_OFFER, memberAddr + " does not serve pairing", e);
      }
      throw PairingWire.network("connecting to " + memberAddr, e);
    }
    try (stream) {
      return run(stream, connection, host, parsed, request);
    }
  }

  private static Welcome run(
      P2pStream stream, Connection connection, Host host, PairingCode code, JoinRequest request)
      throws PairingException {
    byte[] hash = connection.handshakeHash().toByteArray();
    PairingPake.Context context =
        new PairingPake.Context(
            Bytes.copyOf(hash),
            Bytes.copyOf(connection.remotePeer().toBytes()),
            Bytes.copyOf(host.peerId().toBytes()));
    char[] secret = code.secret();
    try (PairingPake pake = PairingPake.start(PairingPake.Role.JOINER, secret, context)) {
      PairingWire.write(stream, PairingWire.HELLO, hash);
      PairingWire.write(stream, PairingWire.PAKE, pake.round1());
      byte[] memberRound1 = PairingWire.expect(stream, PairingWire.PAKE, "PAKE round 1");
      byte[] memberRound2 = PairingWire.expect(stream, PairingWire.PAKE, "PAKE round 2");
      PairingWire.write(stream, PairingWire.PAKE, pake.round2(memberRound1));
      PairingWire.write(stream, PairingWire.PAKE, pake.confirmation(memberRound2));
      byte[] memberConfirm = PairingWire.expect(stream, PairingWire.PAKE, "PAKE confirmation");
      try (PairingSession session = finish(pake, memberConfirm)) {
        PairingWire.write(
            stream, PairingWire.SEALED,
            session.seal(PairingWire.JOIN_REQUEST, PairingWire.encode(request)));
        byte[] sealed = PairingWire.expect(stream, PairingWire.SEALED, "welcome");
        byte[] plain;
        try {
          plain = session.open(PairingWire.WELCOME, sealed);
        } catch (CryptoException e) {
          throw PairingWire.protocol("the welcome does not open: " + e.getMessage());
        }
        Welcome welcome;
        try {
          welcome = PairingWire.decodeWelcome(plain);
        } finally {
          Arrays.fill(plain, (byte) 0);
        }
        try {
          PairingWire.write(stream, PairingWire.SEALED, session.seal(PairingWire.ACK, PairingWire.ack()));
          stream.closeWrite();
        } catch (PairingException | P2pException e) {
          welcome.close();
          throw e instanceof PairingException p ? p
              : PairingWire.network("acknowledging the welcome", (P2pException) e);
        }
        return welcome;
      }
    } catch (PakeException e) {
      throw new PairingException(Reason.PROTOCOL, e.getMessage(), e);
    } finally {
      Arrays.fill(secret, '\0');
    }
  }

  private static PairingSession finish(PairingPake pake, byte[] memberConfirm) throws PairingException {
    try {
      return pake.finish(memberConfirm);
    } catch (PakeException e) {
      Reason r = e.kind() == PakeException.Kind.CONFIRMATION_FAILED ? Reason.WRONG_CODE : Reason.PROTOCOL;
      throw new PairingException(r, e.getMessage(), e);
    }
  }
}
