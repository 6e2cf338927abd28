package dev.mnode.node;

import dev.mnode.store.Memory;

/**
 * What remember did: stored {@code memory}, or found that its class already holds the same fact
 * ({@code duplicate}), which it returns instead of storing a second copy.
 */
public record Remembered(Memory memory, boolean duplicate) {}
