package dev.mnode.node.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mnode.node.ImportSummary;
import dev.mnode.node.InvalidInputException;
import dev.mnode.node.ListQuery;
import dev.mnode.node.MemoryDraft;
import dev.mnode.node.MemoryJson;
import dev.mnode.node.MemoryPatch;
import dev.mnode.node.MemoryService;
import dev.mnode.node.NodeException;
import dev.mnode.node.NodeStatus;
import dev.mnode.node.NotFoundException;
import dev.mnode.node.ProgressListener;
import dev.mnode.node.RecallHit;
import dev.mnode.node.RecallQuery;
import dev.mnode.node.Remembered;
import dev.mnode.store.Memory;
import dev.mnode.store.MemoryId;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;
import org.jspecify.annotations.Nullable;

/**
 * {@link MemoryService} over the local API of the node that serves this home, with the owner's
 * credential: what the CLI uses while {@code mnode serve} holds the store. Answers and errors are
 * the same as the store's own ({@link NotFoundException}, {@link InvalidInputException} with the
 * node's message). Import, export, reindex and adding classes need the store itself and are
 * refused with a message saying to stop the node. Thread-safe.
 */
final class HttpMemoryService implements MemoryService {
  /** Long enough for a first recall that builds the index of a large home. */
  static final Duration REQUEST_TIMEOUT = Duration.ofMinutes(30);

  private final HttpClient http;
  private final URI base;
  private final String token;

  HttpMemoryService(HttpClient http, URI base, String token) {
    this.http = http;
    this.base = base;
    this.token = token;
  }

  @Override
  public Remembered remember(MemoryDraft d, boolean allowDuplicate) throws NodeException {
    ObjectNode o = MemoryJson.MAPPER.createObjectNode();
    o.put("text", d.text());
    if (d.memoryClass() != null) {
      o.put("class", d.memoryClass());
    }
    d.tags().forEach(o.putArray("tags")::add);
    if (d.importance() != null) {
      o.put("importance", d.importance());
    }
    if (d.source() != null) {
      o.put("source", d.source());
    }
    o.put("pinned", d.pinned());
    ObjectNode meta = o.putObject("metadata");
    d.metadata().forEach(meta::put);
    d.links().forEach(o.putArray("links")::add);
    o.put("allow_duplicate", allowDuplicate);
    JsonNode r = send("POST", "/v1/memories", o, null);
    return new Remembered(ApiJson.memory(r), r.path("duplicate").asBoolean(), MemoryJson.redactions(r));
  }

  @Override
  public List<RecallHit> recall(RecallQuery q, ProgressListener progress) throws NodeException {
    ObjectNode o = MemoryJson.MAPPER.createObjectNode();
    o.put("query", q.query());
    o.put("k", q.k());
    q.classes().forEach(o.putArray("classes")::add);
    q.tags().forEach(o.putArray("tags")::add);
    if (q.source() != null) {
      o.put("source", q.source());
    }
    if (q.since() != null) {
      o.put("since", q.since().toString());
    }
    if (q.until() != null) {
      o.put("until", q.until().toString());
    }
    if (q.archived()) {
      o.put("archived", true);
    }
    List<RecallHit> out = new ArrayList<>();
    send("POST", "/v1/recall", o, null).path("results").forEach(h -> out.add(ApiJson.hit(h)));
    return out;
  }

  @Override
  public Memory get(String id) throws NodeException {
    return ApiJson.memory(send("GET", memoryPath(id), null, id));
  }

  @Override
  public List<Memory> list(ListQuery q) throws NodeException {
    List<Memory> out = new ArrayList<>();
    int offset = 0;
    while (out.size() < q.limit()) {
      StringJoiner query = new StringJoiner("&", "?", "");
      q.classes().forEach(c -> query.add("class=" + enc(c)));
      if (q.tag() != null) {
        query.add("tag=" + enc(q.tag()));
      }
      if (q.source() != null) {
        query.add("source=" + enc(q.source()));
      }
      if (q.since() != null) {
        query.add("since=" + enc(q.since().toString()));
      }
      if (q.until() != null) {
        query.add("until=" + enc(q.until().toString()));
      }
      if (q.archived()) {
        query.add("archived=true");
      }
      int page = Math.min(MemoryRoutes.MAX_PAGE, q.limit() - out.size());
      query.add("limit=" + page);
      query.add("offset=" + offset);
      JsonNode r = send("GET", "/v1/memories" + query, null, null);
      out.addAll(ApiJson.memories(r.path("memories")));
      JsonNode next = r.path("next_offset");
      if (!next.isInt() || next.intValue() > MemoryRoutes.MAX_OFFSET) {
        break;
      }
      offset = next.intValue();
    }
    return out;
  }

  @Override
  public Memory update(String id, MemoryPatch p) throws NodeException {
    ObjectNode o = MemoryJson.MAPPER.createObjectNode();
    if (p.text() != null) {
      o.put("text", p.text());
    }
    if (p.memoryClass() != null) {
      o.put("class", p.memoryClass());
    }
    if (p.tags() != null) {
      p.tags().forEach(o.putArray("tags")::add);
    }
    if (p.importance() != null) {
      o.put("importance", p.importance());
    }
    if (p.source() != null) {
      o.put("source", p.source());
    }
    if (p.pinned() != null) {
      o.put("pinned", p.pinned());
    }
    if (!p.metadata().isEmpty()) {
      ObjectNode meta = o.putObject("metadata");
      p.metadata().forEach(meta::put);
    }
    if (p.links() != null) {
      p.links().forEach(o.putArray("links")::add);
    }
    return ApiJson.memory(send("PATCH", memoryPath(id), o, id));
  }

  @Override
  public void forget(String id) throws NodeException {
    send("DELETE", memoryPath(id), null, id);
  }

  @Override
  public List<String> classes() throws NodeException {
    List<String> out = new ArrayList<>();
    send("GET", "/v1/classes", null, null).path("classes").forEach(c -> out.add(c.path("name").asText()));
    return out;
  }

  @Override
  public NodeStatus status() throws NodeException {
    return ApiJson.status(send("GET", "/v1/status", null, null));
  }

  @Override
  public long reindex(ProgressListener progress) throws NodeException {
    throw storeNeeded("reindex");
  }

  @Override
  public ImportSummary importJsonLines(InputStream in, long totalBytes, ProgressListener progress, boolean allowDuplicates)
      throws NodeException {
    throw storeNeeded("import");
  }

  @Override
  public long exportJsonLines(OutputStream out, ProgressListener progress) throws NodeException {
    throw storeNeeded("export");
  }

  @Override
  public boolean addClass(String name) throws NodeException {
    throw storeNeeded("add a class");
  }

  @Override
  public void close() {}

  @Override
  public dev.mnode.node.peer.VaultAdmin vault() {
    return new Vault();
  }

  /** The vault routes of the running node. */
  private final class Vault implements dev.mnode.node.peer.VaultAdmin {
    @Override
    public List<dev.mnode.node.peer.DeviceInfo> devices() throws NodeException {
      List<dev.mnode.node.peer.DeviceInfo> out = new ArrayList<>();
      send("GET", "/v1/devices", null, null).path("devices").forEach(d -> out.add(dev.mnode.node.peer.VaultJson.device(d)));
      return out;
    }

    private dev.mnode.node.peer.DeviceInfo change(String device, String what, ObjectNode body) throws NodeException {
      return dev.mnode.node.peer.VaultJson.device(send("POST", "/v1/devices/" + enc(device) + "/" + what, body, null));
    }

    private ObjectNode classes(List<String> classes) {
      ObjectNode o = MemoryJson.MAPPER.createObjectNode();
      classes.forEach(o.putArray("classes")::add);
      return o;
    }

    @Override
    public dev.mnode.node.peer.DeviceInfo grant(String device, List<String> classes) throws NodeException {
      return change(device, "grant", classes(classes));
    }

    @Override
    public dev.mnode.node.peer.DeviceInfo ungrant(String device, List<String> classes) throws NodeException {
      return change(device, "ungrant", classes(classes));
    }

    @Override
    public dev.mnode.node.peer.DeviceInfo revoke(String device) throws NodeException {
      return change(device, "revoke", MemoryJson.MAPPER.createObjectNode());
    }

    @Override
    public dev.mnode.node.peer.DeviceInfo rename(String device, String name) throws NodeException {
      return change(device, "rename", MemoryJson.MAPPER.createObjectNode().put("name", name));
    }

    @Override
    public List<dev.mnode.node.peer.PeerStatus> peers() throws NodeException {
      List<dev.mnode.node.peer.PeerStatus> out = new ArrayList<>();
      send("GET", "/v1/peers", null, null).path("peers").forEach(p -> out.add(dev.mnode.node.peer.VaultJson.peer(p)));
      return out;
    }

    @Override
    public PairingTicket pair(List<String> classes, java.time.Duration ttl) throws NodeException {
      ObjectNode o = classes(classes);
      o.put("ttl_seconds", ttl.toSeconds());
      return dev.mnode.node.peer.VaultJson.ticket(send("POST", "/v1/pair", o, null));
    }

    @Override
    public Joined join(String code, String member, String name) throws NodeException {
      ObjectNode o = MemoryJson.MAPPER.createObjectNode().put("code", code).put("addr", member).put("name", name);
      return dev.mnode.node.peer.VaultJson.joined(send("POST", "/v1/pair/join", o, null));
    }

    @Override
    public PairingOutcome pairResult(String code, java.time.Duration wait) throws NodeException {
      return dev.mnode.node.peer.VaultJson.outcome(send("GET", "/v1/pair/" + enc(code), null, null));
    }
  }

  private static NodeException storeNeeded(String what) {
    return new NodeException("a node is serving this home (mnode serve); stop it to " + what);
  }

  /** The path of memory {@code id}, checked here so a bad id fails as it does on the store. */
  private static String memoryPath(String id) throws InvalidInputException {
    try {
      return "/v1/memories/" + MemoryId.parse(id);
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException(e.getMessage());
    }
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  /** Sends one request and returns its JSON answer; maps error answers to the service's exceptions. */
  private JsonNode send(String method, String path, @Nullable JsonNode body, @Nullable String id) throws NodeException {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(base.resolve(path))
            .timeout(REQUEST_TIMEOUT)
            .header("Authorization", "Bearer " + token);
    try {
      if (body != null) {
        b.header("Content-Type", "application/json");
        b.method(method, HttpRequest.BodyPublishers.ofByteArray(MemoryJson.MAPPER.writeValueAsBytes(body)));
      } else {
        b.method(method, HttpRequest.BodyPublishers.noBody());
      }
      HttpResponse<byte[]> res = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
      JsonNode json = res.body().length == 0 ? MemoryJson.MAPPER.createObjectNode() : MemoryJson.MAPPER.readTree(res.body());
      int status = res.statusCode();
      if (status < 300) {
        return json;
      }
      String code = json.path("error").path("code").asText("");
      String message = json.path("error").path("message").asText("the node answered " + status);
      if (status == 404 && code.equals("not_found")) {
        throw id != null ? new NotFoundException(id) : NotFoundException.saying(message);
      }
      if (status == 400) {
        throw new InvalidInputException(message);
      }
      throw new NodeException("the node at " + base + " answered " + status + ": " + message);
    } catch (IOException e) {
      throw new NodeException("cannot reach the node at " + base + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new NodeException("interrupted while waiting for the node at " + base, e);
    }
  }
}
