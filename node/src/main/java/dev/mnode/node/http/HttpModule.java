package dev.mnode.node.http;

import dev.mnode.node.Home;
import dev.mnode.node.MemoryService;
import dev.mnode.node.NodeException;
import dev.mnode.node.ServerConfig;
import dev.mnode.node.access.AppRegistry;
import dev.mnode.node.access.OwnerCredential;
import java.time.Clock;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/** Builds the local API's pieces; the only place that constructs their implementations. */
public final class HttpModule {
  /** Requests waiting for a worker beyond which the server answers 503. */
  static final int QUEUE = 256;

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
    ApiContext api =
        new ApiContext(
            new LoopbackGuard(config.literal()),
            new Authenticator(OwnerCredential.hash(owner), AppRegistry.of(home.dir())),
            new FailureThrottle(clock),
            new RateLimiter(clock, config.requestsPerMinute(), config.burst()),
            metrics,
            audit,
            new MemoryRoutes(service),
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
