package dev.mnode.node.peer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mnode.node.Home;
import dev.mnode.node.InvalidInputException;
import dev.mnode.node.MemoryJson;
import dev.mnode.node.NodeException;
import dev.mnode.node.access.PrivateFiles;
import dev.mnode.p2p.Multiaddr;
import dev.mnode.p2p.multiformats.MultiformatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The static peers of a home, {@code HOME/peers.json} (0600): {@code {"peers": ["/ip4/.../tcp/N/p2p/ID",
 * ...]}}. A file rather than the store so that {@code mnode peers add} works while a node runs: the
 * node reads it again when it changes.
 */
public final class PeerList {
  static final String FILE = "peers.json";

  private PeerList() {}

  public static Path file(Home home) {
    return home.dir().resolve(FILE);
  }

  /** The peers, in the order added; empty if the file does not exist. */
  public static List<Multiaddr> load(Home home) throws NodeException {
    Path f = file(home);
    if (!Files.exists(f)) {
      return List.of();
    }
    try {
      JsonNode o = MemoryJson.MAPPER.readTree(Files.readAllBytes(f));
      List<Multiaddr> out = new ArrayList<>();
      for (JsonNode n : o.path("peers")) {
        out.add(Multiaddr.parse(n.asText()));
      }
      return out;
    } catch (IOException | MultiformatException e) {
      throw new NodeException("cannot read " + f + ": " + e.getMessage(), e);
    }
  }

  /** Parses a peer address: a TCP address on an IP ending in {@code /p2p/<peer id>}. */
  public static Multiaddr parse(String text) throws InvalidInputException {
    Multiaddr a;
    try {
      a = Multiaddr.parse(text.strip());
    } catch (MultiformatException e) {
      throw new InvalidInputException("not a multiaddr: " + e.getMessage());
    }
    if (a.peerId().isEmpty() || a.tcpPort().isEmpty() || a.host().isEmpty()) {
      throw new InvalidInputException(
          "a peer address is /ip4/HOST/tcp/PORT/p2p/PEER_ID (or /ip6/...), as `mnode serve` prints it: " + text);
    }
    return a;
  }

  /** Adds {@code a}; returns false if it was there already. */
  public static boolean add(Home home, Multiaddr a) throws NodeException {
    List<Multiaddr> all = new ArrayList<>(load(home));
    if (all.contains(a)) {
      return false;
    }
    all.add(a);
    save(home, all);
    return true;
  }

  /** Removes {@code a}; returns false if it was not there. */
  public static boolean remove(Home home, Multiaddr a) throws NodeException {
    List<Multiaddr> all = new ArrayList<>(load(home));
    if (!all.remove(a)) {
      return false;
    }
    save(home, all);
    return true;
  }

  private static void save(Home home, List<Multiaddr> all) throws NodeException {
    ObjectNode o = MemoryJson.MAPPER.createObjectNode();
    var a = o.putArray("peers");
    all.forEach(m -> a.add(m.toString()));
    try {
      PrivateFiles.write(file(home), MemoryJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(o));
    } catch (IOException e) {
      throw new NodeException("cannot write " + file(home) + ": " + e.getMessage(), e);
    }
  }
}
