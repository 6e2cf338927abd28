package dev.mnode.bench;

/**
 * A JSON Lines import into an empty store.
 *
 * @param layer the API called
 * @param memories memories written
 * @param inputBytes size of the JSON Lines input
 * @param seconds wall time of the call (parse, validate, encrypt, write in synced batches)
 * @param perSecond memories per second
 */
record ImportResult(
    String layer, long memories, long inputBytes, double seconds, double perSecond) {}
