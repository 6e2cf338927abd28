package dev.mnode.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The "server" and "audit" sections of config.json: defaults, values, and clear refusals. */
class ServerConfigTest {
  @TempDir Path home;

  private ServerConfig load(String json) throws Exception {
    Files.writeString(home.resolve("config.json"), json);
    return ServerConfig.of(new Home(home));
  }

  @Test
  void noFile_orNoSection_meansTheDefaults_onLoopback() throws Exception {
    assertEquals(ServerConfig.DEFAULTS, ServerConfig.of(new Home(home)));
    assertEquals(ServerConfig.DEFAULTS, load("{\"embedding\": {\"provider\": \"onnx\"}}"));
    assertEquals("127.0.0.1", ServerConfig.DEFAULTS.bind());
    assertEquals(7377, ServerConfig.DEFAULTS.port());
    assertTrue(ServerConfig.DEFAULTS.loopback());
  }

  @Test
  void everySetting_isRead() throws Exception {
    ServerConfig c =
        load("{\"server\": {\"bind\": \"::1\", \"port\": 8080, \"max_body_bytes\": 2048, \"request_timeout_seconds\": 3,"
            + " \"requests_per_minute\": 10, \"burst\": 5}, \"audit\": {\"retention_days\": 7, \"max_entries\": 500}}");
    assertEquals(new ServerConfig("::1", 8080, 2048, 3, 10, 5, 7, 500), c);
    assertTrue(c.loopback());
    assertEquals(9000, c.withPort(9000).port());
  }

  @Test
  void anAddressThatIsNotLoopback_isAcceptedOnlyAsWritten_andSaysSo() throws Exception {
    ServerConfig c = load("{\"server\": {\"bind\": \"0.0.0.0\"}}");
    assertEquals("0.0.0.0", c.bind());
    assertFalse(c.loopback());
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "{\"server\": {\"prot\": 1}}", "{\"audit\": {\"days\": 1}}", "{\"server\": {\"bind\": \"example.com\"}}",
      "{\"server\": {\"bind\": 1}}", "{\"server\": {\"port\": 70000}}", "{\"server\": {\"port\": \"80\"}}",
      "{\"server\": {\"max_body_bytes\": 10}}", "{\"server\": {\"burst\": 0}}", "{\"audit\": {\"retention_days\": 0}}",
      "{\"server\": []}", "{\"servers\": {}}"})
  void badSettings_areRefused_namingTheSetting(String json) {
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> load(json));
    assertTrue(e.getMessage().contains("config.json: "), e.getMessage());
  }
}
