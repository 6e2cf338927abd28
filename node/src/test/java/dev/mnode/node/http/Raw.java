package dev.mnode.node.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A plain HTTP/1.1 client on a real socket, so tests can send exactly the bytes they mean
 * (wrong Host, encoded paths, oversized lines) and read exactly what the server answered.
 */
final class Raw {
  /** Plain Jackson, independent of the code under test. */
  static final ObjectMapper JSON = new ObjectMapper();
  /** Guards a test against a server that never answers; not a timing assertion. */
  static final int READ_TIMEOUT_MS = 30_000;

  private Raw() {}

  /** One answer: status, headers (lowercase names) and body. */
  record Response(int status, Map<String, String> headers, String body) {
    JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new AssertionError("not JSON: " + body, e);
      }
    }

    String errorCode() {
      return json().path("error").path("code").asText();
    }

    @Override
    public String toString() {
      return status + " " + headers + "\n" + body;
    }
  }

  /** Sends {@code request} as it is and reads the answer until the server closes. */
  static Response exchange(int port, byte[] request) throws IOException {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
      s.setSoTimeout(READ_TIMEOUT_MS);
      OutputStream out = s.getOutputStream();
      out.write(request);
      out.flush();
      return read(s.getInputStream());
    }
  }

  /** A request with {@code Connection: close}, the loopback Host, and {@code token} when given. */
  static Response call(int port, String method, String path, String token, String contentType, String body)
      throws IOException {
    StringBuilder b = new StringBuilder();
    b.append(method).append(' ').append(path).append(" HTTP/1.1\r\n");
    b.append("Host: 127.0.0.1:").append(port).append("\r\n");
    if (token != null) {
      b.append("Authorization: Bearer ").append(token).append("\r\n");
    }
    byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
    if (body != null) {
      b.append("Content-Type: ").append(contentType).append("\r\n");
      b.append("Content-Length: ").append(bytes.length).append("\r\n");
    }
    b.append("Connection: close\r\n\r\n");
    ByteArrayOutputStream req = new ByteArrayOutputStream();
    req.writeBytes(b.toString().getBytes(StandardCharsets.ISO_8859_1));
    req.writeBytes(bytes);
    return exchange(port, req.toByteArray());
  }

  static Response call(int port, String method, String path, String token, String jsonBody) throws IOException {
    return call(port, method, path, token, "application/json", jsonBody);
  }

  static Response get(int port, String path, String token) throws IOException {
    return call(port, "GET", path, token, null, null);
  }

  /** Reads one response: status line, headers, and a body of Content-Length bytes (or to EOF). */
  static Response read(InputStream in) throws IOException {
    String status = line(in);
    if (status == null) {
      throw new IOException("connection closed without an answer");
    }
    Map<String, String> headers = new LinkedHashMap<>();
    for (String h; (h = line(in)) != null && !h.isEmpty(); ) {
      int c = h.indexOf(':');
      headers.put(h.substring(0, c).strip().toLowerCase(Locale.ROOT), h.substring(c + 1).strip());
    }
    byte[] body;
    if (headers.containsKey("content-length")) {
      body = in.readNBytes(Integer.parseInt(headers.get("content-length")));
    } else {
      body = in.readAllBytes();
    }
    return new Response(Integer.parseInt(status.split(" ")[1]), headers, new String(body, StandardCharsets.UTF_8));
  }

  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    int c;
    while ((c = in.read()) != -1) {
      if (c == '\n') {
        String s = b.toString(StandardCharsets.ISO_8859_1);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
      }
      b.write(c);
    }
    return b.size() == 0 ? null : b.toString(StandardCharsets.ISO_8859_1);
  }
}
