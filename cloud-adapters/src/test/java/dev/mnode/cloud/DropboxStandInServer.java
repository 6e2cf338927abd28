package dev.mnode.cloud;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A stand-in for Dropbox, NOT Dropbox: an HTTP server on 127.0.0.1 that answers the five API v2
 * endpoints {@code DropboxBlobStore} calls ({@code files/upload}, {@code files/download}, {@code
 * files/list_folder}, {@code files/list_folder/continue}, {@code files/delete_v2}) with the JSON
 * bodies, {@code Dropbox-API-Arg}/{@code Dropbox-API-Result} headers and HTTP 409/401 error shapes
 * that Dropbox documents, so the official SDK runs unmodified against it. Dropbox itself cannot be
 * reached from the tests.
 *
 * <p>It models what the store relies on: case-insensitive paths, folders implied by files, {@code
 * add} mode with {@code autorename=false} and {@code strict_conflict} (an identical upload is a
 * conflict only when strict), recursive listing paged by cursors ({@link #PAGE} entries each, in
 * an order that is not name order), and bearer-token checks. Thread-safe: one lock for all state.
 */
public final class DropboxStandInServer implements AutoCloseable {
  static final int PAGE = 25;
  private static final ObjectMapper JSON = new ObjectMapper();

  private record File(String display, byte[] data, long rev) {}

  private final String token;
  private final HttpServer http;
  private final ExecutorService executor = Executors.newFixedThreadPool(8);
  private final Object lock = new Object();
  // guarded by lock: files by lower-case path, pending listing pages by cursor
  private final TreeMap<String, File> files = new TreeMap<>();
  private final Map<String, Deque<List<ObjectNode>>> cursors = new HashMap<>();
  private long revs = 0x100000000L;
  private int cursorSeq;

  public DropboxStandInServer(String token) throws IOException {
    this.token = token;
    http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
    http.createContext("/2/", this::handle);
    http.setExecutor(executor);
    http.start();
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + http.getAddress().getPort());
  }

  /** How many files the stand-in holds, to check what a test left behind. */
  int fileCount() {
    synchronized (lock) {
      return files.size();
    }
  }

  @Override
  public void close() throws InterruptedException {
    http.stop(0);
    executor.shutdownNow();
    executor.awaitTermination(5, TimeUnit.SECONDS);
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      byte[] body = ex.getRequestBody().readNBytes(200 * 1024 * 1024);
      if (!("Bearer " + token).equals(ex.getRequestHeaders().getFirst("Authorization"))) {
        error(ex, 401, "invalid_access_token/", tag("invalid_access_token"));
        return;
      }
      String path = ex.getRequestURI().getPath();
      switch (path) {
        case "/2/files/upload" -> upload(ex, arg(ex), body);
        case "/2/files/download" -> download(ex, arg(ex));
        case "/2/files/list_folder" -> listFolder(ex, JSON.readTree(body));
        case "/2/files/list_folder/continue" -> listContinue(ex, JSON.readTree(body));
        case "/2/files/delete_v2" -> delete(ex, JSON.readTree(body));
        default -> {
          byte[] msg = ("Unknown API function: " + path).getBytes(StandardCharsets.UTF_8);
          ex.sendResponseHeaders(400, msg.length);
          ex.getResponseBody().write(msg);
        }
      }
    } catch (RuntimeException e) {
      ex.sendResponseHeaders(500, -1);
    }
  }

  private static JsonNode arg(HttpExchange ex) throws IOException {
    return JSON.readTree(ex.getRequestHeaders().getFirst("Dropbox-API-Arg"));
  }

  private static String tagOf(JsonNode n) {
    return n.isTextual() ? n.asText() : n.path(".tag").asText();
  }

  private void upload(HttpExchange ex, JsonNode arg, byte[] data) throws IOException {
    String display = arg.path("path").asText();
    String lower = display.toLowerCase(Locale.ROOT);
    String mode = tagOf(arg.path("mode"));
    boolean strict = arg.path("strict_conflict").asBoolean(false);
    if (!mode.equals("add") || arg.path("autorename").asBoolean(false)) {
      throw new IllegalStateException("the stand-in only models add mode without autorename");
    }
    ObjectNode result;
    synchronized (lock) {
      File existing = files.get(lower);
      String conflict = null;
      if (existing != null) {
        if (!strict && java.util.Arrays.equals(existing.data(), data)) {
          json(ex, 200, fileMeta(existing));
          return;
        }
        conflict = "file";
      } else if (isFolder(lower)) {
        conflict = "folder";
      } else if (hasFileAncestor(lower)) {
        conflict = "file_ancestor";
      }
      if (conflict != null) {
        ObjectNode reason = tag("conflict");
        reason.set("conflict", tag(conflict));
        ObjectNode failed = JSON.createObjectNode();
        failed.set("reason", reason);
        failed.put("upload_session_id", "stand-in-session");
        ObjectNode err = tag("path");
        err.setAll(failed);
        error(ex, 409, "path/conflict/" + conflict + "/..", err);
        return;
      }
      File f = new File(display, data.clone(), revs++);
      files.put(lower, f);
      result = fileMeta(f);
    }
    json(ex, 200, result);
  }

  private void download(HttpExchange ex, JsonNode arg) throws IOException {
    String lower = arg.path("path").asText().toLowerCase(Locale.ROOT);
    File f;
    synchronized (lock) {
      f = files.get(lower);
      if (f == null) {
        lookupError(ex, "path", isFolder(lower) ? "not_file" : "not_found");
        return;
      }
    }
    ex.getResponseHeaders().set("Content-Type", "application/octet-stream");
    ex.getResponseHeaders().set("Dropbox-API-Result", JSON.writeValueAsString(fileMeta(f)));
    ex.sendResponseHeaders(200, f.data().length == 0 ? -1 : f.data().length);
    ex.getResponseBody().write(f.data());
  }

  private void listFolder(HttpExchange ex, JsonNode arg) throws IOException {
    String lower = arg.path("path").asText().toLowerCase(Locale.ROOT);
    if (!arg.path("recursive").asBoolean(false)) {
      throw new IllegalStateException("the stand-in only models recursive listing");
    }
    String cursor;
    synchronized (lock) {
      if (!lower.isEmpty() && files.containsKey(lower)) {
        lookupError(ex, "path", "not_folder");
        return;
      }
      if (!lower.isEmpty() && !isFolder(lower)) {
        lookupError(ex, "path", "not_found");
        return;
      }
      // Folders first, then files, each newest name first: not the order the store must return.
      List<ObjectNode> entries = new ArrayList<>();
      TreeSet<String> folders = new TreeSet<>();
      for (String p : files.tailMap(lower + "/").keySet()) {
        if (!p.startsWith(lower + "/")) {
          break;
        }
        for (int i = p.indexOf('/', lower.length() + 1); i > 0; i = p.indexOf('/', i + 1)) {
          folders.add(p.substring(0, i));
        }
      }
      for (String folder : folders) {
        entries.add(folderMeta(folder));
      }
      for (File f : files.tailMap(lower + "/", true).descendingMap().values()) {
        if (f.display().toLowerCase(Locale.ROOT).startsWith(lower + "/")) {
          entries.add(fileMeta(f));
        }
      }
      Deque<List<ObjectNode>> pages = new ArrayDeque<>();
      for (int i = 0; i < entries.size(); i += PAGE) {
        pages.add(entries.subList(i, Math.min(entries.size(), i + PAGE)));
      }
      cursor = "cursor-" + (cursorSeq++);
      cursors.put(cursor, pages);
    }
    nextPage(ex, cursor);
  }

  private void listContinue(HttpExchange ex, JsonNode arg) throws IOException {
    String cursor = arg.path("cursor").asText();
    synchronized (lock) {
      if (!cursors.containsKey(cursor)) {
        error(ex, 409, "reset/", tag("reset"));
        return;
      }
    }
    nextPage(ex, cursor);
  }

  private void nextPage(HttpExchange ex, String cursor) throws IOException {
    ObjectNode out = JSON.createObjectNode();
    synchronized (lock) {
      Deque<List<ObjectNode>> pages = cursors.get(cursor);
      List<ObjectNode> page = pages.isEmpty() ? List.of() : pages.poll();
      out.putArray("entries").addAll(page);
      out.put("cursor", cursor);
      out.put("has_more", !pages.isEmpty());
      if (pages.isEmpty()) {
        cursors.remove(cursor);
      }
    }
    json(ex, 200, out);
  }

  private void delete(HttpExchange ex, JsonNode arg) throws IOException {
    String lower = arg.path("path").asText().toLowerCase(Locale.ROOT);
    ObjectNode meta;
    synchronized (lock) {
      File f = files.remove(lower);
      if (f != null) {
        meta = fileMeta(f);
      } else if (isFolder(lower)) {
        files.subMap(lower + "/", lower + "0").clear(); // '0' follows '/'
        meta = folderMeta(lower);
      } else {
        lookupError(ex, "path_lookup", "not_found");
        return;
      }
    }
    ObjectNode out = JSON.createObjectNode();
    out.set("metadata", meta);
    json(ex, 200, out);
  }

  private boolean isFolder(String lower) {
    String first = files.ceilingKey(lower + "/");
    return first != null && first.startsWith(lower + "/");
  }

  private boolean hasFileAncestor(String lower) {
    for (int i = lower.indexOf('/', 1); i > 0; i = lower.indexOf('/', i + 1)) {
      if (files.containsKey(lower.substring(0, i))) {
        return true;
      }
    }
    return false;
  }

  private static ObjectNode fileMeta(File f) {
    ObjectNode m = tag("file");
    String lower = f.display().toLowerCase(Locale.ROOT);
    m.put("name", f.display().substring(f.display().lastIndexOf('/') + 1));
    m.put("id", "id:" + Integer.toHexString(lower.hashCode()));
    m.put("client_modified", "2026-01-02T03:04:05Z");
    m.put("server_modified", "2026-01-02T03:04:05Z");
    m.put("rev", Long.toHexString(f.rev()));
    m.put("size", f.data().length);
    m.put("path_lower", lower);
    m.put("path_display", f.display());
    m.put("is_downloadable", true);
    return m;
  }

  private static ObjectNode folderMeta(String lower) {
    ObjectNode m = tag("folder");
    m.put("name", lower.substring(lower.lastIndexOf('/') + 1));
    m.put("id", "id:d" + Integer.toHexString(lower.hashCode()));
    m.put("path_lower", lower);
    m.put("path_display", lower);
    return m;
  }

  private static ObjectNode tag(String tag) {
    ObjectNode n = JSON.createObjectNode();
    n.put(".tag", tag);
    return n;
  }

  private static void lookupError(HttpExchange ex, String field, String lookup)
      throws IOException {
    ObjectNode err = tag(field);
    err.set(field, tag(lookup));
    error(ex, 409, field + "/" + lookup + "/..", err);
  }

  private static void error(HttpExchange ex, int status, String summary, ObjectNode error)
      throws IOException {
    ObjectNode out = JSON.createObjectNode();
    out.put("error_summary", summary);
    out.set("error", error);
    json(ex, status, out);
  }

  private static void json(HttpExchange ex, int status, JsonNode body) throws IOException {
    byte[] bytes = JSON.writeValueAsBytes(body);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

}
