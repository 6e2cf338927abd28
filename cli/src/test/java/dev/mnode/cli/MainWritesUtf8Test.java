package dev.mnode.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mnode} as a real process prints UTF-8 on stdout and stderr even when the locale is plain
 * C (as under cron, systemd or a bare container), so --json output keeps every character.
 */
class MainWritesUtf8Test {
  @TempDir Path tmp;

  private record Run(int exit, String out, String err) {}

  private Run mnodeInCLocale(String... args) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(Mnode.class.getName());
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    Map<String, String> env = pb.environment();
    env.keySet().removeIf(k -> k.startsWith("LC_") || k.equals("LANG") || k.endsWith("JAVA_OPTIONS")
        || k.equals("JAVA_TOOL_OPTIONS") || k.startsWith("MNODE_"));
    env.put("LANG", "C");
    env.put("LC_ALL", "C");
    pb.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
    Path out = tmp.resolve("out");
    Path err = tmp.resolve("err");
    pb.redirectOutput(out.toFile());
    pb.redirectError(err.toFile());
    Process p = pb.start();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "mnode did not finish");
    return new Run(
        p.exitValue(),
        new String(Files.readAllBytes(out), StandardCharsets.UTF_8),
        new String(Files.readAllBytes(err), StandardCharsets.UTF_8));
  }

  @Test
  void jsonOutput_andErrors_areUtf8_inTheCLocale() throws Exception {
    CliHarness cli = new CliHarness(tmp.resolve("home"));
    cli.init();
    String text = "Grüße, 日本語, café";
    String id = cli.remember(text);
    String home = cli.home.toString();

    Run get = mnodeInCLocale("--home", home, "--json", "get", id);
    assertEquals(0, get.exit(), get::toString);
    JsonNode m = CliHarness.JSON.readTree(get.out());
    assertEquals(text, m.get("text").textValue());

    Path bad = tmp.resolve("bad.jsonl");
    Files.writeString(bad, "{\"text\":\"x\",\"class\":\"légal\"}\n", StandardCharsets.UTF_8);
    Run failed = mnodeInCLocale("--home", home, "import", bad.toString());
    assertEquals(2, failed.exit(), failed::toString);
    assertTrue(failed.err().startsWith("mnode: line 1: invalid class name \"légal\""), failed::toString);
  }
}
