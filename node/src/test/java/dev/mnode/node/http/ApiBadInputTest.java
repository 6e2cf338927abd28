package dev.mnode.node.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Bad input, one case per test, sent as raw bytes to a real node on a real loopback socket: each is
 * refused with its status and a JSON error, and none changes the store.
 */
class ApiBadInputTest {
  static final int MAX_BODY = 4_096;
  @TempDir static Path tmp;
  static LiveNode node;

  @BeforeAll
  static void start() throws Exception {
    node = new LiveNode(tmp, "{\"server\": {\"max_body_bytes\": " + MAX_BODY + ", \"request_timeout_seconds\": 2}}", AccessLog.NONE);
  }

  @AfterAll
  static void stop() throws Exception {
    assertEquals(0, node.get("/v1/status").json().path("count").asLong(), "no bad request stored anything");
    node.close();
  }

  @ParameterizedTest
  @ValueSource(strings = {"{\"text\": ", "{text: 1}", "[1,", "{\"text\":\"a\"} trailing", "{\"text\":\"a\",\"text\":\"b\"}", "", "null"})
  void malformedJson_is400(String body) throws Exception {
    Raw.Response r = node.post("/v1/memories", body);
    assertEquals(400, r.status(), r::toString);
    assertTrue(r.errorCode().equals("malformed_json") || r.errorCode().equals("invalid_input"), r::toString);
  }

  @Test
  void bodyThatIsNotUtf8_is400() throws Exception {
    byte[] body = {'{', '"', 't', 'e', 'x', 't', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};
    Raw.Response r = Raw.exchange(node.port, request("POST", "/v1/memories", "Content-Type: application/json\r\n", body));
    assertEquals(400, r.status(), r::toString);
    assertEquals("malformed_json", r.errorCode());
  }

  @ParameterizedTest
  @ValueSource(strings = {"text/plain", "application/x-www-form-urlencoded", "application/json; charset=latin-1", "multipart/form-data"})
  void wrongContentType_is415(String type) throws Exception {
    Raw.Response r = Raw.call(node.port, "POST", "/v1/memories", node.owner, type, "{\"text\":\"x\"}");
    assertEquals(415, r.status(), r::toString);
    assertEquals("unsupported_media_type", r.errorCode());
  }

  @Test
  void missingContentType_is415() throws Exception {
    Raw.Response r = Raw.exchange(node.port, request("POST", "/v1/memories", "", "{\"text\":\"x\"}".getBytes(StandardCharsets.UTF_8)));
    assertEquals(415, r.status(), r::toString);
  }

  @Test
  void bodyOverTheLimit_announced_is413_beforeItIsSent() throws Exception {
    String head = "POST /v1/memories HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + node.owner
        + "\r\nContent-Type: application/json\r\nContent-Length: 10000000\r\n\r\n";
    Raw.Response r = Raw.exchange(node.port, head.getBytes(StandardCharsets.US_ASCII));
    assertEquals(413, r.status(), r::toString);
    assertEquals("too_large", r.errorCode());
  }

  @Test
  void bodyOverTheLimit_sent_is413() throws Exception {
    String text = "x".repeat(MAX_BODY);
    Raw.Response r = node.post("/v1/memories", "{\"text\":\"" + text + "\"}");
    assertEquals(413, r.status(), r::toString);
  }

  @Test
  void bodyOverTheLimit_inChunks_is413() throws Exception {
    String head = "POST /v1/memories HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + node.owner
        + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n";
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.writeBytes(head.getBytes(StandardCharsets.US_ASCII));
    for (int i = 0; i < 3; i++) {
      b.writeBytes(("800\r\n" + "y".repeat(0x800) + "\r\n").getBytes(StandardCharsets.US_ASCII));
    }
    Raw.Response r = Raw.exchange(node.port, b.toByteArray());
    assertEquals(413, r.status(), r::toString);
  }

  @Test
  void unknownFields_andParameters_are400_notIgnored() throws Exception {
    Raw.Response field = node.post("/v1/memories", "{\"text\":\"x\",\"clas\":\"work\"}");
    assertEquals(400, field.status(), field::toString);
    assertEquals("unknown_field", field.errorCode());
    assertTrue(field.json().path("error").path("message").asText().contains("clas"));
    Raw.Response recall = node.post("/v1/recall", "{\"query\":\"x\",\"clases\":[\"work\"]}");
    assertEquals("unknown_field", recall.errorCode());
    Raw.Response param = node.get("/v1/memories?clas=work");
    assertEquals(400, param.status(), param::toString);
    assertEquals("unknown_parameter", param.errorCode());
  }

  @Test
  void invalidValues_are400_withTheFieldNamed() throws Exception {
    assertEquals("invalid_input", node.post("/v1/memories", "{\"text\":\"x\",\"importance\":2}").errorCode());
    assertEquals("invalid_input", node.post("/v1/memories", "{\"text\":42}").errorCode());
    assertEquals("invalid_input", node.post("/v1/memories", "{\"text\":\"x\",\"class\":\"nope\"}").errorCode());
    assertEquals("invalid_input", node.post("/v1/recall", "{\"query\":\"x\",\"k\":0}").errorCode());
    assertEquals("invalid_input", node.post("/v1/recall", "{\"query\":\"x\",\"since\":\"yesterday\"}").errorCode());
    assertEquals("invalid_input", node.get("/v1/memories?limit=0").errorCode());
    assertEquals("invalid_input", node.get("/v1/memories/not-an-id").errorCode());
    assertEquals("invalid_input", node.call("PATCH", "/v1/memories/01937a2b-1c3d-7e4f-8a5b-6c7d8e9f0a1b", "{}").errorCode());
  }

  @Test
  void bodyOnAGet_is400() throws Exception {
    Raw.Response r = Raw.call(node.port, "GET", "/v1/status", node.owner, "application/json", "{}");
    assertEquals(400, r.status(), r::toString);
    assertEquals("unexpected_body", r.errorCode());
  }

  @ParameterizedTest
  @ValueSource(strings = {"evil.example", "evil.example:7377", "127.0.0.1.evil.example", "localhost.evil.example", "10.0.0.1", "[::2]", ""})
  void hostThatIsNotLoopback_isRefused(String host) throws Exception {
    String req = "GET /v1/status HTTP/1.1\r\nHost: " + host + "\r\nAuthorization: Bearer " + node.owner + "\r\nConnection: close\r\n\r\n";
    Raw.Response r = Raw.exchange(node.port, req.getBytes(StandardCharsets.US_ASCII));
    assertEquals(403, r.status(), host + ": " + r);
    assertEquals("forbidden", r.errorCode());
  }

  @Test
  void missingHost_isRefused() throws Exception {
    Raw.Response r = Raw.exchange(node.port, "GET /health HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    assertEquals(403, r.status(), r::toString);
  }

  @ParameterizedTest
  @ValueSource(strings = {"localhost", "localhost:7377", "127.0.0.1", "[::1]:80", "LOCALHOST"})
  void loopbackHosts_areAccepted(String host) throws Exception {
    String req = "GET /health HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n";
    assertEquals(200, Raw.exchange(node.port, req.getBytes(StandardCharsets.US_ASCII)).status());
  }

  @ParameterizedTest
  @ValueSource(strings = {"http://evil.example", "https://127.0.0.1.evil.example", "null", "file://", "http://evil.example:7377"})
  void originOfAnotherSite_isRefused(String origin) throws Exception {
    String req = "GET /v1/status HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: " + origin + "\r\nAuthorization: Bearer " + node.owner
        + "\r\nConnection: close\r\n\r\n";
    Raw.Response r = Raw.exchange(node.port, req.getBytes(StandardCharsets.US_ASCII));
    assertEquals(403, r.status(), origin + ": " + r);
  }

  @Test
  void loopbackOrigin_isAccepted() throws Exception {
    String req = "GET /v1/status HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: http://localhost:3000\r\nAuthorization: Bearer " + node.owner
        + "\r\nConnection: close\r\n\r\n";
    assertEquals(200, Raw.exchange(node.port, req.getBytes(StandardCharsets.US_ASCII)).status());
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "/v1/../v1/status", "/v1/./status", "/v1//status", "/v1/status/", "/v1/%73tatus", "/v1/memories/..%2f..%2fstatus",
      "/v1/memories/%2e%2e", "/v1/memories/a%00b", "/v1\\status", "/v1/memories/%252e%252e", "/%2e%2e/%2e%2e/etc/passwd",
      "/v1/st%C3%A4tus", "//v1/status", "/v1/status;x=1"})
  void pathTraversalAndEncodedTricks_are400(String path) throws Exception {
    Raw.Response r = node.get(path);
    assertEquals(400, r.status(), path + ": " + r);
    assertEquals("bad_path", r.errorCode());
  }

  @Test
  void pathWithoutTheLeadingSlash_isRefused() throws Exception {
    String req = "GET http://evil.example/v1/status HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
    assertEquals(400, Raw.exchange(node.port, req.getBytes(StandardCharsets.US_ASCII)).status());
  }

  @Test
  void malformedQueryEscape_is400() throws Exception {
    Raw.Response r = node.get("/v1/memories?tag=%zz");
    assertEquals(400, r.status(), r::toString);
  }

  @Test
  void veryLongUrl_is414() throws Exception {
    Raw.Response r = node.get("/v1/memories?tag=" + "a".repeat(20_000));
    assertEquals(414, r.status(), r::toString);
    assertEquals("uri_too_long", r.errorCode());
  }

  @Test
  void veryLongHeaders_are431() throws Exception {
    String req = "GET /v1/status HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Junk: " + "j".repeat(40_000) + "\r\nConnection: close\r\n\r\n";
    Raw.Response r = Raw.exchange(node.port, req.getBytes(StandardCharsets.US_ASCII));
    assertEquals(431, r.status(), r::toString);
  }

  @Test
  void manyHeaders_are431() throws Exception {
    StringBuilder b = new StringBuilder("GET /v1/status HTTP/1.1\r\nHost: 127.0.0.1\r\n");
    for (int i = 0; i < 2_000; i++) {
      b.append("X-H").append(i).append(": v\r\n");
    }
    Raw.Response r = Raw.exchange(node.port, b.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
    assertEquals(431, r.status(), r::toString);
  }

  @Test
  void garbageInsteadOfHttp_is400() throws Exception {
    Raw.Response r = Raw.exchange(node.port, "\u0001\u0002 hello\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
    assertTrue(r.status() == 400 || r.status() == 414, r::toString);
  }

  @Test
  void slowClient_thatSendsHalfARequest_gets408_andIsDisconnected() throws Exception {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", node.port));
      s.setSoTimeout(Raw.READ_TIMEOUT_MS);
      s.getOutputStream().write("GET /v1/status HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII));
      s.getOutputStream().flush();
      Raw.Response r = Raw.read(s.getInputStream());
      assertEquals(408, r.status(), r::toString);
      assertEquals("timeout", r.errorCode());
      assertEquals(-1, s.getInputStream().read(), "then the connection closes");
    }
  }

  @Test
  void idleConnection_isClosed() throws Exception {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", node.port));
      s.setSoTimeout(Raw.READ_TIMEOUT_MS);
      assertEquals(-1, s.getInputStream().read());
    }
  }

  private static byte[] request(String method, String path, String extraHeaders, byte[] body) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.writeBytes((method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + node.owner + "\r\n" + extraHeaders
        + "Content-Length: " + body.length + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    b.writeBytes(body);
    return b.toByteArray();
  }
}
