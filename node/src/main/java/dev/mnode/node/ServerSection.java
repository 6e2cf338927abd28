package dev.mnode.node;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Set;
import java.util.regex.Pattern;

/** Reads the {@code "server"} and {@code "audit"} sections of {@code config.json}. Stateless. */
final class ServerSection {
  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
  private static final Pattern IPV6 = Pattern.compile("[0-9a-fA-F:.]*:[0-9a-fA-F:.]*");

  private ServerSection() {}

  static ServerConfig read(Path file, JsonNode server, JsonNode audit) throws InvalidInputException {
    ServerConfig d = ServerConfig.DEFAULTS;
    if (!server.isMissingNode()) {
      object(file, server, "server");
      NodeConfig.only(
          server, "server.", Set.of("bind", "port", "max_body_bytes", "request_timeout_seconds", "requests_per_minute", "burst"));
    }
    if (!audit.isMissingNode()) {
      object(file, audit, "audit");
      NodeConfig.only(audit, "audit.", Set.of("retention_days", "max_entries"));
    }
    JsonNode bindNode = server.path("bind");
    if (!bindNode.isMissingNode() && !bindNode.isTextual()) {
      throw new InvalidInputException(file + ": server.bind must be a string");
    }
    String bind = bindNode.asText(d.bind());
    // An IP literal only: a host name would need a lookup the user did not ask for.
    if (!bind.equals("localhost") && !IPV4.matcher(bind).matches() && !IPV6.matcher(bind).matches()) {
      throw new InvalidInputException(file + ": server.bind must be an IP address such as 127.0.0.1, got \"" + bind + "\"");
    }
    try {
      return new ServerConfig(
          bind,
          integer(file, server, "port", d.port()),
          integer(file, server, "max_body_bytes", d.maxBodyBytes()),
          integer(file, server, "request_timeout_seconds", d.requestTimeoutSeconds()),
          integer(file, server, "requests_per_minute", d.requestsPerMinute()),
          integer(file, server, "burst", d.burst()),
          integer(file, audit, "retention_days", d.auditRetentionDays()),
          integer(file, audit, "max_entries", d.auditMaxEntries()));
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException(file + ": " + e.getMessage());
    }
  }

  private static void object(Path file, JsonNode node, String name) throws InvalidInputException {
    if (!node.isObject()) {
      throw new InvalidInputException(file + ": \"" + name + "\" must be an object");
    }
  }

  private static int integer(Path file, JsonNode section, String key, int fallback) throws InvalidInputException {
    JsonNode v = section.path(key);
    if (v.isMissingNode()) {
      return fallback;
    }
    if (!v.isIntegralNumber() || !v.canConvertToInt()) {
      throw new InvalidInputException(file + ": " + key + " must be a whole number");
    }
    return v.intValue();
  }
}
