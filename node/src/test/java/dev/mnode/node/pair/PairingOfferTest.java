package dev.mnode.node.pair;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mnode.node.pair.PairingException.Reason;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class PairingOfferTest {
  private static final Instant T0 = Instant.parse("2026-11-20T10:00:00Z");

  private static PairingOffer offer(Clock clock) {
    return new PairingOffer(PairingCode.generate(), List.of("work"), Duration.ofMinutes(10), clock);
  }

  @Test
  void attemptsInFlight_countAgainstTheLimit_soParallelRunsCannotGuessMore() {
    PairingOffer o = offer(Clock.fixed(T0, ZoneOffset.UTC));
    for (int i = 0; i < PairingOffer.MAX_FAILED_ATTEMPTS; i++) {
      assertTrue(o.tryBegin());
    }
    assertFalse(o.tryBegin());
    o.release(); // a run that never reached a guess gives its slot back
    assertTrue(o.tryBegin());
    o.fail();
    o.fail();
    assertFalse(o.outcome().isDone());
    o.fail();
    PairingOutcome.Failure f = assertInstanceOf(PairingOutcome.Failure.class, o.outcome().getNow(null));
    assertEquals(Reason.CLOSED, f.reason());
    assertFalse(o.tryBegin());
  }

  @Test
  void claim_succeedsOnce() {
    PairingOffer o = offer(Clock.fixed(T0, ZoneOffset.UTC));
    assertTrue(o.tryBegin());
    assertTrue(o.tryBegin());
    assertTrue(o.claim());
    assertFalse(o.claim());
    assertTrue(o.isUsed());
    assertFalse(o.tryBegin());
  }

  @Test
  void expiry_atTtl_butNotOnceClaimed() {
    Instant[] now = {T0};
    Clock clock = new Clock() {
      @Override public Instant instant() { return now[0]; }
      @Override public java.time.ZoneId getZone() { return ZoneOffset.UTC; }
      @Override public Clock withZone(java.time.ZoneId z) { return this; }
    };
    PairingOffer o = offer(clock);
    now[0] = T0.plus(Duration.ofMinutes(10)).minusMillis(1);
    assertTrue(o.isOpen());
    now[0] = T0.plus(Duration.ofMinutes(10));
    assertFalse(o.isOpen());
    assertEquals(Reason.EXPIRED, ((PairingOutcome.Failure) o.outcome().getNow(null)).reason());

    now[0] = T0;
    PairingOffer claimed = offer(clock);
    assertTrue(claimed.tryBegin());
    assertTrue(claimed.claim());
    now[0] = T0.plus(Duration.ofHours(1));
    claimed.expireIfDue(); // the admitted device may still finish its welcome
    assertFalse(claimed.outcome().isDone());
  }

  @Test
  void cancel_endsTheOffer_andBadTtlIsRejected() throws Exception {
    PairingOffer o = offer(Clock.fixed(T0, ZoneOffset.UTC));
    o.cancel();
    assertEquals(Reason.CANCELLED, ((PairingOutcome.Failure) o.awaitOutcome(Duration.ofMillis(1)).orElseThrow()).reason());
    assertFalse(o.tryBegin());
    assertThrows(IllegalArgumentException.class,
        () -> new PairingOffer(PairingCode.generate(), List.of(), Duration.ZERO, Clock.systemUTC()));
    assertThrows(IllegalArgumentException.class,
        () -> new PairingOffer(PairingCode.generate(), List.of(), Duration.ofDays(2), Clock.systemUTC()));
  }
}
