package dev.mnode.node;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** A home's {@code config.json}, read once as JSON by each part of the node that has settings in it. */
public final class ConfigFile {
  public static final String NAME = "config.json";

  private ConfigFile() {}

  /**
   * The JSON object in {@code config.json} in {@code home}; empty when there is no such file.
   *
   * @throws InvalidInputException when the file is not a JSON object
   */
  public static java.util.Optional<JsonNode> root(Path home) throws NodeException {
    Path file = home.resolve(NAME);
    JsonNode root;
    try {
      root = MemoryJson.MAPPER.readTree(Files.readAllBytes(file));
    } catch (NoSuchFileException e) {
      return java.util.Optional.empty();
    } catch (IOException e) {
      throw new InvalidInputException(file + ": not valid JSON: " + e.getMessage().lines().findFirst().orElse(""));
    }
    if (root == null || !root.isObject()) {
      throw new InvalidInputException(file + ": expected a JSON object");
    }
    return java.util.Optional.of(root);
  }
}
