package dev.mnode.node.http;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of the API in the Prometheus text format (version 0.0.4): requests by route and status,
 * time spent per route, and refusals by reason. Holds no memory content and no app names.
 * Thread-safe.
 */
final class Metrics {
  static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final ConcurrentHashMap<String, LongAdder> requests = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, LongAdder> nanos = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, LongAdder> refused = new ConcurrentHashMap<>();

  /** Counts one answered request of {@code route} with {@code status} that took {@code elapsedNanos}. */
  void request(String route, int status, long elapsedNanos) {
    requests.computeIfAbsent(route + "\u0000" + status, k -> new LongAdder()).increment();
    nanos.computeIfAbsent(route, k -> new LongAdder()).add(elapsedNanos);
  }

  /** Counts one request refused before any route ran, by {@code reason} (bad_host, too_large...). */
  void refused(String reason) {
    refused.computeIfAbsent(reason, k -> new LongAdder()).increment();
  }

  String render() {
    StringBuilder b = new StringBuilder();
    b.append("# HELP mnode_http_requests_total Requests answered by route and status.\n");
    b.append("# TYPE mnode_http_requests_total counter\n");
    sorted(requests).forEach((k, v) -> {
      String[] p = k.split("\u0000");
      b.append("mnode_http_requests_total{route=\"").append(p[0]).append("\",status=\"").append(p[1]).append("\"} ")
          .append(v).append('\n');
    });
    b.append("# HELP mnode_http_request_seconds_total Time spent answering, by route.\n");
    b.append("# TYPE mnode_http_request_seconds_total counter\n");
    sorted(nanos).forEach((k, v) ->
        b.append("mnode_http_request_seconds_total{route=\"").append(k).append("\"} ")
            .append(String.format(Locale.ROOT, "%.6f", v / 1e9)).append('\n'));
    b.append("# HELP mnode_http_refused_total Requests refused before routing, by reason.\n");
    b.append("# TYPE mnode_http_refused_total counter\n");
    sorted(refused).forEach((k, v) ->
        b.append("mnode_http_refused_total{reason=\"").append(k).append("\"} ").append(v).append('\n'));
    return b.toString();
  }

  private static Map<String, Long> sorted(ConcurrentHashMap<String, LongAdder> m) {
    Map<String, Long> out = new TreeMap<>();
    m.forEach((k, v) -> out.put(k, v.sum()));
    return out;
  }
}
