package dev.mnode.node.http;

import dev.mnode.node.Home;
import dev.mnode.node.MemoryService;
import dev.mnode.node.NodeException;
import dev.mnode.node.ServerConfig;
import dev.mnode.node.access.AppRegistry;
import dev.mnode.node.access.OwnerCredential;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/** Builds the local API's pieces; the only place that constructs their implementations. */
public final class HttpModule {
  /** Requests waiting for a worker beyond which the server answers 503. */
  static final int QUEUE = 256;
  /** How long the CLI waits for a running node to answer before it ignores the run file. */
  static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);

  private HttpModule() {}

  /**
   * Starts the API for {@code service} on {@code config}'s address, with the home's owner
   * credential (made when missing) and apps. Warns through {@code warn} when the address is not
   * loopback. The caller keeps the service open while the server runs and closes it after.
   *
   * @throws NodeException if the address is taken or cannot be bound
   */
  public static ApiServer start(
      MemoryService service, Home home, ServerConfig config, Clock clock, AccessLog audit, Consumer<String> warn)
      throws NodeException {
    if (!config.loopback()) {
      warn.accept(
          "listening on " + config.bind() + ", which is not a loopback address: other machines can reach the API");
    }
    String owner = OwnerCredential.ensure(home.dir());
    Metrics metrics = new Metrics();
    MemoryRoutes routes = new MemoryRoutes(service);
    ApiContext api =
        new ApiContext(
            new LoopbackGuard(config.literal()),
            new Authenticator(OwnerCredential.hash(owner), AppRegistry.of(home.dir())),
            new FailureThrottle(clock),
            new RateLimiter(clock, config.requestsPerMinute(), config.burst()),
            metrics,
            audit,
            routes,
            new VaultRoutes(service),
            new McpEndpoint(new McpTools(routes), version()),
            workers(),
            warn);
    try {
      return new NettyApiServer(api, config.literal(), config.port(), config.maxBodyBytes(), config.requestTimeoutSeconds());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new NodeException("interrupted while starting the API");
    } catch (Exception e) {
      // Netty rethrows the socket's own exception (a BindException when the port is taken).
      throw new NodeException("cannot listen on " + config.bind() + ":" + config.port() + ": " + e.getMessage(), e);
    }
  }

  /** As {@link #start(MemoryService, Home, ServerConfig, Clock, AccessLog, Consumer)} without an audit log. */
  public static ApiServer start(MemoryService service, Home home, ServerConfig config, Clock clock, Consumer<String> warn)
      throws NodeException {
    return start(service, home, config, clock, AccessLog.NONE, warn);
  }

  /**
   * Returns a service backed by the node that serves {@code home}, when one runs: its run file
   * names a live process whose port answers {@code /health}, and the owner's credential exists.
   * Empty otherwise (no node, or a stale run file left by one that was killed). Connects nowhere
   * when there is no run file.
   */
  public static Optional<MemoryService> connect(Home home) throws NodeException {
    Optional<String> owner = OwnerCredential.read(home.dir());
    return owner.isEmpty() ? Optional.empty() : connect(home, owner.get());
  }

  /**
   * As {@link #connect(Home)}, presenting {@code token} (an app's), so that the node applies that
   * app's scope and records its name in the audit log.
   */
  public static Optional<MemoryService> connect(Home home, String token) throws NodeException {
    Optional<RunFile.Info> info = RunFile.read(home);
    if (info.isEmpty()) {
      return Optional.empty();
    }
    String host = info.get().address().contains(":") ? "[" + info.get().address() + "]" : info.get().address();
    URI base = URI.create("http://" + host + ":" + info.get().port());
    HttpClient http =
        HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(PROBE_TIMEOUT).build();
    try {
      HttpResponse<Void> r =
          http.send(
              HttpRequest.newBuilder(base.resolve("/health")).timeout(PROBE_TIMEOUT).build(),
              HttpResponse.BodyHandlers.discarding());
      if (r.statusCode() != 200) {
        return Optional.empty();
      }
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new NodeException("interrupted while looking for a running node");
    }
    return Optional.of(new HttpMemoryService(http, base, token));
  }

  /** The version Maven wrote into the jar, or "dev". */
  static String version() {
    String v = HttpModule.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }

  private static ThreadPoolExecutor workers() {
    int n = Math.max(2, Runtime.getRuntime().availableProcessors());
    AtomicInteger count = new AtomicInteger();
    return new ThreadPoolExecutor(
        n, n, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(QUEUE),
        r -> {
          Thread t = new Thread(r, "mnode-api-" + count.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
  }
}
