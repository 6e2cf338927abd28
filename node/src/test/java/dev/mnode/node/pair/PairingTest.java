package dev.mnode.node.pair;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mnode.crypto.Bytes;
import dev.mnode.crypto.SecretBytes;
import dev.mnode.node.pair.PairingException.Reason;
import dev.mnode.p2p.Ed25519Identity;
import dev.mnode.p2p.Host;
import dev.mnode.p2p.HostConfig;
import dev.mnode.p2p.Multiaddr;
import dev.mnode.p2p.P2pStream;
import dev.mnode.p2p.PeerId;
import dev.mnode.p2p.net.P2pModule;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A member and joiners on real hosts over 127.0.0.1. */
@Timeout(60)
class PairingTest {
  private static final Duration TTL = Duration.ofMinutes(10);
  private static final List<String> CLASSES = List.of("work", "personal");

  private final List<AutoCloseable> resources = new ArrayList<>();
  private final dev.mnode.node.TestClock clock = new dev.mnode.node.TestClock(Instant.parse("2026-11-20T10:00:00Z"));
  private final BlockingQueue<PairingOutcome> attempts = new LinkedBlockingQueue<>();
  private final AtomicInteger admitted = new AtomicInteger();
  private Host member;
  private Multiaddr memberAddr;
  private PairingResponder responder;

  @BeforeEach
  void startMember() throws Exception {
    member = host();
    responder = new PairingResponder(member, this::admit, clock, (peer, o) -> attempts.add(o));
    member.handle(PairingResponder.PROTOCOL, responder);
    memberAddr = member.listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0"));
  }

  @AfterEach
  void closeAll() throws Exception {
    for (int i = resources.size() - 1; i >= 0; i--) {
      resources.get(i).close();
    }
  }

  private Host host() {
    Ed25519Identity id = Ed25519Identity.generate();
    Host h = P2pModule.newHost(id, HostConfig.defaults().withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(5)));
    resources.add(id);
    resources.add(h);
    return h;
  }

  private Welcome admit(PeerId joiner, JoinRequest request, List<String> classes) {
    admitted.incrementAndGet();
    return new Welcome(
        Bytes.copyOf("vault-1".getBytes(StandardCharsets.UTF_8)),
        SecretBytes.copyOf(new byte[] {1, 2, 3, 4}),
        classes,
        List.of(Bytes.copyOf(("add " + request.deviceName()).getBytes(StandardCharsets.UTF_8))),
        List.of(Bytes.copyOf(new byte[] {9}), Bytes.copyOf(new byte[] {8, 7})));
  }

  private static JoinRequest request(String name) {
    return new JoinRequest(name, Bytes.copyOf(new byte[] {42, 43}));
  }

  private static String wrongCode(PairingOffer offer) {
    String[] parts = offer.code().text().split("-");
    int n = Integer.parseInt(parts[0]) % PairingCode.MAX_NUMBER + 1;
    return n + "-" + parts[1] + "-" + parts[2];
  }

  private PairingException joinFails(Host joiner, Multiaddr addr, String code) {
    return assertThrows(
        PairingException.class, () -> PairingInitiator.join(joiner, addr, code, request("laptop")));
  }

  private PairingOutcome.Failure nextFailure() throws InterruptedException {
    PairingOutcome o = attempts.poll(10, TimeUnit.SECONDS);
    return assertInstanceOf(PairingOutcome.Failure.class, o);
  }

  @Test
  void rightCode_joinerGetsTheWelcome_memberSeesSuccess() throws Exception {
    PairingOffer offer = responder.open(CLASSES, TTL);
    Host joiner = host();
    try (Welcome w = PairingInitiator.join(joiner, memberAddr, offer.code().text(), request("laptop"))) {
      assertEquals("vault-1", new String(w.vaultId().toByteArray(), StandardCharsets.UTF_8));
      assertTrue(w.vaultSecret().equalsConstantTime(SecretBytes.copyOf(new byte[] {1, 2, 3, 4})));
      assertEquals(CLASSES, w.classes());
      assertEquals(List.of(Bytes.copyOf("add laptop".getBytes(StandardCharsets.UTF_8))), w.membershipOps());
      assertEquals(2, w.keyEnvelopes().size());
    }
    PairingOutcome.Success s =
        assertInstanceOf(PairingOutcome.Success.class, offer.outcome().get(10, TimeUnit.SECONDS));
    assertEquals(joiner.peerId(), s.joiner());
    assertEquals("laptop", s.deviceName());
    assertEquals(CLASSES, s.classes());
    assertEquals(s, attempts.poll(10, TimeUnit.SECONDS));
    assertTrue(offer.isUsed());
    assertFalse(offer.isOpen());
  }

  @Test
  void codeTypedLoosely_stillPairs() throws Exception {
    PairingOffer offer = responder.open(CLASSES, TTL);
    String loose = " " + offer.code().text().toUpperCase().replace('-', ' ') + " ";
    PairingInitiator.join(host(), memberAddr, loose, request("phone")).close();
    assertInstanceOf(PairingOutcome.Success.class, offer.outcome().get(10, TimeUnit.SECONDS));
  }

  @Test
  void wrongCode_failsOnBothSides_andCostsOneAttempt() throws Exception {
    PairingOffer offer = responder.open(CLASSES, TTL);
    Host joiner = host();
    assertEquals(Reason.WRONG_CODE, joinFails(joiner, memberAddr, wrongCode(offer)).reason());
    assertEquals(Reason.WRONG_CODE, nextFailure().reason());
    awaitFailures(offer, 1);
    assertTrue(offer.isOpen());
    assertEquals(0, admitted.get());
    // The right code still works afterwards.
    PairingInitiator.join(joiner, memberAddr, offer.code().text(), request("laptop")).close();
    assertInstanceOf(PairingOutcome.Success.class, offer.outcome().get(10, TimeUnit.SECONDS));
  }

  @Test
  void codeReusedAfterSuccess_isRefusedAsNoOffer() throws Exception {
    PairingOffer offer = responder.open(CLASSES, TTL);
    PairingInitiator.join(host(), memberAddr, offer.code().text(), request("laptop")).close();
    assertEquals(Reason.NO_OFFER, joinFails(host(), memberAddr, offer.code().text()).reason());
    assertEquals(1, admitted.get());
    assertEquals(0, offer.failedAttempts());
  }

  @Test
  void expiredCode_isRefusedAsNoOffer_memberSeesExpired() throws Exception {
    PairingOffer offer = responder.open(CLASSES, TTL);
    clock.advance(TTL);
    assertEquals(Reason.NO_OFFER, joinFails(host(), memberAddr, offer.code().text()).reason());
    PairingOutcome.Failure f =
        assertInstanceOf(PairingOutcome.Failure.class, offer.outcome().get(10, TimeUnit.SECONDS));
    assertEquals(Reason.EXPIRED, f.reason());
    assertEquals(0, admitted.get());
  }

  @Test
  void noOfferOpen_joinerHearsNoOffer() throws Exception {
    assertEquals(Reason.NO_OFFER, joinFails(host(), memberAddr, "7-apple-river").reason());
  }

  @Test
  void threeWrongAttempts_closeTheOffer_rightCodeThenFails() throws Exception {
    PairingOffer offer = responder.open(CLASSES, TTL);
    Host joiner = host();
    for (int i = 1; i <= PairingOffer.MAX_FAILED_ATTEMPTS; i++) {
      assertEquals(Reason.WRONG_CODE, joinFails(joiner, memberAddr, wrongCode(offer)).reason());
      awaitFailures(offer, i);
    }
    PairingOutcome.Failure f =
        assertInstanceOf(PairingOutcome.Failure.class, offer.outcome().get(10, TimeUnit.SECONDS));
    assertEquals(Reason.CLOSED, f.reason());
    assertEquals(Reason.NO_OFFER, joinFails(joiner, memberAddr, offer.code().text()).reason());
    assertEquals(0, admitted.get());
  }

  @Test
  void manInTheMiddle_relayingEveryMessage_failsOnBothSides() throws Exception {
    PairingOffer offer = responder.open(CLASSES, TTL);
    Host relay = host();
    // The relay rewrites the joiner's HELLO to name its own connection to the member, then copies
    // every byte both ways: the strongest relay that cannot forge either Noise identity.
    relay.handle(PairingResponder.PROTOCOL, fromJoiner -> {
      try (P2pStream toMember = relay.openStream(memberAddr, PairingResponder.PROTOCOL)) {
        PairingWire.expect(fromJoiner, PairingWire.HELLO, "HELLO");
        byte[] relayHash = relay.dial(memberAddr).handshakeHash().toByteArray();
        PairingWire.write(toMember, PairingWire.HELLO, relayHash);
        Thread up = pump(fromJoiner, toMember);
        pump(toMember, fromJoiner).join(10_000);
        up.join(10_000);
      }
    });
    Multiaddr relayAddr = relay.listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0"));
    PairingException e = joinFails(host(), relayAddr, offer.code().text());
    assertEquals(Reason.WRONG_CODE, e.reason(), e.getMessage());
    assertEquals(Reason.WRONG_CODE, nextFailure().reason());
    awaitFailures(offer, 1);
    assertFalse(offer.isUsed());
    assertEquals(0, admitted.get());
  }

  @Test
  void relayThatForwardsTheHelloAsIs_isRefusedBeforeThePake() throws Exception {
    PairingOffer offer = responder.open(CLASSES, TTL);
    Host relay = host();
    relay.handle(PairingResponder.PROTOCOL, fromJoiner -> {
      try (P2pStream toMember = relay.openStream(memberAddr, PairingResponder.PROTOCOL)) {
        Thread up = pump(fromJoiner, toMember);
        pump(toMember, fromJoiner).join(10_000);
        up.join(10_000);
      }
    });
    Multiaddr relayAddr = relay.listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0"));
    assertEquals(Reason.PROTOCOL, joinFails(host(), relayAddr, offer.code().text()).reason());
    assertEquals(Reason.PROTOCOL, nextFailure().reason());
    assertEquals(0, offer.failedAttempts());
    assertTrue(offer.isOpen());
  }

  @Test
  void garbageAndOversizedFrames_closeTheStream_responderKeepsServing() throws Exception {
    PairingOffer offer = responder.open(CLASSES, TTL);
    Host attacker = host();
    List<byte[]> bad = List.of(
        new byte[] {3, 9, 1, 2},                       // unknown kind 9
        new byte[] {(byte) 0x81, (byte) 0x80, 0x04},   // 65 537 bytes announced: too long
        new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x0f}, // overlong varint
        new byte[] {0},                                // empty frame
        new byte[] {2, PairingWire.PAKE, 7});          // PAKE first, without HELLO
    for (byte[] b : bad) {
      try (P2pStream s = attacker.openStream(memberAddr, PairingResponder.PROTOCOL)) {
        s.write(b);
        byte[] answer = s.readAll(64);
        // The member answers ERROR(protocol) and closes its side.
        assertEquals(3, answer.length, java.util.Arrays.toString(answer));
        assertEquals(PairingWire.ERROR, answer[1]);
        assertEquals(4, answer[2]);
      }
      assertEquals(Reason.PROTOCOL, nextFailure().reason());
    }
    assertEquals(0, offer.failedAttempts());
    PairingInitiator.join(host(), memberAddr, offer.code().text(), request("laptop")).close();
    assertInstanceOf(PairingOutcome.Success.class, offer.outcome().get(10, TimeUnit.SECONDS));
  }

  @Test
  void refusingAdmission_tellsTheJoinerRefused_andUsesUpTheOffer() throws Exception {
    PairingResponder refusing = new PairingResponder(
        member, (peer, req, classes) -> { throw new IllegalStateException("vault is read-only"); },
        clock, (peer, o) -> attempts.add(o));
    member.handle(PairingResponder.PROTOCOL, refusing);
    PairingOffer offer = refusing.open(CLASSES, TTL);
    assertEquals(Reason.REFUSED, joinFails(host(), memberAddr, offer.code().text()).reason());
    PairingOutcome.Failure f =
        assertInstanceOf(PairingOutcome.Failure.class, offer.outcome().get(10, TimeUnit.SECONDS));
    assertEquals(Reason.REFUSED, f.reason());
    assertTrue(f.message().contains("read-only"), f.message());
  }

  @Test
  void malformedCode_failsBeforeAnyNetworkUse() {
    Host joiner = host();
    assertEquals(Reason.MALFORMED_CODE, joinFails(joiner, memberAddr, "seven apples").reason());
    assertTrue(joiner.connections().isEmpty());
  }

  private static Thread pump(P2pStream from, P2pStream to) {
    Thread t = new Thread(() -> {
      byte[] buf = new byte[4096];
      try {
        for (int r; (r = from.read(buf, 0, buf.length)) >= 0; ) {
          to.write(java.util.Arrays.copyOf(buf, r));
        }
        to.closeWrite();
      } catch (Exception e) {
        to.reset();
      }
    }, "pair-relay");
    t.setDaemon(true);
    t.start();
    return t;
  }


  /** The member settles an attempt just after answering it: waits (bounded) for the count. */
  static void awaitFailures(PairingOffer offer, int n) throws InterruptedException {
    for (int w = 0; w < 500 && offer.failedAttempts() < n; w++) {
      Thread.sleep(10);
    }
    assertEquals(n, offer.failedAttempts());
  }
}
