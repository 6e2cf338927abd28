package dev.mnode.node.relay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mnode.node.MemoryJson;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What a running node knows of one relay: its last round and how it went.
 *
 * @param uri the relay's URI
 * @param lastRound when the last round ended (successful or not); null before the first
 * @param lastError the last round's failure, one line without credentials; null if it succeeded
 * @param lastSuccess when the last successful round ended; null if none yet
 * @param listed blobs listed under the vault's prefix in the last successful round
 * @param uploaded blobs the last successful round wrote
 * @param downloaded blobs it fetched
 * @param deleted superseded own blobs it deleted
 * @param applied changes it applied
 * @param rejected blobs it did not apply (tampered, foreign, truncated: see the node's warnings)
 */
public record RelayStatus(
    String uri,
    @Nullable Instant lastRound,
    @Nullable String lastError,
    @Nullable Instant lastSuccess,
    int listed,
    int uploaded,
    int downloaded,
    int deleted,
    int applied,
    int rejected) {

  /** A relay no round has run for yet. */
  static RelayStatus none(String uri) {
    return new RelayStatus(uri, null, null, null, 0, 0, 0, 0, 0, 0);
  }

  /** After a successful round at {@code at}. */
  static RelayStatus of(RelayReport r, Instant at) {
    return new RelayStatus(r.relay(), at, null, at, r.listed(), r.uploaded(), r.downloaded(), r.deleted(), r.applied(),
        r.rejected().size());
  }

  /** This status after a failed round at {@code at}: the last success's figures stay. */
  RelayStatus failed(String error, Instant at) {
    return new RelayStatus(uri, at, error, lastSuccess, listed, uploaded, downloaded, deleted, applied, rejected);
  }

  /** As {@code GET /v1/status} and {@code mnode status --json} print it. */
  public static ArrayNode json(List<RelayStatus> relays) {
    ArrayNode a = MemoryJson.MAPPER.createArrayNode();
    for (RelayStatus r : relays) {
      ObjectNode o = a.addObject();
      o.put("uri", r.uri());
      o.put("last_round", r.lastRound() == null ? null : r.lastRound().toString());
      o.put("last_error", r.lastError());
      o.put("last_success", r.lastSuccess() == null ? null : r.lastSuccess().toString());
      o.put("listed", r.listed()).put("uploaded_blobs", r.uploaded()).put("downloaded_blobs", r.downloaded())
          .put("deleted_blobs", r.deleted()).put("bundles_applied", r.applied()).put("rejected_blobs", r.rejected());
    }
    return a;
  }

  /** Reads what {@link #json} wrote (a missing array is no relay). */
  public static List<RelayStatus> fromJson(JsonNode a) {
    List<RelayStatus> out = new ArrayList<>();
    a.forEach(o -> out.add(new RelayStatus(
        o.path("uri").asText(),
        instant(o.path("last_round")),
        o.path("last_error").isTextual() ? o.path("last_error").asText() : null,
        instant(o.path("last_success")),
        o.path("listed").asInt(),
        o.path("uploaded_blobs").asInt(),
        o.path("downloaded_blobs").asInt(),
        o.path("deleted_blobs").asInt(),
        o.path("bundles_applied").asInt(),
        o.path("rejected_blobs").asInt())));
    return out;
  }

  private static @Nullable Instant instant(JsonNode n) {
    return n.isTextual() ? Instant.parse(n.asText()) : null;
  }
}
