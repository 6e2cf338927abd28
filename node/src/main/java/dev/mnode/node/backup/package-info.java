/**
 * Encrypted backup and restore of a home, under its recovery phrase.
 *
 * <p><b>The phrase.</b> {@code mnode init} makes a {@link dev.mnode.crypto.RecoveryPhrase} (24
 * words, BIP-39's encoding of 256 random bits) and prints it once; it is kept as a store secret
 * ({@link dev.mnode.node.backup.RecoveryPhrases}), sealed under the master key, so {@code mnode
 * recovery show} can print it again after the key file's passphrase. A home made before phrases
 * existed gets one the first time one is needed, and the command says so.
 *
 * <p><b>The archive.</b> One file, {@link dev.mnode.crypto.SealedArchive}: a clear header (format,
 * Argon2id cost and salt, a check of the derived key) then a Tink streaming AEAD over the {@link
 * dev.mnode.node.backup.Records}: the vault id and creation time, the config file, the classes,
 * every store secret (device identity seed, vault secret, prekeys, the phrase itself), every row
 * of the sync families (documents, bundles, membership operations, sync state, class epoch keys)
 * and every memory with every field. Nothing is in clear but the header. It is logical, not a copy
 * of RocksDB files: the restored store has a new master key and new storage keys, and is written
 * in the schema of the code that restores it.
 *
 * <p><b>Restore.</b> Only into a new or empty home; it is built in a directory beside it and
 * renamed at the end, so a wrong phrase, a damaged or truncated archive or a full disk change
 * nothing. The recall index is not in the archive: the node rebuilds it on first recall, as after
 * {@code mnode reindex}. The store's change numbering starts anew, so the two sync state rows that
 * cache it (kept digests, how far local writes were ingested) are left out and the change log is
 * pruned: the replica then compares every row with its document once, which also turns writes not
 * yet ingested when the backup was made into changes.
 *
 * <p><b>When to restore.</b> Restore is for a device that is lost: the restored home continues as
 * that same device of the vault (same identity, same bundles and sequence numbers). If another
 * device of the vault still lives, pair a new device instead ({@code mnode pair}); restoring a
 * backup of a device that still runs would make two devices write under one identity.
 */
@NullMarked
package dev.mnode.node.backup;

import org.jspecify.annotations.NullMarked;
