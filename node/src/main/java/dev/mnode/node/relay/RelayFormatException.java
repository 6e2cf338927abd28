package dev.mnode.node.relay;

/** A relay blob that opened but is not a well-formed segment of ours. */
final class RelayFormatException extends Exception {
  RelayFormatException(String message) {
    super(message);
  }
}
