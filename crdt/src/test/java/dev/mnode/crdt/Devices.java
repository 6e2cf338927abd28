package dev.mnode.crdt;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Test fixture: named devices, a sample memory, and documents that close after each test. */
final class Devices implements AutoCloseable {
  static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");
  static final String ID = "01a218df-fd61-71fa-86a7-f70af0b7c91a";

  private final List<MemoryDoc> open = new ArrayList<>();

  static ActorId actor(String device) {
    return ActorId.ofDevice(device.getBytes(StandardCharsets.UTF_8));
  }

  static MemoryFields sample() {
    return MemoryFields.builder("We chose Stripe over Adyen for payments", T0)
        .memoryClass("work")
        .tags(List.of("payments", "decisions"))
        .importance(0.8)
        .source("claude")
        .metadata(Map.of("decided", "2026-11"))
        .links(List.of("01a218df-0000-7000-8000-000000000001"))
        .build();
  }

  static Instant t(int minutes) {
    return T0.plusSeconds(60L * minutes);
  }

  /** An empty document of {@code device}, closed with this fixture. */
  MemoryDoc empty(String device) {
    return track(CrdtModule.newMemoryDoc(actor(device)));
  }

  /** A document of {@code device} with {@code changes} applied. */
  MemoryDoc with(String device, Changes... changes) throws CrdtException {
    MemoryDoc d = empty(device);
    for (Changes c : changes) {
      d.applyChanges(c);
    }
    return d;
  }

  MemoryDoc load(ByteString saved, String device) throws MalformedException {
    return track(CrdtModule.loadMemoryDoc(saved, actor(device)));
  }

  MemoryDoc track(MemoryDoc d) {
    open.add(d);
    return d;
  }

  /** Re-parses changes as if they had crossed the network. */
  static Changes wire(Changes c) throws MalformedException {
    return Changes.parse(c.toByteArray());
  }

  @Override
  public void close() {
    open.forEach(MemoryDoc::close);
    open.clear();
  }
}
