package dev.mnode.node.relay;

import dev.mnode.cloud.BlobInfo;
import dev.mnode.cloud.BlobStore;
import dev.mnode.cloud.Page;
import dev.mnode.crypto.DeviceIdentity;
import dev.mnode.crypto.SecretBytes;
import dev.mnode.node.Home;
import dev.mnode.node.LocalMemoryService;
import dev.mnode.node.MemoryDraft;
import dev.mnode.node.NodeModule;
import dev.mnode.node.NodeTestSupport;
import dev.mnode.node.PassphraseSource;
import dev.mnode.node.ProgressListener;
import dev.mnode.store.Memory;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Homes of one vault for relay tests, each opened only for what it does and closed again, so two
 * devices are never online at the same time: the relay is the only thing between them.
 */
final class Devices {
  final Path dir;
  final Clock clock = Clock.systemUTC();
  final List<String> warnings = new ArrayList<>();

  Devices(Path dir) {
    this.dir = dir;
  }

  Home home(String name) {
    return new Home(dir.resolve(name));
  }

  /** Creates {@code alice}'s vault with the memories {@code texts} ({@code class|text}). */
  void init(String alice, List<String> texts) throws Exception {
    try (LocalMemoryService a = (LocalMemoryService) NodeModule.init(home(alice), null, NodeTestSupport.FAST, clock)) {
      for (String t : texts) {
        remember(a, t);
      }
    }
  }

  /** Makes {@code name} a member of {@code member}'s vault with {@code classes}, as pairing would (without keys). */
  void join(String member, String name, List<String> classes) throws Exception {
    try (LocalMemoryService a = open(member); DeviceIdentity id = DeviceIdentity.generate()) {
      a.replica().addDevice(id.publicKey(), name, classes);
      List<byte[]> ops = a.replica().operationsFor(List.of());
      try (SecretBytes vaultSecret = a.vaultSecretForPairing()) {
        NodeModule.join(home(name), null, NodeTestSupport.FAST, clock, w -> {}, id.seed(),
            a.replica().vault().toByteArray(), vaultSecret, ops).close();
      }
    }
  }

  LocalMemoryService open(String name) throws Exception {
    return (LocalMemoryService) NodeModule.open(home(name), PassphraseSource.NONE, clock, warnings::add);
  }

  static Memory remember(LocalMemoryService svc, String classAndText) throws Exception {
    String[] p = classAndText.split("\\|", 2);
    return svc.remember(new MemoryDraft(p[1], p[0], List.of("zebra-quartz-tag"), null, null, false, Map.of(), List.of()));
  }

  /** One relay round of {@code name} alone, through {@code store}. */
  RelayReport round(String name, BlobStore store) throws Exception {
    try (LocalMemoryService s = open(name)) {
      return RelaySync.round(s, store, "test-relay", home(name).dir().resolve("relay-state/test.state"), ProgressListener.NONE, warnings::add);
    }
  }

  SortedMap<String, String> digests(String name) throws Exception {
    try (LocalMemoryService s = open(name)) {
      return new TreeMap<>(s.status().digests());
    }
  }

  /** The texts of {@code name}'s memories. */
  List<String> texts(String name) throws Exception {
    try (LocalMemoryService s = open(name)) {
      return s.list(new dev.mnode.node.ListQuery(List.of(), null, null, null, null, 10_000)).stream()
          .map(Memory::text).sorted().toList();
    }
  }

  /** Every blob name in {@code store}, in order. */
  static List<BlobInfo> all(BlobStore store) throws Exception {
    List<BlobInfo> out = new ArrayList<>();
    String token = null;
    for (int pages = 0; pages < 10_000; pages++) {
      Page p = store.list("", token, BlobStore.MAX_PAGE_SIZE);
      out.addAll(p.blobs());
      token = p.nextToken();
      if (token == null) {
        break;
      }
    }
    return out;
  }
}
