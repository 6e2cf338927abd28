package dev.mnode.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A closed-loop load generator: {@code clients} threads, each sending {@code POST /v1/recall} and
 * waiting for the answer before the next, first for a warm-up that is not measured, then for the
 * measured time. Bounded in time (each phase, each request) and in count (per client).
 *
 * <p>Each {@link #run} is confined to its caller; its client threads share only thread-safe state.
 */
final class ApiLoad {
  /** Latencies kept per client; a client that fills them stops early (a warning says so). */
  static final int MAX_PER_CLIENT = 200_000;
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * What the measured phase gave.
   *
   * @param clients concurrent clients
   * @param seconds measured wall time
   * @param ok answers with status 200
   * @param failed other answers or failed requests, by status ({@code -1}: no answer)
   * @param latency of the 200 answers
   * @param stoppedByCount whether a client filled its latency array before the time was up
   */
  record Result(int clients, double seconds, long ok, Map<Integer, Integer> failed, LatencyStats latency, boolean stoppedByCount) {
    Result {
      failed = Map.copyOf(failed);
    }

    double requestsPerSecond() {
      return ok / seconds;
    }
  }

  private final HttpClient http;
  private final URI recall;
  private final String token;
  private final List<String> bodies;

  /**
   * A generator against the node at {@code base}, presenting {@code token}, cycling through {@code
   * queries} (each client from its own offset), asking for 10 results each.
   */
  ApiLoad(URI base, String token, List<String> queries) throws IOException {
    if (queries.isEmpty()) {
      throw new IllegalArgumentException("no queries");
    }
    this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
    this.recall = base.resolve("/v1/recall");
    this.token = token;
    List<String> b = new ArrayList<>(queries.size());
    for (String q : queries) {
      b.add(JSON.writeValueAsString(Map.of("query", q, "k", 10)));
    }
    this.bodies = List.copyOf(b);
  }

  /** Sends one recall and returns its status and latency in nanoseconds ({@code -1}: no answer). */
  long[] once(int query) {
    HttpRequest req =
        HttpRequest.newBuilder(recall)
            .timeout(REQUEST_TIMEOUT)
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(bodies.get(Math.floorMod(query, bodies.size()))))
            .build();
    long t0 = System.nanoTime();
    int status;
    try {
      status = http.send(req, HttpResponse.BodyHandlers.ofByteArray()).statusCode();
    } catch (IOException e) {
      status = -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      status = -1;
    }
    return new long[] {status, System.nanoTime() - t0};
  }

  /** Runs {@code clients} clients for {@code warmup}, then measures them for {@code measured}. */
  Result run(int clients, Duration warmup, Duration measured) throws InterruptedException {
    phase(clients, warmup, null);
    long[][] nanos = new long[clients][MAX_PER_CLIENT];
    int[] counts = new int[clients];
    Map<Integer, AtomicInteger> failed = new ConcurrentHashMap<>();
    long t0 = System.nanoTime();
    boolean full = phase(clients, measured, new Sink(nanos, counts, failed));
    double seconds = (System.nanoTime() - t0) / 1e9;
    long ok = 0;
    for (int c : counts) {
      ok += c;
    }
    long[] all = new long[(int) ok];
    int at = 0;
    for (int c = 0; c < clients; c++) {
      System.arraycopy(nanos[c], 0, all, at, counts[c]);
      at += counts[c];
    }
    Map<Integer, Integer> failures = new TreeMap<>();
    failed.forEach((k, v) -> failures.put(k, v.get()));
    return new Result(clients, seconds, ok, failures, LatencyStats.of(all, all.length), full);
  }

  /** Where a measured phase puts what it saw; each client writes only its own row. */
  private record Sink(long[][] nanos, int[] counts, Map<Integer, AtomicInteger> failed) {}

  /** Runs the clients until {@code length} is over; returns whether one stopped by count. */
  private boolean phase(int clients, Duration length, Sink sink) throws InterruptedException {
    long end = System.nanoTime() + length.toNanos();
    List<Thread> threads = new ArrayList<>();
    boolean[] full = new boolean[clients];
    for (int c = 0; c < clients; c++) {
      int client = c;
      Thread t = new Thread(() -> {
        int query = client * 997;
        while (System.nanoTime() < end) {
          long[] r = once(query++);
          if (sink == null) {
            continue;
          }
          if (r[0] == 200) {
            sink.nanos()[client][sink.counts()[client]++] = r[1];
            if (sink.counts()[client] == MAX_PER_CLIENT) {
              full[client] = true;
              return;
            }
          } else {
            sink.failed().computeIfAbsent((int) r[0], k -> new AtomicInteger()).incrementAndGet();
          }
        }
      }, "api-client-" + c);
      threads.add(t);
      t.start();
    }
    for (Thread t : threads) {
      t.join(); // each ends within the phase plus one request timeout
    }
    for (boolean f : full) {
      if (f) {
        return true;
      }
    }
    return false;
  }
}
