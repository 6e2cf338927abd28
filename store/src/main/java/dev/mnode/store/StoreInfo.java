package dev.mnode.store;

import java.time.Instant;

/**
 * Facts about an open store.
 *
 * @param vaultId random id of the vault this store belongs to, lowercase hex
 * @param schema schema version the store is written in
 * @param created when the store was created
 */
public record StoreInfo(String vaultId, int schema, Instant created) {}
