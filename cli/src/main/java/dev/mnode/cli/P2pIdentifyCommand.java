package dev.mnode.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mnode.node.MemoryJson;
import dev.mnode.p2p.IdentifyInfo;
import dev.mnode.p2p.Multiaddr;
import dev.mnode.p2p.P2pException;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(
    name = "identify",
    description = {
      "Dial a libp2p peer and run /ipfs/id/1.0.0: its agent and protocol version, protocols,"
          + " listen addresses, and our address as it observed it.",
      "JSON: {\"peer\", \"agentVersion\", \"protocolVersion\", \"protocols\", \"listenAddrs\","
          + " \"observedAddr\" (null if the peer did not say)}."
    })
final class P2pIdentifyCommand extends Mnode.Sub {
  @Parameters(index = "0", paramLabel = "MULTIADDR", description = "The peer: .../tcp/<port>/p2p/<peer id>.")
  String address;

  @Override
  void run(Mnode m) throws Exception {
    Multiaddr peer = P2pTool.parseDialable(address);
    IdentifyInfo info;
    try (P2pTool tool = P2pTool.start()) {
      info = tool.host().identify(peer);
    } catch (P2pException e) {
      throw P2pTool.failure(e);
    } catch (IllegalArgumentException e) {
      throw P2pTool.invalid(e);
    }
    if (m.json) {
      ObjectNode o = MemoryJson.MAPPER.createObjectNode();
      o.put("peer", info.peerId().toString());
      o.put("agentVersion", info.agentVersion());
      o.put("protocolVersion", info.protocolVersion());
      ArrayNode protocols = o.putArray("protocols");
      info.protocols().forEach(protocols::add);
      ArrayNode listen = o.putArray("listenAddrs");
      info.listenAddrs().forEach(a -> listen.add(a.toString()));
      if (info.observedAddr().isPresent()) {
        o.put("observedAddr", info.observedAddr().get().toString());
      } else {
        o.putNull("observedAddr");
      }
      m.printJson(o);
    } else {
      row(m, "peer", info.peerId().toString());
      row(m, "agent version", info.agentVersion());
      row(m, "protocol version", info.protocolVersion());
      rows(m, "protocols", info.protocols());
      rows(m, "listen addrs", info.listenAddrs().stream().map(Multiaddr::toString).toList());
      row(m, "observed addr", info.observedAddr().map(Multiaddr::toString).orElse("(not given)"));
    }
  }

  private static void row(Mnode m, String label, String value) {
    m.out.printf("%-17s %s%n", label, value);
  }

  private static void rows(Mnode m, String label, List<String> values) {
    if (values.isEmpty()) {
      row(m, label, "(none)");
    }
    for (int i = 0; i < values.size(); i++) {
      row(m, i == 0 ? label : "", values.get(i));
    }
  }
}
