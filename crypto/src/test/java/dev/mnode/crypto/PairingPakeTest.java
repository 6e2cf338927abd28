package dev.mnode.crypto;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mnode.crypto.PairingPake.Context;
import dev.mnode.crypto.PairingPake.Role;
import org.junit.jupiter.api.Test;

class PairingPakeTest {
  private static final Context CONTEXT = context("hash-of-connection-1");

  private static Context context(String channel) {
    return new Context(
        Bytes.copyOf(channel.getBytes(UTF_8)),
        Bytes.copyOf("member-peer".getBytes(UTF_8)),
        Bytes.copyOf("joiner-peer".getBytes(UTF_8)));
  }

  /** The two parties after rounds 1 and 2, with their confirmations. */
  private record Run(PairingPake member, PairingPake joiner, byte[] memberConfirm, byte[] joinerConfirm) {}

  private static Run run(String memberCode, Context memberCtx, String joinerCode, Context joinerCtx)
      throws PakeException {
    PairingPake m = PairingPake.start(Role.MEMBER, memberCode.toCharArray(), memberCtx);
    PairingPake j = PairingPake.start(Role.JOINER, joinerCode.toCharArray(), joinerCtx);
    byte[] j1 = j.round1();
    byte[] m1 = m.round1();
    byte[] m2 = m.round2(j1);
    byte[] j2 = j.round2(m1);
    byte[] mc = m.confirmation(j2);
    byte[] jc = j.confirmation(m2);
    return new Run(m, j, mc, jc);
  }

  @Test
  void rightCode_bothSidesAgree_andSessionsTalk() throws Exception {
    Run r = run("7-apple-river", CONTEXT, "7-apple-river", CONTEXT);
    assertEquals(198, PairingPake.ROUND1_BYTES);
    try (PairingSession m = r.member().finish(r.joinerConfirm());
        PairingSession j = r.joiner().finish(r.memberConfirm())) {
      byte[] sealed = m.seal("welcome", "vault secret".getBytes(UTF_8));
      assertArrayEquals("vault secret".getBytes(UTF_8), j.open("welcome", sealed));
      byte[] back = j.seal("ack", new byte[] {1});
      assertArrayEquals(new byte[] {1}, m.open("ack", back));
      // A message opens only under its own label and in its own direction.
      assertThrows(CryptoException.class, () -> j.open("ack", sealed));
      assertThrows(CryptoException.class, () -> m.open("welcome", sealed));
    }
  }

  @Test
  void wrongCode_failsOnlyAtConfirmation_onBothSides() throws Exception {
    Run r = run("7-apple-river", CONTEXT, "7-apple-rover", CONTEXT);
    PakeException em = assertThrows(PakeException.class, () -> r.member().finish(r.joinerConfirm()));
    PakeException ej = assertThrows(PakeException.class, () -> r.joiner().finish(r.memberConfirm()));
    assertEquals(PakeException.Kind.CONFIRMATION_FAILED, em.kind());
    assertEquals(PakeException.Kind.CONFIRMATION_FAILED, ej.kind());
    assertTrue(em.getMessage().contains("wrong code"), em.getMessage());
  }

  @Test
  void differentContexts_failConfirmation_evenWithTheRightCode() throws Exception {
    Run r = run("7-apple-river", CONTEXT, "7-apple-river", context("hash-of-connection-2"));
    assertEquals(
        PakeException.Kind.CONFIRMATION_FAILED,
        assertThrows(PakeException.class, () -> r.member().finish(r.joinerConfirm())).kind());
    assertEquals(
        PakeException.Kind.CONFIRMATION_FAILED,
        assertThrows(PakeException.class, () -> r.joiner().finish(r.memberConfirm())).kind());
  }

  @Test
  void tamperedRound1_everyByte_isRejectedClearly() throws Exception {
    PairingPake j = PairingPake.start(Role.JOINER, "1-a-b".toCharArray(), CONTEXT);
    byte[] j1 = j.round1();
    for (int i = 0; i < j1.length; i++) {
      PairingPake m = PairingPake.start(Role.MEMBER, "1-a-b".toCharArray(), CONTEXT);
      m.round1();
      byte[] bad = j1.clone();
      bad[i] ^= 0x01;
      PakeException e = assertThrows(PakeException.class, () -> m.round2(bad), "byte " + i);
      assertTrue(e.getMessage().startsWith("round 1"), e.getMessage());
      // A failed run stays failed.
      assertThrows(IllegalStateException.class, () -> m.round2(j1));
    }
  }

  @Test
  void tamperedRound2OrConfirmation_isRejected() throws Exception {
    PairingPake m = PairingPake.start(Role.MEMBER, "1-a-b".toCharArray(), CONTEXT);
    PairingPake j = PairingPake.start(Role.JOINER, "1-a-b".toCharArray(), CONTEXT);
    byte[] j1 = j.round1();
    byte[] m1 = m.round1();
    byte[] m2 = m.round2(j1);
    byte[] j2 = j.round2(m1);
    for (int i = 0; i < j2.length; i++) {
      PairingPake fresh = PairingPake.start(Role.MEMBER, "1-a-b".toCharArray(), CONTEXT);
      fresh.round1();
      fresh.round2(j1);
      byte[] bad = j2.clone();
      bad[i] ^= 0x01;
      PakeException e = assertThrows(PakeException.class, () -> fresh.confirmation(bad), "byte " + i);
      assertTrue(e.getMessage().startsWith("round 2"), e.getMessage());
    }
    m.confirmation(j2);
    byte[] jc = j.confirmation(m2);
    byte[] badConfirm = jc.clone();
    badConfirm[20] ^= 1;
    assertEquals(
        PakeException.Kind.CONFIRMATION_FAILED,
        assertThrows(PakeException.class, () -> m.finish(badConfirm)).kind());
    assertEquals(
        PakeException.Kind.MALFORMED,
        assertThrows(PakeException.class, () -> j.finish(new byte[5])).kind());
  }

  @Test
  void roundOutOfOrder_isRefused() throws Exception {
    PairingPake m = PairingPake.start(Role.MEMBER, "1-a-b".toCharArray(), CONTEXT);
    PairingPake j = PairingPake.start(Role.JOINER, "1-a-b".toCharArray(), CONTEXT);
    byte[] j1 = j.round1();
    assertThrows(IllegalStateException.class, () -> m.round2(j1));
    assertThrows(IllegalStateException.class, () -> m.confirmation(j1));
    assertThrows(IllegalStateException.class, () -> m.finish(j1));
    m.round1();
    assertThrows(IllegalStateException.class, m::round1);
  }

  @Test
  void ownMessageReflected_isRejected() throws Exception {
    PairingPake m = PairingPake.start(Role.MEMBER, "1-a-b".toCharArray(), CONTEXT);
    byte[] m1 = m.round1();
    // The member's own round 1 sent back claims the joiner's id with the member's proofs.
    assertEquals(PakeException.Kind.INVALID_PROOF, assertThrows(PakeException.class, () -> m.round2(m1)).kind());
  }

  @Test
  void badInputs_areRejectedByName() {
    assertThrows(IllegalArgumentException.class, () -> PairingPake.start(Role.MEMBER, new char[0], CONTEXT));
    assertThrows(IllegalArgumentException.class,
        () -> new Context(Bytes.copyOf(new byte[0]), Bytes.copyOf(new byte[1]), Bytes.copyOf(new byte[1])));
  }
}
