package dev.mnode.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mnode.node.Home;
import dev.mnode.node.InvalidInputException;
import dev.mnode.node.MemoryJson;
import dev.mnode.node.MemoryService;
import dev.mnode.node.NodeException;
import dev.mnode.node.NodeModule;
import dev.mnode.node.NotFoundException;
import dev.mnode.node.PassphraseSource;
import dev.mnode.node.http.HttpModule;
import dev.mnode.store.StoreInUseException;
import java.io.BufferedOutputStream;
import java.io.Console;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * {@code mnode}: the top command. Holds what every subcommand shares: the streams, environment and
 * clock it runs with, and the inherited {@code --home} and {@code --json} options.
 *
 * <p>Exit codes: 0 success, 1 failure, 2 invalid input or usage, 3 no such memory, 4 store in use.
 */
@Command(
    name = "mnode",
    scope = ScopeType.INHERIT,
    mixinStandardHelpOptions = true,
    versionProvider = Mnode.Version.class,
    description = "A local-first, end-to-end encrypted memory for your AI tools.",
    subcommands = {
      InitCommand.class,
      RememberCommand.class,
      GetCommand.class,
      ListCommand.class,
      UpdateCommand.class,
      ForgetCommand.class,
      RecallCommand.class,
      ImportCommand.class,
      CompactCommand.class,
      ExportCommand.class,
      BackupCommand.class,
      RestoreCommand.class,
      RecoveryCommand.class,
      ClassesCommand.class,
      ReviewCommand.class,
      StatusCommand.class,
      ReindexCommand.class,
      ServeCommand.class,
      AppsCommand.class,
      AuditCommand.class,
      McpCommand.class,
      PairCommand.class,
      DevicesCommand.class,
      PeersCommand.class,
      RelayCommand.class,
      P2pCommand.class,
      DemoCommand.class
    })
public final class Mnode implements Runnable {
  static final int EXIT_FAILURE = 1;
  static final int EXIT_INVALID = 2;
  static final int EXIT_NOT_FOUND = 3;
  static final int EXIT_IN_USE = 4;
  static final String PASSPHRASE_ENV = "MNODE_PASSPHRASE";

  @Option(
      names = "--home",
      paramLabel = "DIR",
      scope = ScopeType.INHERIT,
      description = "Data directory (default: $MNODE_HOME, else ~/.mnode).")
  @Nullable Path homeFlag;

  @Option(
      names = "--json",
      scope = ScopeType.INHERIT,
      description = "Print exactly one JSON document on stdout.")
  boolean json;

  final InputStream in;
  final PrintStream out;
  final PrintStream err;
  final Map<String, String> env;
  final Clock clock;

  Mnode(InputStream in, PrintStream out, PrintStream err, Map<String, String> env, Clock clock) {
    this.in = in;
    this.out = out;
    this.err = err;
    this.env = env;
    this.clock = clock;
  }

  public static void main(String[] args) {
    // The embedding runtime logs through SLF4J, which warns on stderr when no logger is bound.
    System.setProperty("slf4j.internal.verbosity", "ERROR");
    // UTF-8 whatever the locale: JSON is UTF-8, and export already writes UTF-8 bytes.
    PrintStream out = utf8(FileDescriptor.out);
    PrintStream err = utf8(FileDescriptor.err);
    int code = run(args, System.in, out, err, System.getenv(), Clock.systemUTC());
    out.flush();
    err.flush();
    System.exit(code);
  }

  private static PrintStream utf8(FileDescriptor fd) {
    return new PrintStream(
        new BufferedOutputStream(new FileOutputStream(fd), 8192), true, StandardCharsets.UTF_8);
  }

  /** Runs one command line and returns its exit code; never calls {@code System.exit}. */
  static int run(
      String[] args,
      InputStream in,
      PrintStream out,
      PrintStream err,
      Map<String, String> env,
      Clock clock) {
    Mnode root = new Mnode(in, out, err, env, clock);
    CommandLine cl = new CommandLine(root);
    cl.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
    cl.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
    cl.setExecutionExceptionHandler((ex, cmd, parsed) -> root.fail(ex));
    cl.setParameterExceptionHandler(
        (ex, argv) -> {
          String where = ex.getCommandLine().getCommandSpec().qualifiedName();
          boolean wantsJson = Arrays.asList(argv).contains("--json");
          root.report(
              wantsJson,
              "usage",
              oneLine(ex.getMessage()) + " (see: " + where + " --help)");
          return EXIT_INVALID;
        });
    return cl.execute(args);
  }

  @Override
  public void run() {
    new CommandLine(this).usage(out);
  }

  Home home() {
    return Home.resolve(homeFlag, env);
  }

  /**
   * Returns the home's service: through the local API when a node serves this home (it holds the
   * store), else the store opened for this process, asking for the passphrase only if needed.
   */
  MemoryService open() throws NodeException {
    Optional<MemoryService> running = HttpModule.connect(home());
    return running.isPresent() ? running.get() : openLocal();
  }

  /** Opens the home's store in this process, whether or not a node serves it. */
  MemoryService openLocal() throws NodeException {
    Home home = home();
    return NodeModule.open(home, passphraseSource(home, false), clock, w -> err.println("mnode: warning: " + w));
  }

  PassphraseSource passphraseSource(Home home, boolean confirm) {
    return () -> {
      String fromEnv = env.get(PASSPHRASE_ENV);
      if (fromEnv != null) {
        return fromEnv.toCharArray();
      }
      Console console = System.console();
      if (console == null) {
        return null;
      }
      char[] first = console.readPassword("Passphrase for %s: ", home.dir());
      if (first == null) {
        return null;
      }
      if (confirm) {
        char[] again = console.readPassword("Repeat passphrase: ");
        if (again == null || !Arrays.equals(first, again)) {
          throw new InvalidInputException("passphrases do not match");
        }
        Arrays.fill(again, '\0');
      }
      return first;
    };
  }

  /** Prints {@code node} as the command's one JSON document. */
  void printJson(JsonNode node) {
    try {
      out.println(MemoryJson.MAPPER.writeValueAsString(node));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Returns whether long work should draw a progress bar: a terminal, and no --json. */
  boolean showProgress() {
    if (json) {
      return false;
    }
    if (System.console() != null) {
      return true;
    }
    try {
      String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
      return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
    } catch (IOException | UnsupportedOperationException e) {
      return false;
    }
  }

  private int fail(Exception ex) {
    int exit;
    String code;
    if (ex instanceof CliException c) {
      exit = c.exitCode();
      code = c.code();
    } else if (ex instanceof NotFoundException) {
      exit = EXIT_NOT_FOUND;
      code = "not_found";
    } else if (ex instanceof InvalidInputException) {
      exit = EXIT_INVALID;
      code = "invalid_input";
    } else if (ex.getCause() instanceof StoreInUseException) {
      exit = EXIT_IN_USE;
      code = "store_in_use";
    } else if (ex instanceof NodeException) {
      exit = EXIT_FAILURE;
      code = "error";
    } else {
      exit = EXIT_FAILURE;
      code = "internal";
      if (env.containsKey("MNODE_DEBUG")) {
        ex.printStackTrace(err);
      }
    }
    String message = ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage();
    report(json, code, oneLine(message));
    return exit;
  }

  private void report(boolean asJson, String code, String message) {
    err.println("mnode: " + message);
    if (asJson) {
      ObjectNode o = MemoryJson.MAPPER.createObjectNode();
      ObjectNode e = o.putObject("error");
      e.put("code", code);
      e.put("message", message);
      printJson(o);
    }
  }

  /** Says why a file operation failed, without Java's exception names. */
  static String reason(IOException e) {
    if (e instanceof NoSuchFileException) {
      return "no such file or directory";
    }
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof FileSystemException f && f.getReason() != null) {
      return f.getReason();
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  private static String oneLine(String s) {
    return s.strip().replaceAll("\\s*[\\r\\n]+\\s*", " ");
  }

  /** Reads the version Maven wrote into the jar. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() throws IOException {
      Properties p = new Properties();
      try (InputStream s = Mnode.class.getResourceAsStream("/mnode-version.properties")) {
        if (s != null) {
          p.load(s);
        }
      }
      return new String[] {"mnode " + p.getProperty("version", "unknown")};
    }
  }

  /** Base of every subcommand: finds the root and turns a thrown exception into an exit code. */
  abstract static class Sub implements java.util.concurrent.Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    Mnode root() {
      return (Mnode) spec.root().userObject();
    }

    @Override
    public final Integer call() throws Exception {
      run(root());
      return 0;
    }

    abstract void run(Mnode m) throws Exception;
  }

  static List<String> nonNull(@Nullable List<String> l) {
    return l == null ? List.of() : l;
  }
}
