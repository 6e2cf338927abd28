package dev.mnode.bench;

import dev.mnode.node.Home;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rocksdb.RocksDB;
import org.rocksdb.util.Environment;

/**
 * Cold starts of the real {@code bin/mnode} process, and of a bare JVM and a probe that opens the
 * store, to show what dominates them and what bin/mnode's class-data-sharing archive buys.
 */
final class ColdStartBenchmarks {
  /** JVM options bin/mnode uses, apart from its archive. */
  static final List<String> JVM_FLAGS =
      List.of("-XX:+UseSerialGC", "-Xshare:auto", "-Xlog:disable");

  private static final Map<String, String> NO_CDS = Map.of("MNODE_NO_CDS", "1");
  private static final Map<String, String> NO_SHARING =
      Map.of("MNODE_NO_CDS", "1", "MNODE_JAVA_OPTS", "-Xshare:off");
  private static final String CLASS_LOG = "-Xlog:class+load=info:stdout";

  /** Bound of the first bin/mnode call, which builds the CLI when it is missing or stale. */
  private static final Duration BUILD_TIMEOUT = Duration.ofMinutes(10);

  /** Pause before timing, so this JVM's compiler and GC threads leave the cores to the children. */
  private static final Duration SETTLE = Duration.ofSeconds(2);

  private final Plan plan;
  private final Checkout checkout;
  private final Path scratch;
  private final Path java = Path.of(System.getProperty("java.home"), "bin", "java");
  private FileTime preparedJar = FileTime.fromMillis(0);

  ColdStartBenchmarks(Plan plan, Checkout checkout, Path scratch) {
    this.plan = plan;
    this.checkout = checkout;
    this.scratch = scratch;
  }

  /** Runs {@code bin/mnode --version} once so that a needed build happens before any timing. */
  void prepare() throws IOException, InterruptedException {
    timer(Map.of(), BUILD_TIMEOUT).run(mnode("mnode --version", Map.of(), "--version"), false);
    preparedJar = Files.getLastModifiedTime(checkout.cliJar());
  }

  /** Returns whether bin/mnode rebuilt its jar after {@link #prepare}, inside some timed run. */
  boolean rebuiltSincePrepare() throws IOException {
    return !Files.getLastModifiedTime(checkout.cliJar()).equals(preparedJar);
  }

  /** Times the first {@code mnode status} on a just-imported {@code home}: it replays the WAL. */
  ProcessResult firstOpen(Home home) throws IOException, InterruptedException {
    ProcessTimer.Command status =
        mnode("first mnode status after import", Map.of(), "--home", dir(home), "status");
    settle();
    return timer(home).time(List.of(status), 0, 1).get(0);
  }

  /** Times the bare JVM, {@code mnode --version} and {@code mnode status}, with and without CDS. */
  List<ProcessResult> commands(Home home) throws IOException, InterruptedException {
    ProcessTimer timer = timer(home);
    List<ProcessTimer.Command> commands =
        List.of(
            jvm("JVM start and exit, trivial main", Noop.class.getName()),
            mnode("mnode --version", Map.of(), "--version"),
            mnode("mnode --version, MNODE_NO_CDS=1", NO_CDS, "--version"),
            mnode("mnode status", Map.of(), "--home", dir(home), "status"),
            mnode("mnode status, MNODE_NO_CDS=1", NO_CDS, "--home", dir(home), "status"),
            mnode(
                "mnode status, no CDS at all (-Xshare:off)",
                NO_SHARING,
                "--home",
                dir(home),
                "status"));
    settle();
    return timer.time(commands, 1, plan.processRuns());
  }

  /**
   * Counts where the classes of one {@code mnode status} come from, with and without the archive.
   */
  List<ClassSources> classSources(Home home) throws IOException, InterruptedException {
    ProcessTimer timer = timer(home);
    List<ClassSources> out = new ArrayList<>();
    out.add(classes(timer, "mnode status", Map.of("MNODE_JAVA_OPTS", CLASS_LOG), home));
    out.add(
        classes(
            timer,
            "mnode status, MNODE_NO_CDS=1",
            Map.of("MNODE_NO_CDS", "1", "MNODE_JAVA_OPTS", CLASS_LOG),
            home));
    return out;
  }

  /** Describes bin/mnode's archive: missing, present but not used by the JVM, or in use. */
  String cdsArchive(ClassSources withArchive) {
    if (!Files.isRegularFile(checkout.cdsArchive())) {
      return "missing: bin/mnode ran without it";
    }
    return withArchive.appArchive() == 0
        ? "present but not used by the JVM"
        : "in use: " + withArchive.appArchive() + " classes mapped from it";
  }

  /**
   * Splits a cold status into phases with {@link StartupProbe}: as rocksdbjni loads itself from its jar, and with
   * the two native-library costs removed (the RocksDB library pre-extracted on {@code
   * java.library.path}, and {@code ROCKSDB_MUSL_LIBC=false}, which skips RocksDB's spawning of
   * {@code ldd} to detect musl).
   */
  List<StartupPhases> phases(Home home) throws IOException, InterruptedException {
    Path lib = extractNativeLibrary();
    List<StartupPhases> out = new ArrayList<>();
    out.add(probe(home, "rocksdbjni loads itself", List.of(), Map.of()));
    out.add(
        probe(
            home,
            "library pre-extracted, ROCKSDB_MUSL_LIBC=false",
            List.of("-Djava.library.path=" + lib),
            Map.of("ROCKSDB_MUSL_LIBC", "false")));
    return out;
  }

  private StartupPhases probe(Home home, String name, List<String> flags, Map<String, String> env)
      throws IOException, InterruptedException {
    List<String> argv = new ArrayList<>(List.of(java.toString()));
    argv.addAll(JVM_FLAGS);
    argv.addAll(flags);
    argv.addAll(
        List.of("-cp", checkout.benchJar().toString(), StartupProbe.class.getName(), dir(home)));
    return StartupBreakdown.measure(
        timer(home), new ProcessTimer.Command(name, argv, env), plan.processRuns());
  }

  /**
   * Copies RocksDB's native library for this platform out of its jar into the scratch directory.
   */
  private Path extractNativeLibrary() throws IOException {
    String file = Environment.getJniLibraryFileName("rocksdb");
    Path dir = Files.createDirectories(scratch.resolve("native"));
    try (InputStream in = RocksDB.class.getClassLoader().getResourceAsStream(file)) {
      if (in == null) {
        throw new IOException("no " + file + " in the rocksdbjni jar");
      }
      Files.copy(in, dir.resolve(file));
    }
    return dir;
  }

  private ClassSources classes(ProcessTimer timer, String name, Map<String, String> env, Home home)
      throws IOException, InterruptedException {
    String log = timer.run(mnode(name, env, "--home", dir(home), "status"), true).stdout();
    return ClassSources.parse(name, log);
  }

  private ProcessTimer.Command mnode(String name, Map<String, String> env, String... args) {
    List<String> argv = new ArrayList<>(List.of(checkout.mnode().toString()));
    argv.addAll(List.of(args));
    return new ProcessTimer.Command(name, argv, env);
  }

  private ProcessTimer.Command jvm(String name, String mainClass) {
    List<String> argv = new ArrayList<>(List.of(java.toString()));
    argv.addAll(JVM_FLAGS);
    argv.addAll(List.of("-cp", checkout.benchJar().toString(), mainClass));
    return new ProcessTimer.Command(name, argv, Map.of());
  }

  private ProcessTimer timer(Home home) {
    return timer(Map.of(dir(home), "<home>"), plan.processTimeout());
  }

  private ProcessTimer timer(Map<String, String> extraAliases, Duration timeout) {
    Map<String, String> aliases = new LinkedHashMap<>(extraAliases);
    aliases.put(java.toString(), "java");
    aliases.put(checkout.root().toString(), "<repo>");
    return new ProcessTimer(timeout, scratch, aliases);
  }

  private static void settle() throws InterruptedException {
    System.gc();
    Thread.sleep(SETTLE.toMillis());
  }

  private static String dir(Home home) {
    return home.dir().toString();
  }
}
