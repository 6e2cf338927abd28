package dev.mnode.node.relay;

import java.util.List;
import java.util.SortedMap;

/**
 * What one relay round did. Immutable.
 *
 * @param relay the relay's URI
 * @param listed blobs listed under the vault's prefix
 * @param listRequests list calls made (one per page of up to 1000 names)
 * @param downloaded blobs fetched and opened
 * @param downloadedBytes their stored size
 * @param uploaded blobs written
 * @param uploadedBytes their stored size
 * @param opsIn membership operations read from blobs (the log ignores those it has)
 * @param envelopesIn key envelopes read
 * @param bundlesIn sealed bundles read
 * @param applied changes the replica applied
 * @param refused bundles and envelopes the replica refused, by its reason (a bundle of a class this
 *     device does not hold is {@code CLASS_NOT_HELD}, expected when classes differ)
 * @param opsOut membership operations uploaded
 * @param envelopesOut key envelopes uploaded
 * @param bundlesOut own bundles uploaded
 * @param deleted own older segments deleted after a compaction (their content was uploaded afresh)
 * @param rejected blobs not applied and why (the blob is read again next round)
 */
public record RelayReport(
    String relay,
    int listed,
    int listRequests,
    int downloaded,
    long downloadedBytes,
    int uploaded,
    long uploadedBytes,
    int opsIn,
    int envelopesIn,
    int bundlesIn,
    int applied,
    SortedMap<String, Long> refused,
    int opsOut,
    int envelopesOut,
    int bundlesOut,
    int deleted,
    List<Rejected> rejected) {

  public RelayReport {
    refused = java.util.Collections.unmodifiableSortedMap(new java.util.TreeMap<>(refused));
    rejected = List.copyOf(rejected);
  }

  /** A blob that was listed but not applied. */
  public record Rejected(String name, String reason) {}
}
