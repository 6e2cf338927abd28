package dev.mnode.cli;

/** A command failed with a message for the user and a process exit code. */
final class CliException extends Exception {
  private static final long serialVersionUID = 1L;

  private final int exitCode;
  private final String code;

  CliException(int exitCode, String code, String message) {
    super(message);
    this.exitCode = exitCode;
    this.code = code;
  }

  int exitCode() {
    return exitCode;
  }

  /** A stable, machine-readable error code for {@code --json} output. */
  String code() {
    return code;
  }
}
