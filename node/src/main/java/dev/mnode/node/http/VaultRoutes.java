package dev.mnode.node.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mnode.node.MemoryJson;
import dev.mnode.node.MemoryService;
import dev.mnode.node.NodeException;
import dev.mnode.node.access.Scope;
import dev.mnode.node.peer.DeviceInfo;
import dev.mnode.node.peer.VaultAdmin;
import dev.mnode.node.peer.VaultJson;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * The owner's routes for the vault: devices, peers and pairing. An app token gets 403 whatever its
 * classes: membership decides who reads every class, so only the owner changes it.
 */
final class VaultRoutes {
  /** How long one request for a pairing's result waits before answering {@code pending}. */
  static final Duration PAIR_POLL = Duration.ofSeconds(20);
  static final Duration MAX_TTL = Duration.ofHours(1);

  private final MemoryService service;

  VaultRoutes(MemoryService service) {
    this.service = service;
  }

  static boolean handles(String route) {
    return route.startsWith("device") || route.equals("peers") || route.startsWith("pair");
  }

  Reply handle(String name, Scope scope, Map<String, String> params, Map<String, List<String>> query, @Nullable JsonNode body)
      throws ApiError, NodeException {
    if (!scope.allClasses()) {
      throw ApiError.forbidden("only the owner manages the vault's devices and pairing");
    }
    if (!query.isEmpty()) {
      throw ApiError.badRequest("unknown_parameter", "this route takes no query parameters");
    }
    VaultAdmin v = service.vault();
    return switch (name) {
      case "devices" -> {
        ObjectNode o = MemoryJson.MAPPER.createObjectNode();
        o.set("devices", VaultJson.devices(v.devices()));
        yield Reply.json(200, o, Set.of(), 0);
      }
      case "device_grant" -> device(v.grant(params.get("id"), classes(body)));
      case "device_ungrant" -> device(v.ungrant(params.get("id"), classes(body)));
      case "device_revoke" -> {
        Body.of(body == null ? MemoryJson.MAPPER.createObjectNode() : body, Set.of());
        yield device(v.revoke(params.get("id")));
      }
      case "device_rename" -> {
        String n = Body.of(require(body), Set.of("name")).string("name");
        if (n == null) {
          throw ApiError.badRequest("invalid_input", "\"name\" is required");
        }
        yield device(v.rename(params.get("id"), n));
      }
      case "peers" -> {
        ObjectNode o = MemoryJson.MAPPER.createObjectNode();
        o.set("peers", VaultJson.peers(v.peers()));
        yield Reply.json(200, o, Set.of(), 0);
      }
      case "pair" -> {
        Body b = Body.of(require(body), Set.of("classes", "ttl_seconds"));
        List<String> cs = b.strings("classes");
        Integer ttl = b.integer("ttl_seconds");
        Duration d = Duration.ofSeconds(ttl == null ? 600 : ttl);
        if (d.isNegative() || d.isZero() || d.compareTo(MAX_TTL) > 0) {
          throw ApiError.badRequest("invalid_input", "ttl_seconds must be 1 to " + MAX_TTL.toSeconds());
        }
        VaultAdmin.PairingTicket t = v.pair(cs == null ? List.of() : cs, d);
        yield Reply.json(201, VaultJson.ticket(t), new TreeSet<>(t.classes()), 0);
      }
      case "pair_join" -> {
        Body b = Body.of(require(body), Set.of("code", "addr", "name"));
        String code = b.string("code");
        String addr = b.string("addr");
        if (code == null || addr == null) {
          throw ApiError.badRequest("invalid_input", "\"code\" and \"addr\" are required");
        }
        String n = b.string("name");
        VaultAdmin.Joined j = v.join(code, addr, n == null ? "new device" : n);
        yield Reply.json(200, VaultJson.joined(j), new TreeSet<>(j.classes()), 0);
      }
      case "pair_result" -> Reply.json(200, VaultJson.outcome(v.pairResult(params.get("code"), PAIR_POLL)), Set.of(), 0);
      default -> throw new IllegalArgumentException("not a vault route: " + name);
    };
  }

  private static Reply device(DeviceInfo d) {
    return Reply.json(200, VaultJson.device(d), new TreeSet<>(d.classes()), 1);
  }

  private static List<String> classes(@Nullable JsonNode body) throws ApiError {
    List<String> cs = Body.of(require(body), Set.of("classes")).strings("classes");
    if (cs == null || cs.isEmpty()) {
      throw ApiError.badRequest("invalid_input", "\"classes\" must name at least one class");
    }
    return cs;
  }

  private static JsonNode require(@Nullable JsonNode body) throws ApiError {
    if (body == null) {
      throw ApiError.badRequest("invalid_input", "a JSON body is required");
    }
    return body;
  }
}
