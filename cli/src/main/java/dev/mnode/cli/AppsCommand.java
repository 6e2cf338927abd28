package dev.mnode.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mnode.node.MemoryJson;
import dev.mnode.node.access.App;
import dev.mnode.node.access.AppRegistry;
import dev.mnode.node.access.Op;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "apps",
    description = "List the apps allowed to use the local API, with their classes and operations.",
    subcommands = {AppsCommand.Add.class, AppsCommand.ListApps.class, AppsCommand.Revoke.class})
final class AppsCommand extends Mnode.Sub {
  @Override
  void run(Mnode m) throws Exception {
    List<App> apps = registry(m).list();
    if (m.json) {
      ArrayNode a = MemoryJson.MAPPER.createArrayNode();
      for (App app : apps) {
        ObjectNode o = a.addObject();
        o.put("name", app.name());
        app.classes().forEach(o.putArray("classes")::add);
        ArrayNode ops = o.putArray("ops");
        app.ops().stream().sorted().forEach(op -> ops.add(op.wire()));
        o.put("created", app.created().toString());
      }
      m.printJson(a);
    } else {
      for (App app : apps) {
        m.out.printf(
            Locale.ROOT, "%-20s classes %-30s ops %s%n",
            app.name(), String.join(",", app.classes()),
            app.ops().stream().sorted().map(Op::wire).collect(Collectors.joining(",")));
      }
      if (apps.isEmpty()) {
        m.err.println("no apps; add one with: mnode apps add NAME --classes work --ops read,write");
      }
    }
  }

  @Command(name = "list", description = "List the apps with their classes and operations (never their tokens).")
  static final class ListApps extends Mnode.Sub {
    @Override
    void run(Mnode m) throws Exception {
      new AppsCommand().run(m);
    }
  }

  static AppRegistry registry(Mnode m) throws CliException {
    if (!java.nio.file.Files.exists(m.home().keyFile())) {
      throw new CliException(
          Mnode.EXIT_FAILURE, "error", "not an mnode home: " + m.home().dir() + " (run `mnode init` first, or pass --home DIR)");
    }
    return AppRegistry.of(m.home().dir());
  }

  @Command(
      name = "add",
      description = {
        "Allow an app to use the local API and print its token, once: only a hash is kept.",
        "The token reads and writes only the classes and operations given."
      })
  static final class Add extends Mnode.Sub {
    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Option(names = "--classes", paramLabel = "C,C", split = ",", required = true, description = "Classes it may use.")
    List<String> classes;

    @Option(names = "--ops", paramLabel = "OP,OP", split = ",", defaultValue = "read", description = "read, write or both (default: ${DEFAULT-VALUE}).")
    List<String> ops;

    @Override
    void run(Mnode m) throws Exception {
      Set<Op> parsed = new HashSet<>();
      for (String o : ops) {
        try {
          parsed.add(Op.parse(o.strip()));
        } catch (IllegalArgumentException e) {
          throw new CliException(Mnode.EXIT_INVALID, "invalid_input", e.getMessage());
        }
      }
      Set<String> cls = new LinkedHashSet<>();
      classes.forEach(c -> cls.add(c.strip()));
      String token = registry(m).add(name, cls, parsed, m.clock.instant());
      if (m.json) {
        ObjectNode o = MemoryJson.MAPPER.createObjectNode();
        o.put("name", name);
        o.put("token", token);
        m.printJson(o);
      } else {
        m.out.println(token);
        m.err.println("mnode: this is the only time the token is shown; give it to " + name + " as: Authorization: Bearer TOKEN");
      }
    }
  }

  @Command(name = "revoke", description = "Remove an app; its token stops working at once, also on a running node.")
  static final class Revoke extends Mnode.Sub {
    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Override
    void run(Mnode m) throws Exception {
      if (!registry(m).revoke(name)) {
        throw new CliException(Mnode.EXIT_NOT_FOUND, "not_found", "no app named " + name);
      }
      if (m.json) {
        ObjectNode o = MemoryJson.MAPPER.createObjectNode();
        o.put("name", name);
        o.put("revoked", true);
        m.printJson(o);
      } else {
        m.out.println("revoked " + name);
      }
    }
  }
}
