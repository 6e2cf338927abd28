package dev.mnode.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ClassSourcesTest {
  @Test
  void countsEachSource() {
    String log =
        String.join(
            "\n",
            "[0.010s][info][class,load] java.lang.Object source: shared objects file",
            "[0.020s][info][class,load] dev.mnode.cli.Mnode source: shared objects file (top)",
            "[0.021s][info][class,load] sun.nio.Foo source: jrt:/java.base",
            "[0.030s][info][class,load] picocli.CommandLine source: file:/x/lib/picocli.jar",
            "[0.040s][info][class,load] jdk.proxy2.$Proxy1 source: __dynamic_proxy__",
            "home:       DIR");
    assertEquals(new ClassSources("run", 5, 1, 1, 1, 1, 1), ClassSources.parse("run", log));
  }
}
