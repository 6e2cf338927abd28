package dev.mnode.bench;

/**
 * Where the classes of one run came from, from the JVM's {@code class+load} log.
 *
 * @param name which run
 * @param total classes loaded
 * @param appArchive mapped from bin/mnode's dynamic CDS archive
 * @param jdkArchive mapped from the JDK's default CDS archive
 * @param jdkModules parsed from the JDK's modules
 * @param jars parsed from the application's jars
 * @param generated defined at run time (proxies, lambdas, reflection accessors)
 */
record ClassSources(
    String name,
    int total,
    int appArchive,
    int jdkArchive,
    int jdkModules,
    int jars,
    int generated) {

  /** Counts the {@code [class,load]} lines of {@code log}. */
  static ClassSources parse(String name, String log) {
    int app = 0;
    int jdk = 0;
    int modules = 0;
    int jars = 0;
    int generated = 0;
    for (String line : log.split("\n")) {
      int at = line.indexOf(" source: ");
      if (!line.contains("[class,load]") || at < 0) {
        continue;
      }
      String source = line.substring(at + " source: ".length());
      if (source.startsWith("shared objects file (top)")) {
        app++;
      } else if (source.startsWith("shared objects file")) {
        jdk++;
      } else if (source.startsWith("jrt:")) {
        modules++;
      } else if (source.startsWith("file:") || source.startsWith("jar:")) {
        jars++;
      } else {
        generated++;
      }
    }
    return new ClassSources(
        name, app + jdk + modules + jars + generated, app, jdk, modules, jars, generated);
  }
}
