package dev.mnode.crdt;

import java.util.List;

/** One Automerge change as read by {@link Chunks#change}: its hash, header fields and bytes. */
record ChangeChunk(ChangeHash hash, ActorId actor, long seq, List<ChangeHash> deps, ByteString bytes) {
  ChangeChunk {
    deps = List.copyOf(deps);
  }
}
