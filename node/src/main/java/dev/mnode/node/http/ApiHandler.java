package dev.mnode.node.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mnode.node.InvalidInputException;
import dev.mnode.node.MemoryJson;
import dev.mnode.node.NodeException;
import dev.mnode.node.NotFoundException;
import dev.mnode.node.access.Scope;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Answers one whole request at a time per connection. On the event loop it does only cheap checks
 * (decoder errors, Host and Origin, path shape, route and method, content type); authentication,
 * rate limiting, JSON parsing and the route itself run on the API's worker threads, and the answer
 * is written back from there. Reading from the connection pauses until the answer is out, so
 * pipelined requests are answered in order. One instance per connection.
 */
final class ApiHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
  private final ApiContext api;

  ApiHandler(ApiContext api) {
    this.api = api;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
    if (Linger.closing(ctx.channel())) {
      return; // pipelined behind an answer that ended the connection
    }
    long start = System.nanoTime();
    ctx.channel().config().setAutoRead(false);
    deadline(ctx).requestReceived();
    if (req.decoderResult().isFailure()) {
      Throwable cause = req.decoderResult().cause();
      ApiError e =
          cause instanceof TooLongHttpLineException
              ? new ApiError(414, "uri_too_long", "the request line is longer than " + RequestTarget.MAX_LINE + " bytes")
              : cause instanceof TooLongHttpHeaderException || cause instanceof TooLongFrameException
                  ? new ApiError(431, "headers_too_large", "the request headers are too large")
                  : ApiError.badRequest("bad_request", "malformed HTTP request");
      refuse(ctx, e, "malformed");
      return;
    }
    if (!api.guard().hostAllowed(req.headers().get(HttpHeaderNames.HOST))) {
      refuse(ctx, ApiError.forbidden("the Host header must name a loopback address such as 127.0.0.1"), "bad_host");
      return;
    }
    if (!api.guard().originAllowed(req.headers().get(HttpHeaderNames.ORIGIN))) {
      refuse(ctx, ApiError.forbidden("requests from web pages of other sites are refused"), "bad_origin");
      return;
    }
    boolean keepAlive = HttpUtil.isKeepAlive(req);
    RequestTarget target;
    Route route;
    try {
      target = RequestTarget.parse(req.uri());
      route = route(req.method().name(), target.segments());
    } catch (ApiError e) {
      api.metrics().refused(e.code());
      respond(ctx, Reply.error(e), keepAlive);
      return;
    }
    Map<String, String> params = route.match(target.segments()).orElseThrow();
    byte[] body = new byte[req.content().readableBytes()];
    req.content().readBytes(body);
    String contentType = req.headers().get(HttpHeaderNames.CONTENT_TYPE);
    String authorization = req.headers().get(HttpHeaderNames.AUTHORIZATION, "");
    String client = client(ctx.channel().remoteAddress());
    try {
      api.workers().execute(() -> answer(ctx, route, params, target, contentType, body, authorization, client, keepAlive, start));
    } catch (RejectedExecutionException e) {
      respond(ctx, Reply.error(new ApiError(503, "busy", "the node is busy; try again")), false);
    }
  }

  /** Runs on a worker: authenticate, limit, parse, route, record. */
  private void answer(
      ChannelHandlerContext ctx, Route route, Map<String, String> params, RequestTarget target,
      @Nullable String contentType, byte[] body, String authorization, String client, boolean keepAlive, long start) {
    Reply reply;
    String app = "-";
    try {
      if (!route.authenticated()) {
        reply = api.unauthenticated(route);
      } else {
        Optional<Scope> scope = api.authenticator().authenticate(authorization);
        if (scope.isEmpty()) {
          // A wrong token may be a guess: slow its sender down. No token at all guesses nothing.
          Duration delay = authorization.isBlank() ? Duration.ZERO : api.throttle().failed(client);
          Reply r = Reply.error(new ApiError(401, "unauthorized", "a valid token is required: Authorization: Bearer TOKEN"));
          api.audit().record("-", route.name(), java.util.Set.of(), 0, 401);
          api.metrics().request(route.name(), 401, System.nanoTime() - start);
          ctx.executor().schedule(() -> respond(ctx, r, keepAlive, "WWW-Authenticate", "Bearer"), delay.toMillis(), TimeUnit.MILLISECONDS);
          return;
        }
        app = scope.get().app();
        OptionalLong wait = api.limiter().take(app);
        if (wait.isPresent()) {
          api.metrics().request(route.name(), 429, System.nanoTime() - start);
          api.audit().record(app, route.name(), java.util.Set.of(), 0, 429);
          Reply r = Reply.error(new ApiError(429, "rate_limited", "too many requests; retry after " + wait.getAsLong() + " s"));
          ctx.executor().execute(() -> respond(ctx, r, keepAlive, "Retry-After", Long.toString(wait.getAsLong())));
          return;
        }
        reply = api.authenticated(route, scope.get(), params, target.query(), json(route, contentType, body));
      }
    } catch (ApiError e) {
      reply = Reply.error(e);
    } catch (NotFoundException e) {
      reply = Reply.error(ApiError.notFound(e.getMessage()));
    } catch (InvalidInputException e) {
      reply = Reply.error(ApiError.badRequest("invalid_input", e.getMessage()));
    } catch (NodeException e) {
      reply = Reply.error(new ApiError(500, "error", e.getMessage()));
    } catch (RuntimeException e) {
      api.warn().accept("internal error on " + route.name() + ": " + e);
      reply = Reply.error(new ApiError(500, "internal", "internal error"));
    }
    if (route.authenticated()) {
      api.audit().record(
          app, reply.operation().isEmpty() ? route.name() : reply.operation(), reply.classes(), reply.count(), reply.outcome());
    }
    api.metrics().request(route.name(), reply.status(), System.nanoTime() - start);
    Reply r = reply;
    ctx.executor().execute(() -> respond(ctx, r, keepAlive));
  }

  /** The JSON body of a POST or PATCH: {@code application/json}, UTF-8, well formed. */
  private static @Nullable JsonNode json(Route route, @Nullable String contentType, byte[] body) throws ApiError {
    boolean takesBody = route.method().equals("POST") || route.method().equals("PATCH");
    if (!takesBody) {
      if (body.length > 0) {
        throw ApiError.badRequest("unexpected_body", route.method() + " " + route.template() + " takes no body");
      }
      return null;
    }
    if (contentType == null || !isJson(contentType)) {
      throw new ApiError(415, "unsupported_media_type", "the body must be application/json");
    }
    try {
      String text =
          StandardCharsets.UTF_8.newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(body))
              .toString();
      JsonNode node = MemoryJson.MAPPER.readTree(text);
      if (node == null || node.isMissingNode()) {
        throw ApiError.badRequest("malformed_json", "the body is empty");
      }
      return node;
    } catch (CharacterCodingException e) {
      throw ApiError.badRequest("malformed_json", "the body is not valid UTF-8");
    } catch (IOException e) {
      String m = e.getMessage() == null ? "" : e.getMessage().lines().findFirst().orElse("");
      throw ApiError.badRequest("malformed_json", "the body is not valid JSON: " + m);
    }
  }

  static boolean isJson(String contentType) {
    String[] parts = contentType.split(";");
    if (!parts[0].strip().equalsIgnoreCase("application/json")) {
      return false;
    }
    for (int i = 1; i < parts.length; i++) {
      String p = parts[i].strip().toLowerCase(java.util.Locale.ROOT);
      if (p.startsWith("charset=") && !p.equals("charset=utf-8") && !p.equals("charset=\"utf-8\"")) {
        return false;
      }
    }
    return true;
  }

  private static Route route(String method, List<String> segments) throws ApiError {
    List<Route> matching = Route.ALL.stream().filter(r -> r.match(segments).isPresent()).toList();
    if (matching.isEmpty()) {
      throw ApiError.notFound("no such route");
    }
    return matching.stream()
        .filter(r -> r.method().equals(method))
        .findFirst()
        .orElseThrow(
            () -> new ApiError(405, "method_not_allowed", "allowed: " + matching.stream().map(Route::method).collect(Collectors.joining(", "))));
  }

  private void refuse(ChannelHandlerContext ctx, ApiError e, String reason) {
    api.metrics().refused(reason);
    respond(ctx, Reply.error(e), false);
  }

  private void respond(ChannelHandlerContext ctx, Reply r, boolean keepAlive, String... headers) {
    FullHttpResponse res = Responses.of(r, keepAlive);
    for (int i = 0; i + 1 < headers.length; i += 2) {
      res.headers().set(headers[i], headers[i + 1]);
    }
    ctx.writeAndFlush(res)
        .addListener(
            (ChannelFutureListener)
                f -> {
                  if (!f.isSuccess()) {
                    f.channel().close();
                  } else if (!keepAlive) {
                    Linger.close(f.channel());
                  } else {
                    deadline(ctx).responseSent();
                    f.channel().config().setAutoRead(true);
                  }
                });
  }

  private static RequestDeadline deadline(ChannelHandlerContext ctx) {
    return ctx.pipeline().get(RequestDeadline.class);
  }

  private static String client(SocketAddress a) {
    return a instanceof InetSocketAddress i ? i.getAddress().getHostAddress() : String.valueOf(a);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ctx.close();
  }
}
