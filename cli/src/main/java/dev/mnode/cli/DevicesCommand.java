package dev.mnode.cli;

import dev.mnode.node.MemoryService;
import dev.mnode.node.peer.DeviceInfo;
import dev.mnode.node.peer.VaultJson;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(
    name = "devices",
    description = {
      "List the devices of this vault: id, name, classes, last seen, online.",
      "DEVICE below is a device id, a unique prefix of one (6+ characters) or a unique name."
    },
    subcommands = {
      DevicesCommand.Grant.class, DevicesCommand.Ungrant.class, DevicesCommand.Revoke.class, DevicesCommand.Rename.class
    })
final class DevicesCommand extends Mnode.Sub {
  @Override
  void run(Mnode m) throws Exception {
    List<DeviceInfo> devices;
    try (MemoryService svc = m.open()) {
      devices = svc.vault().devices();
    }
    if (m.json) {
      m.printJson(VaultJson.devices(devices));
      return;
    }
    for (DeviceInfo d : devices) {
      print(m, d);
    }
  }

  static void print(Mnode m, DeviceInfo d) {
    String state = d.revoked() ? "revoked" : d.self() ? "this device" : d.online() ? "online" : "offline";
    String seen = d.self() || d.lastSeen() == null ? "" : "  last seen " + Dates.ago(d.lastSeen(), m.clock.instant());
    m.out.printf(
        Locale.ROOT, "%-54s %-16s %-28s %s%s%n", d.id(), d.name(), d.classes().isEmpty() ? "-" : String.join(",", d.classes()), state, seen);
  }

  static void printOne(Mnode m, DeviceInfo d) {
    if (m.json) {
      m.printJson(VaultJson.device(d));
    } else {
      print(m, d);
    }
  }

  /** Grants or takes classes. */
  abstract static class ClassChange extends Mnode.Sub {
    @Parameters(index = "0", paramLabel = "DEVICE")
    String device;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "CLASS")
    List<String> classes;

    abstract DeviceInfo apply(dev.mnode.node.peer.VaultAdmin v) throws Exception;

    @Override
    void run(Mnode m) throws Exception {
      try (MemoryService svc = m.open()) {
        printOne(m, apply(svc.vault()));
      }
    }
  }

  @Command(name = "grant", description = "Grant classes to a device: it receives their keys at its next sync.")
  static final class Grant extends ClassChange {
    @Override
    DeviceInfo apply(dev.mnode.node.peer.VaultAdmin v) throws Exception {
      return v.grant(device, classes);
    }
  }

  @Command(
      name = "ungrant",
      description = "Take classes from a device: a new key starts for each, which it never gets; it reads nothing written afterwards.")
  static final class Ungrant extends ClassChange {
    @Override
    DeviceInfo apply(dev.mnode.node.peer.VaultAdmin v) throws Exception {
      return v.ungrant(device, classes);
    }
  }

  @Command(name = "revoke", description = "Remove a device from the vault for good: new keys for every class it held, no more sync with it.")
  static final class Revoke extends Mnode.Sub {
    @Parameters(index = "0", paramLabel = "DEVICE")
    String device;

    @Override
    void run(Mnode m) throws Exception {
      try (MemoryService svc = m.open()) {
        printOne(m, svc.vault().revoke(device));
      }
    }
  }

  @Command(name = "rename", description = "Rename a device.")
  static final class Rename extends Mnode.Sub {
    @Parameters(index = "0", paramLabel = "DEVICE")
    String device;

    @Parameters(index = "1", paramLabel = "NAME")
    String name;

    @Override
    void run(Mnode m) throws Exception {
      try (MemoryService svc = m.open()) {
        printOne(m, svc.vault().rename(device, name));
      }
    }
  }
}
