package dev.mnode.p2p.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.mnode.p2p.Ed25519Identity;
import dev.mnode.p2p.P2pException;
import dev.mnode.p2p.P2pException.Reason;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import org.bouncycastle.crypto.params.X25519PrivateKeyParameters;
import org.junit.jupiter.api.Test;

/** The Noise XX state machine and the libp2p payload, without sockets. */
class NoiseXXTest {
  private final SecureRandom random = new SecureRandom();

  private NoiseXX[] handshake() throws P2pException {
    NoiseXX i = new NoiseXX(true, new X25519PrivateKeyParameters(random), random);
    NoiseXX r = new NoiseXX(false, new X25519PrivateKeyParameters(random), random);
    r.readMessage(i.writeMessage(new byte[0]));
    assertArrayEquals("two".getBytes(StandardCharsets.UTF_8),
        i.readMessage(r.writeMessage("two".getBytes(StandardCharsets.UTF_8))));
    assertArrayEquals("three".getBytes(StandardCharsets.UTF_8),
        r.readMessage(i.writeMessage("three".getBytes(StandardCharsets.UTF_8))));
    return new NoiseXX[] {i, r};
  }

  @Test
  void handshake_agreesOnHashKeysAndStaticKeys() throws Exception {
    NoiseXX[] p = handshake();
    assertArrayEquals(p[0].handshakeHash(), p[1].handshakeHash());
    assertArrayEquals(p[0].localStaticPublicKey(), p[1].remoteStaticPublicKey());
    assertArrayEquals(p[1].localStaticPublicKey(), p[0].remoteStaticPublicKey());
    byte[] msg = "transport".getBytes(StandardCharsets.UTF_8);
    assertArrayEquals(msg, p[1].receiveCipher().decrypt(new byte[0], p[0].sendCipher().encrypt(new byte[0], msg)));
    assertArrayEquals(msg, p[0].receiveCipher().decrypt(new byte[0], p[1].sendCipher().encrypt(new byte[0], msg)));
  }

  @Test
  void everyFlippedBitOfMessage2_isRejected() throws Exception {
    // Message 2 from a fixed responder, replayed with one bit flipped, to fresh initiators.
    X25519PrivateKeyParameters is = new X25519PrivateKeyParameters(random);
    X25519PrivateKeyParameters ie = new X25519PrivateKeyParameters(random);
    NoiseXX i0 = new NoiseXX(true, is, ie, new byte[0]);
    NoiseXX r = new NoiseXX(false, new X25519PrivateKeyParameters(random), random);
    r.readMessage(i0.writeMessage(new byte[0]));
    byte[] m2 = r.writeMessage(new byte[] {1, 2, 3});
    for (int bit = 32 * 8; bit < m2.length * 8; bit++) { // the ephemeral key is not authenticated by itself
      byte[] bad = m2.clone();
      bad[bit / 8] ^= (byte) (1 << (bit % 8));
      NoiseXX i = new NoiseXX(true, is, ie, new byte[0]);
      i.writeMessage(new byte[0]);
      P2pException e = assertThrows(P2pException.class, () -> i.readMessage(bad));
      assertEquals(Reason.PROTOCOL_VIOLATION, e.reason());
    }
    // A flipped ephemeral key changes every derived key: rejected too.
    byte[] badE = m2.clone();
    badE[0] ^= 1;
    NoiseXX i = new NoiseXX(true, is, ie, new byte[0]);
    i.writeMessage(new byte[0]);
    assertThrows(P2pException.class, () -> i.readMessage(badE));
  }

  @Test
  void shortAndLowOrderMessages_areRejected() throws Exception {
    NoiseXX r = new NoiseXX(false, new X25519PrivateKeyParameters(random), random);
    assertThrows(P2pException.class, () -> r.readMessage(new byte[31]));
    NoiseXX r2 = new NoiseXX(false, new X25519PrivateKeyParameters(random), random);
    r2.readMessage(new byte[32]); // the all-zero point: refused when the responder mixes ee
    P2pException e = assertThrows(P2pException.class, () -> r2.writeMessage(new byte[0]));
    assertEquals(Reason.PROTOCOL_VIOLATION, e.reason());
  }

  @Test
  void payload_signedStaticKey_verifies_andAnyOtherKeyDoesNot() throws Exception {
    try (Ed25519Identity id = Ed25519Identity.generate()) {
      byte[] staticKey = new X25519PrivateKeyParameters(random).generatePublicKey().getEncoded();
      byte[] payload = NoisePayload.create(id, staticKey);
      assertEquals(id.publicKey(), NoisePayload.verify(payload, staticKey));
      byte[] otherKey = staticKey.clone();
      otherKey[5] ^= 1;
      P2pException e = assertThrows(P2pException.class, () -> NoisePayload.verify(payload, otherKey));
      assertEquals(Reason.PROTOCOL_VIOLATION, e.reason());
      for (int i = 0; i < payload.length; i++) {
        byte[] bad = payload.clone();
        bad[i] ^= 0x40;
        assertThrows(P2pException.class, () -> NoisePayload.verify(bad, staticKey), "byte " + i);
      }
    }
  }
}
