package dev.mnode.node.http;

import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The path and query of a request, checked before anything routes on them. The API's paths never
 * need escapes, so a path is refused (400 {@code bad_path}) when it holds anything but letters,
 * digits and {@code - . _ ~}, between single slashes: no percent-escapes (so no encoded slash,
 * dot or NUL), no backslash, no empty, {@code .} or {@code ..} segment. The query is decoded as
 * UTF-8; a malformed escape is refused. Immutable.
 */
record RequestTarget(List<String> segments, Map<String, List<String>> query) {
  /** Longest request line the decoder accepts; longer is 414. */
  static final int MAX_LINE = 8_192;

  static RequestTarget parse(String uri) throws ApiError {
    int q = uri.indexOf('?');
    String path = q < 0 ? uri : uri.substring(0, q);
    if (!path.startsWith("/") || path.length() > 512) {
      throw ApiError.badRequest("bad_path", "the path must be an absolute path of at most 512 characters");
    }
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '-' || c == '.' || c == '_' || c == '~' || c == '/';
      if (!ok) {
        throw ApiError.badRequest("bad_path", "the path may hold only letters, digits, '-', '.', '_', '~' and '/'");
      }
    }
    List<String> segments = path.equals("/") ? List.of() : Arrays.asList(path.substring(1).split("/", -1));
    for (String s : segments) {
      if (s.isEmpty() || s.equals(".") || s.equals("..")) {
        throw ApiError.badRequest("bad_path", "the path has an empty, '.' or '..' segment");
      }
    }
    Map<String, List<String>> query;
    try {
      query = q < 0 ? Map.of() : new QueryStringDecoder(uri, StandardCharsets.UTF_8).parameters();
    } catch (IllegalArgumentException e) {
      throw ApiError.badRequest("bad_query", "the query string is malformed: " + e.getMessage());
    }
    return new RequestTarget(List.copyOf(segments), Map.copyOf(query));
  }
}
