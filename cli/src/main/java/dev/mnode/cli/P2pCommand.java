package dev.mnode.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code mnode p2p}: libp2p diagnostics over TCP, Noise and yamux. Each tool runs with a throw-away
 * identity and opens no home.
 */
@Command(
    name = "p2p",
    description = {
      "libp2p diagnostics: listen, ping, identify, echo.",
      "Each run makes a throw-away Ed25519 identity; none opens the home."
    },
    subcommands = {
      P2pListenCommand.class,
      P2pPingCommand.class,
      P2pIdentifyCommand.class,
      P2pEchoCommand.class
    })
final class P2pCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** Without a subcommand: the usage, on stdout. */
  @Override
  public void run() {
    spec.commandLine().usage(((Mnode) spec.root().userObject()).out);
  }
}
