package dev.mnode.node;

import java.nio.file.Path;
import java.time.Instant;
import java.util.SortedMap;

/**
 * A summary of a home: where it is, its vault, this device's identity (its Ed25519 public key in
 * hex), schema, memory counts per class and size on disk.
 */
public record NodeStatus(
    Path home,
    String vaultId,
    String deviceId,
    int schema,
    Instant created,
    long count,
    SortedMap<String, Long> classes,
    long diskBytes,
    boolean passphraseProtected) {}
