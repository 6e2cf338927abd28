package dev.mnode.node.sync;

import dev.mnode.crdt.MemoryFields;
import dev.mnode.crdt.MemoryState;
import dev.mnode.store.Memory;
import dev.mnode.store.MemoryClass;
import dev.mnode.store.MemoryId;

/** Conversions between the store's memory rows and the CRDT's view of a memory. */
final class MemoryStates {
  private MemoryStates() {}

  /** The fields a new memory document starts with. */
  static MemoryFields fields(Memory m) {
    return MemoryFields.builder(m.text(), m.created())
        .memoryClass(m.memoryClass().name())
        .tags(m.tags())
        .importance(m.importance())
        .source(m.source())
        .updated(m.updated())
        .pinned(m.pinned())
        .metadata(m.metadata())
        .links(m.links().stream().map(MemoryId::toString).toList())
        .build();
  }

  /** The row a materialized document becomes. */
  static Memory memory(MemoryState s) {
    return Memory.builder(MemoryId.parse(s.id()), s.text(), s.created())
        .memoryClass(new MemoryClass(s.memoryClass()))
        .tags(s.tags())
        .importance(s.importance())
        .source(s.source())
        .updated(s.updated())
        .pinned(s.pinned())
        .metadata(s.metadata())
        .links(s.links().stream().map(MemoryId::parse).toList())
        .build();
  }

  /** A row as the CRDT sees it, for digests. */
  static MemoryState state(Memory m) {
    return new MemoryState(
        m.id().toString(), m.text(), m.memoryClass().name(), m.tags(), m.importance(), m.source(), m.created(),
        m.updated(), m.pinned(), m.metadata(), m.links().stream().map(MemoryId::toString).toList());
  }
}
