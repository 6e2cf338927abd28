package dev.mnode.node.backup;

import java.nio.file.Path;

/**
 * What a backup wrote.
 *
 * @param file the archive
 * @param memories memories in it
 * @param syncRows rows of the sync families in it
 * @param bytes the archive's size
 * @param seconds time taken, key derivation included
 * @param phraseMadeNow whether the home had no recovery phrase and one was made for this backup
 */
public record BackupSummary(Path file, long memories, long syncRows, long bytes, double seconds, boolean phraseMadeNow) {}
