package dev.mnode.node.peer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mnode.node.MemoryJson;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The JSON of devices, peers and pairings, the same from the CLI and the API:
 *
 * <pre>
 * device  {"id", "name", "classes": [...], "revoked", "self", "online", "last_seen": ISO-8601|null}
 * peer    {"device", "addrs": [...], "online", "last_seen", "last_sync", "pending", "sent", "received", "error",
 *          "bytes_sent", "bytes_received"}
 * ticket  {"code", "addrs": [...], "classes": [...], "expires"}
 * outcome {"status": paired|pending|expired|failed|closed, "detail", "device", "name", "classes": [...]}
 * joined  {"vault", "device", "classes": [...]}
 * </pre>
 */
public final class VaultJson {
  private VaultJson() {}

  public static ObjectNode device(DeviceInfo d) {
    ObjectNode o = MemoryJson.MAPPER.createObjectNode();
    o.put("id", d.id());
    o.put("name", d.name());
    strings(o.putArray("classes"), d.classes());
    o.put("revoked", d.revoked());
    o.put("self", d.self());
    o.put("online", d.online());
    time(o, "last_seen", d.lastSeen());
    return o;
  }

  public static DeviceInfo device(JsonNode o) {
    return new DeviceInfo(
        o.path("id").asText(), o.path("name").asText(), strings(o.path("classes")), o.path("revoked").asBoolean(),
        o.path("self").asBoolean(), o.path("online").asBoolean(), time(o.path("last_seen")));
  }

  public static ArrayNode devices(List<DeviceInfo> ds) {
    ArrayNode a = MemoryJson.MAPPER.createArrayNode();
    ds.forEach(d -> a.add(device(d)));
    return a;
  }

  public static ObjectNode peer(PeerStatus p) {
    ObjectNode o = MemoryJson.MAPPER.createObjectNode();
    o.put("device", p.peerId());
    strings(o.putArray("addrs"), p.addresses());
    o.put("online", p.online());
    time(o, "last_seen", p.lastSeen());
    time(o, "last_sync", p.lastSync());
    o.put("pending", p.pending());
    o.put("sent", p.sent());
    o.put("received", p.received());
    if (p.lastError() == null) {
      o.putNull("error");
    } else {
      o.put("error", p.lastError());
    }
    o.put("bytes_sent", p.bytesSent());
    o.put("bytes_received", p.bytesReceived());
    return o;
  }

  public static PeerStatus peer(JsonNode o) {
    return new PeerStatus(
        o.path("device").asText(), strings(o.path("addrs")), o.path("online").asBoolean(), time(o.path("last_seen")),
        time(o.path("last_sync")), o.path("pending").asLong(), o.path("sent").asLong(), o.path("received").asLong(),
        o.path("error").isTextual() ? o.path("error").asText() : null, o.path("bytes_sent").asLong(),
        o.path("bytes_received").asLong());
  }

  public static ArrayNode peers(List<PeerStatus> ps) {
    ArrayNode a = MemoryJson.MAPPER.createArrayNode();
    ps.forEach(p -> a.add(peer(p)));
    return a;
  }

  public static ObjectNode ticket(VaultAdmin.PairingTicket t) {
    ObjectNode o = MemoryJson.MAPPER.createObjectNode();
    o.put("code", t.code());
    strings(o.putArray("addrs"), t.addrs());
    strings(o.putArray("classes"), t.classes());
    o.put("expires", t.expires().toString());
    return o;
  }

  public static VaultAdmin.PairingTicket ticket(JsonNode o) {
    return new VaultAdmin.PairingTicket(
        o.path("code").asText(), strings(o.path("addrs")), strings(o.path("classes")), Instant.parse(o.path("expires").asText()));
  }

  public static ObjectNode outcome(VaultAdmin.PairingOutcome r) {
    ObjectNode o = MemoryJson.MAPPER.createObjectNode();
    o.put("status", r.status());
    o.put("detail", r.detail());
    o.put("device", r.device());
    o.put("name", r.name());
    strings(o.putArray("classes"), r.classes());
    return o;
  }

  public static VaultAdmin.PairingOutcome outcome(JsonNode o) {
    return new VaultAdmin.PairingOutcome(
        o.path("status").asText(), o.path("detail").asText(), o.path("device").asText(), o.path("name").asText(),
        strings(o.path("classes")));
  }

  public static ObjectNode joined(VaultAdmin.Joined j) {
    ObjectNode o = MemoryJson.MAPPER.createObjectNode();
    o.put("vault", j.vault());
    o.put("device", j.device());
    strings(o.putArray("classes"), j.classes());
    return o;
  }

  public static VaultAdmin.Joined joined(JsonNode o) {
    return new VaultAdmin.Joined(o.path("vault").asText(), o.path("device").asText(), strings(o.path("classes")));
  }

  static void strings(ArrayNode a, List<String> values) {
    values.forEach(a::add);
  }

  public static List<String> strings(JsonNode a) {
    List<String> out = new ArrayList<>();
    a.forEach(n -> out.add(n.asText()));
    return out;
  }

  private static void time(ObjectNode o, String field, @Nullable Instant t) {
    if (t == null) {
      o.putNull(field);
    } else {
      o.put(field, t.toString());
    }
  }

  private static @Nullable Instant time(JsonNode n) {
    return n.isTextual() ? Instant.parse(n.asText()) : null;
  }
}
