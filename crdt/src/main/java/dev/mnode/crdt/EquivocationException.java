package dev.mnode.crdt;

/**
 * An author (or Automerge actor) presented two different entries under one sequence number. An
 * honest device never does that, so the second entry is refused and the author should be reported.
 */
public final class EquivocationException extends CrdtException {
  private static final long serialVersionUID = 1L;

  private final String author;
  private final long seq;

  public EquivocationException(String author, long seq, String message) {
    super(message);
    this.author = author;
    this.seq = seq;
  }

  /** The author id, or for a change inside a document the actor id in hex. */
  public String author() {
    return author;
  }

  /** Returns the sequence number used twice. */
  public long seq() {
    return seq;
  }
}
