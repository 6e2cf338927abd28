package dev.mnode.node.backup;

import java.nio.file.Path;

/**
 * What a restore recreated.
 *
 * @param home the new home
 * @param vaultId the vault it belongs to
 * @param device this device's public identity (hex), the one the backup was made on
 * @param memories memories restored
 * @param syncRows rows of the sync families restored
 * @param seconds time taken, key derivations included
 */
public record RestoreSummary(Path home, String vaultId, String device, long memories, long syncRows, double seconds) {}
