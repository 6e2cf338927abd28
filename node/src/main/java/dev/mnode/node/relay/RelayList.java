package dev.mnode.node.relay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mnode.cloud.Secret;
import dev.mnode.node.Home;
import dev.mnode.node.InvalidInputException;
import dev.mnode.node.MemoryJson;
import dev.mnode.node.NodeException;
import dev.mnode.node.access.PrivateFiles;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The relays of a home, {@code HOME/relays.json} (0600):
 *
 * <pre>
 * {"relays": [{"uri": "s3://bucket/prefix", "endpoint": "https://...",
 *              "access_key_id": "...", "secret_access_key": "...", "dropbox_token": "..."}]}
 * </pre>
 *
 * Only {@code uri} is required; credentials are normally taken from the environment and may be
 * written here by hand. A file rather than the store so that {@code mnode relay add} works while a
 * node runs: the node reads it before each round.
 */
public final class RelayList {
  static final String FILE = "relays.json";

  private RelayList() {}

  public static Path file(Home home) {
    return home.dir().resolve(FILE);
  }

  /** The relays, in the order added; empty if the file does not exist. */
  public static List<Relay> load(Home home) throws NodeException {
    Path f = file(home);
    if (!Files.exists(f)) {
      return List.of();
    }
    try {
      JsonNode o = MemoryJson.MAPPER.readTree(Files.readAllBytes(f));
      List<Relay> out = new ArrayList<>();
      for (JsonNode n : o.path("relays")) {
        String endpoint = text(n, "endpoint");
        String secret = text(n, "secret_access_key");
        String token = text(n, "dropbox_token");
        out.add(new Relay(
            parse(n.path("uri").asText()),
            endpoint == null ? null : parseEndpoint(endpoint),
            text(n, "access_key_id"),
            secret == null ? null : Secret.of(secret),
            token == null ? null : Secret.of(token)));
      }
      return out;
    } catch (IOException | InvalidInputException e) {
      throw new NodeException("cannot read " + f + ": " + e.getMessage(), e);
    }
  }

  /** Parses a relay URI: {@code file:/dir}, {@code s3://bucket[/prefix]} or {@code dropbox:/path}. */
  public static URI parse(String text) throws InvalidInputException {
    URI u;
    try {
      u = new URI(text.strip());
    } catch (URISyntaxException e) {
      throw new InvalidInputException("not a relay URI: " + e.getMessage());
    }
    String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
    if (!List.of("file", "s3", "dropbox").contains(scheme) || u.getUserInfo() != null || u.getRawQuery() != null) {
      throw new InvalidInputException("a relay is file:/DIR, s3://BUCKET/PREFIX or dropbox:/PATH, without credentials in it: " + scheme + ":...");
    }
    return u;
  }

  /** Parses an endpoint URL: {@code https://host[:port]} (or {@code http://} to this machine). */
  public static URI parseEndpoint(String text) throws InvalidInputException {
    try {
      URI u = new URI(text.strip());
      if (u.getHost() == null || !List.of("http", "https").contains(String.valueOf(u.getScheme())) || u.getUserInfo() != null) {
        throw new InvalidInputException("an endpoint is https://HOST[:PORT]: " + text);
      }
      return u;
    } catch (URISyntaxException e) {
      throw new InvalidInputException("not an endpoint URL: " + e.getMessage());
    }
  }

  /**
   * Adds the relay {@code uri} with {@code endpoint}, or sets the endpoint of the relay with that URI
   * (keeping any credentials written in the file); returns false if it was there unchanged.
   */
  public static boolean add(Home home, URI uri, @Nullable URI endpoint) throws NodeException {
    load(home); // refuse to rewrite a file that does not parse
    ArrayNode all = raw(home);
    for (JsonNode n : all) {
      if (n.path("uri").asText().equals(uri.toString())) {
        String old = text(n, "endpoint");
        if (java.util.Objects.equals(old, endpoint == null ? null : endpoint.toString())) {
          return false;
        }
        if (endpoint == null) {
          ((ObjectNode) n).remove("endpoint");
        } else {
          ((ObjectNode) n).put("endpoint", endpoint.toString());
        }
        save(home, all);
        return true;
      }
    }
    ObjectNode n = all.addObject().put("uri", uri.toString());
    if (endpoint != null) {
      n.put("endpoint", endpoint.toString());
    }
    save(home, all);
    return true;
  }

  /** Removes the relay {@code uri}; returns false if it was not there. */
  public static boolean remove(Home home, URI uri) throws NodeException {
    ArrayNode all = raw(home);
    ArrayNode kept = MemoryJson.MAPPER.createArrayNode();
    for (JsonNode n : all) {
      if (!n.path("uri").asText().equals(uri.toString())) {
        kept.add(n);
      }
    }
    if (kept.size() == all.size()) {
      return false;
    }
    save(home, kept);
    return true;
  }

  private static ArrayNode raw(Home home) throws NodeException {
    Path f = file(home);
    if (!Files.exists(f)) {
      return MemoryJson.MAPPER.createArrayNode();
    }
    try {
      JsonNode a = MemoryJson.MAPPER.readTree(Files.readAllBytes(f)).path("relays");
      return a.isArray() ? (ArrayNode) a : MemoryJson.MAPPER.createArrayNode();
    } catch (IOException e) {
      throw new NodeException("cannot read " + f + ": " + e.getMessage(), e);
    }
  }

  private static void save(Home home, ArrayNode all) throws NodeException {
    ObjectNode o = MemoryJson.MAPPER.createObjectNode();
    o.set("relays", all);
    try {
      PrivateFiles.write(file(home), MemoryJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(o));
    } catch (IOException e) {
      throw new NodeException("cannot write " + file(home) + ": " + e.getMessage(), e);
    }
  }

  private static @Nullable String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() || v.asText().isBlank() ? null : v.asText();
  }
}
