package dev.mnode.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mnode.node.MemoryJson;
import dev.mnode.p2p.Connection;
import dev.mnode.p2p.Echo;
import dev.mnode.p2p.Multiaddr;
import dev.mnode.p2p.P2pException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "echo",
    description = {
      "Dial a libp2p peer and run " + Echo.PROTOCOL + " on K streams at once over one connection,"
          + " each sending N random bytes and checking that exactly the same bytes come back.",
      "Exits 0 only when every stream matched.",
      "JSON: {\"peer\", \"streams\", \"bytes\", \"matched\", \"seconds\", \"mibPerSecond\"}."
    })
final class P2pEchoCommand extends Mnode.Sub {
  /** The most bytes held in memory for one run: sent and received, over all streams. */
  static final long MAX_TOTAL_BYTES = 256L << 20;

  @Parameters(index = "0", paramLabel = "MULTIADDR", description = "The peer: .../tcp/<port>/p2p/<peer id>.")
  String address;

  @Option(
      names = "--bytes",
      paramLabel = "N",
      defaultValue = "1024",
      description = "Random bytes per stream (0 to " + Echo.MAX_BYTES + "; default: ${DEFAULT-VALUE}).")
  int bytes;

  @Option(
      names = "--streams",
      paramLabel = "K",
      defaultValue = "1",
      description = "Streams at once (1 to " + P2pTool.MAX_STREAMS + "; default: ${DEFAULT-VALUE}).")
  int streams;

  @Override
  void run(Mnode m) throws Exception {
    checkBounds();
    Multiaddr peer = P2pTool.parseDialable(address);
    List<byte[]> payloads = new ArrayList<>();
    for (int i = 0; i < streams; i++) {
      byte[] b = new byte[bytes];
      ThreadLocalRandom.current().nextBytes(b);
      payloads.add(b);
    }
    List<byte[]> echoed;
    long nanos;
    String remote;
    try (P2pTool tool = P2pTool.start()) {
      Connection c; // every stream then runs on this connection
      try {
        c = tool.host().dial(peer);
      } catch (P2pException e) {
        throw P2pTool.failure(e);
      } catch (IllegalArgumentException e) {
        throw P2pTool.invalid(e);
      }
      remote = c.remotePeer().toString();
      long start = System.nanoTime();
      echoed = echoAll(tool, peer, payloads);
      nanos = System.nanoTime() - start;
    }
    checkAllMatch(payloads, echoed);
    print(m, remote, nanos);
  }

  /** Fails (exit 1, {@code echo_mismatch}) unless every stream brought back exactly its bytes. */
  private void checkAllMatch(List<byte[]> payloads, List<byte[]> echoed) throws CliException {
    int mismatched = 0;
    String first = "";
    for (int i = 0; i < streams; i++) {
      if (!Arrays.equals(payloads.get(i), echoed.get(i))) {
        if (mismatched++ == 0) {
          first = describeMismatch(i, payloads.get(i), echoed.get(i));
        }
      }
    }
    if (mismatched > 0) {
      throw new CliException(
          Mnode.EXIT_FAILURE, "echo_mismatch",
          mismatched + " of " + streams + " echo streams came back different; " + first);
    }
  }

  private void print(Mnode m, String remote, long nanos) {
    double seconds = nanos / 1e9;
    double mibPerSecond = seconds == 0 ? 0 : 2.0 * bytes * streams / (1 << 20) / seconds;
    if (m.json) {
      ObjectNode o = MemoryJson.MAPPER.createObjectNode();
      o.put("peer", remote);
      o.put("streams", streams);
      o.put("bytes", bytes);
      o.put("matched", streams);
      o.put("seconds", Math.round(seconds * 1e6) / 1e6);
      o.put("mibPerSecond", Math.round(mibPerSecond * 100) / 100.0);
      m.printJson(o);
    } else {
      m.out.printf(
          Locale.ROOT,
          "echoed %d stream%s of %d bytes with %s: all byte-exact, %.3f s, %.2f MiB/s both ways%n",
          streams, streams == 1 ? "" : "s", bytes, remote, seconds, mibPerSecond);
    }
  }

  private void checkBounds() throws CliException {
    if (bytes < 0 || bytes > Echo.MAX_BYTES) {
      throw new CliException(
          Mnode.EXIT_INVALID, "invalid_input", "--bytes must be 0 to " + Echo.MAX_BYTES + ", got " + bytes);
    }
    if (streams < 1 || streams > P2pTool.MAX_STREAMS) {
      throw new CliException(
          Mnode.EXIT_INVALID, "invalid_input",
          "--streams must be 1 to " + P2pTool.MAX_STREAMS + ", got " + streams);
    }
    if (2L * bytes * streams > MAX_TOTAL_BYTES) {
      throw new CliException(
          Mnode.EXIT_INVALID, "invalid_input",
          "--bytes times --streams must be at most " + MAX_TOTAL_BYTES / 2 + ", got "
              + (long) bytes * streams);
    }
  }

  /** Runs one echo per payload, all at once; the first network failure fails the run. */
  private static List<byte[]> echoAll(P2pTool tool, Multiaddr peer, List<byte[]> payloads)
      throws CliException, InterruptedException {
    ExecutorService pool = Executors.newFixedThreadPool(payloads.size());
    try {
      List<Future<byte[]>> futures = new ArrayList<>();
      for (byte[] p : payloads) {
        futures.add(pool.submit(() -> Echo.echo(tool.host(), peer, p)));
      }
      List<byte[]> out = new ArrayList<>();
      for (Future<byte[]> f : futures) {
        try {
          out.add(f.get()); // each read and write inside is bounded by the stream timeout
        } catch (ExecutionException e) {
          if (e.getCause() instanceof P2pException p) {
            throw P2pTool.failure(p);
          }
          throw new IllegalStateException("echo stream failed", e.getCause());
        }
      }
      return out;
    } finally {
      pool.shutdownNow();
    }
  }

  private static String describeMismatch(int stream, byte[] sent, byte[] back) {
    int at = Arrays.mismatch(sent, back);
    return "stream " + stream + ": " + sent.length + " bytes sent, " + back.length
        + " came back, first difference at byte " + at;
  }
}
