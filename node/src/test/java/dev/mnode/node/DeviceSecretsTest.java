package dev.mnode.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeviceSecretsTest {
  @TempDir Path tmp;

  @Test
  void init_givesTheDeviceAnIdentity_thatStaysAcrossOpens_andDiffersPerDevice() throws Exception {
    String id;
    try (MemoryService svc = NodeTestSupport.init(tmp, "a", Clock.systemUTC())) {
      id = svc.status().deviceId();
    }
    assertTrue(id.matches("[0-9a-f]{64}"), id);
    try (MemoryService svc =
        NodeModule.open(new Home(tmp.resolve("a")), PassphraseSource.NONE, Clock.systemUTC())) {
      assertEquals(id, svc.status().deviceId());
    }
    try (MemoryService other = NodeTestSupport.init(tmp, "b", Clock.systemUTC())) {
      assertNotEquals(id, other.status().deviceId());
    }
  }
}
