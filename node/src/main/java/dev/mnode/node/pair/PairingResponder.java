package dev.mnode.node.pair;

import dev.mnode.crypto.Bytes;
import dev.mnode.crypto.CryptoException;
import dev.mnode.crypto.PairingPake;
import dev.mnode.crypto.PairingSession;
import dev.mnode.crypto.PakeException;
import dev.mnode.node.pair.PairingException.Reason;
import dev.mnode.p2p.Connection;
import dev.mnode.p2p.Host;
import dev.mnode.p2p.P2pStream;
import dev.mnode.p2p.PeerId;
import dev.mnode.p2p.StreamHandler;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The member's side of {@code /mnode/pair/1.0.0}: holds at most one open {@link PairingOffer} and
 * serves each pairing stream against it. Register it with {@code host.handle(PairingResponder.PROTOCOL,
 * responder)}; a host with no offer open answers every joiner NO_OFFER.
 *
 * <p><b>What a joiner learns before proving the code.</b> Only whether an offer is open. Expired,
 * used, cancelled and closed offers all answer NO_OFFER, before any PAKE message, so a guesser
 * learns nothing about a code's life (how many attempts it took, when it lapsed), and a dead offer
 * spends no attempt. Once a PAKE run has started, a wrong code and a relayed run both answer
 * WRONG_CODE. The member's own {@link PairingOffer#outcome()} and {@link PairingObserver} get the
 * precise reason.
 *
 * <p><b>Binding.</b> The run is bound to the Noise handshake hash of the member's own connection to
 * the stream's authenticated peer. The joiner's HELLO names the hash it sees, which only picks
 * among several connections to that same peer; a relay cannot make both ends agree on one.
 *
 * <p>Thread-safe; each stream is served on the host's handler thread that calls {@link #handle}.
 * Every failure ends that stream only, with an ERROR frame where one can be sent.
 */
public final class PairingResponder implements StreamHandler {
  /** The protocol id. */
  public static final String PROTOCOL = PairingWire.PROTOCOL;

  private static final Logger LOG = Logger.getLogger(PairingResponder.class.getName());

  private final Host host;
  private final Admission admission;
  private final Clock clock;
  private final PairingObserver observer;
  private final AtomicReference<PairingOffer> current = new AtomicReference<>();

  /**
   * Creates a responder for {@code host}, which must be the host it is registered on; {@code
   * admission} decides on devices that prove the code; {@code clock} times offers.
   */
  public PairingResponder(Host host, Admission admission, Clock clock, PairingObserver observer) {
    this.host = host;
    this.admission = admission;
    this.clock = clock;
    this.observer = observer;
  }

  /**
   * Opens a new offer with a fresh code granting {@code classes} for {@code ttl}; cancels the one
   * open before, if any.
   *
   * @throws IllegalArgumentException if {@code ttl} is not positive or above {@link
   *     PairingOffer#MAX_TTL}, or a class name is empty
   */
  public PairingOffer open(List<String> classes, Duration ttl) {
    for (String c : classes) {
      if (c.isBlank()) {
        throw new IllegalArgumentException("a class name must not be blank");
      }
    }
    PairingOffer offer = new PairingOffer(PairingCode.generate(), classes, ttl, clock);
    PairingOffer before = current.getAndSet(offer);
    if (before != null) {
      before.cancel();
    }
    return offer;
  }

  /** Returns the current offer, open or not, if one was made. */
  public Optional<PairingOffer> current() {
    return Optional.ofNullable(current.get());
  }

  /** Serves one pairing stream from a joiner; never throws for the joiner's mistakes. */
  @Override
  public void handle(P2pStream stream) {
    PeerId peer = stream.remotePeer();
    Optional<PairingOutcome> result;
    try {
      result = serve(stream, peer);
    } catch (PairingException e) {
      if (e.reason() == Reason.PROTOCOL) {
        PairingWire.writeError(stream, Reason.PROTOCOL);
      }
      LOG.log(Level.FINE, "pairing stream from " + peer + " failed: " + e.getMessage());
      result = Optional.of(new PairingOutcome.Failure(e.reason(), e.getMessage()));
    }
    result.ifPresent(r -> observer.attemptEnded(peer, r));
  }

  /** Where a reserved attempt stands: what the offer must hear when the run ends. */
  private enum Attempt { RESERVED, GUESSING, SETTLED }

  /** Returns the attempt's outcome, or empty when no offer was open (nothing was attempted). */
  private Optional<PairingOutcome> serve(P2pStream stream, PeerId peer) throws PairingException {
    byte[] hello = PairingWire.expect(stream, PairingWire.HELLO, "HELLO");
    byte[] joinerRound1 = PairingWire.expect(stream, PairingWire.PAKE, "PAKE round 1");
    Connection connection = connectionFor(peer, hello);
    PairingOffer offer = current.get();
    if (offer == null || !offer.tryBegin()) {
      PairingWire.writeError(stream, Reason.NO_OFFER);
      return Optional.empty();
    }
    PairingPake.Context context =
        new PairingPake.Context(
            Bytes.copyOf(connection.handshakeHash().toByteArray()),
            Bytes.copyOf(host.peerId().toBytes()),
            Bytes.copyOf(peer.toBytes()));
    char[] secret = offer.code().secret();
    Attempt attempt = Attempt.RESERVED;
    try (PairingPake pake = PairingPake.start(PairingPake.Role.MEMBER, secret, context)) {
      byte[] round1 = pake.round1();
      byte[] round2 = pake.round2(joinerRound1);
      PairingWire.write(stream, PairingWire.PAKE, round1);
      PairingWire.write(stream, PairingWire.PAKE, round2);
      attempt = Attempt.GUESSING; // from here on the joiner holds a run: a failure costs one
      byte[] confirm = pake.confirmation(PairingWire.expect(stream, PairingWire.PAKE, "PAKE round 2"));
      PairingSession session;
      try {
        session = pake.finish(PairingWire.expect(stream, PairingWire.PAKE, "PAKE confirmation"));
      } catch (PakeException e) {
        if (e.kind() == PakeException.Kind.CONFIRMATION_FAILED) {
          PairingWire.writeError(stream, Reason.WRONG_CODE);
          throw new PairingException(Reason.WRONG_CODE, e.getMessage(), e);
        }
        throw e;
      }
      attempt = Attempt.SETTLED;
      if (!offer.claim()) {
        PairingWire.writeError(stream, Reason.CLOSED);
        session.close();
        return Optional.of(new PairingOutcome.Failure(Reason.CLOSED, "the offer closed during the run"));
      }
      PairingWire.write(stream, PairingWire.PAKE, confirm);
      try (session) {
        PairingOutcome outcome = admit(stream, peer, offer, session);
        offer.end(outcome);
        return Optional.of(outcome);
      } catch (PairingException e) {
        offer.end(new PairingOutcome.Failure(e.reason(), e.getMessage()));
        throw e;
      }
    } catch (PakeException e) {
      throw new PairingException(Reason.PROTOCOL, e.getMessage(), e);
    } finally {
      Arrays.fill(secret, '\0');
      if (attempt == Attempt.GUESSING) {
        offer.fail();
      } else if (attempt == Attempt.RESERVED) {
        offer.release();
      }
    }
  }

  private PairingOutcome admit(P2pStream stream, PeerId peer, PairingOffer offer, PairingSession session)
      throws PairingException {
    JoinRequest request;
    try {
      byte[] sealed = PairingWire.expect(stream, PairingWire.SEALED, "join request");
      request = PairingWire.decodeJoinRequest(session.open(PairingWire.JOIN_REQUEST, sealed));
    } catch (CryptoException e) {
      throw PairingWire.protocol("join request does not open: " + e.getMessage());
    }
    byte[] welcome;
    try (Welcome w = admission.admit(peer, request, offer.classes())) {
      welcome = PairingWire.encode(w);
    } catch (Exception e) {
      PairingWire.writeError(stream, Reason.REFUSED);
      throw new PairingException(Reason.REFUSED, "admission refused " + peer + ": " + e.getMessage(), e);
    }
    try {
      PairingWire.write(stream, PairingWire.SEALED, session.seal(PairingWire.WELCOME, welcome));
    } finally {
      Arrays.fill(welcome, (byte) 0);
    }
    try {
      byte[] ack = PairingWire.expect(stream, PairingWire.SEALED, "acknowledgement");
      PairingWire.checkAck(session.open(PairingWire.ACK, ack));
    } catch (CryptoException | PairingException e) {
      throw new PairingException(
          Reason.CLOSED, "admitted " + peer + " but it did not acknowledge the welcome: " + e.getMessage(), e);
    }
    return new PairingOutcome.Success(peer, request.deviceName(), offer.classes());
  }

  /** Finds our connection to {@code peer} whose handshake hash the joiner named. */
  private Connection connectionFor(PeerId peer, byte[] hash) throws PairingException {
    if (hash.length == 0 || hash.length > PairingWire.MAX_HASH_BYTES) {
      throw PairingWire.protocol("HELLO carries " + hash.length + " bytes, not a handshake hash");
    }
    for (Connection c : host.connections()) {
      if (c.remotePeer().equals(peer) && Arrays.equals(c.handshakeHash().toByteArray(), hash)) {
        return c;
      }
    }
    throw PairingWire.protocol("no connection from " + peer + " has the handshake hash its HELLO names");
  }
}
