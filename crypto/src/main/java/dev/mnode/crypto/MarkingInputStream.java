package dev.mnode.crypto;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.Function;

/**
 * Passes reads through and turns each {@link IOException} of the stream below into the one {@code
 * mark} makes of it, so that a caller can tell the failures of one layer (the file, or the
 * decryption over it, which Tink reports as plain IOExceptions) from those of another.
 */
final class MarkingInputStream extends FilterInputStream {
  private final Function<IOException, IOException> mark;

  MarkingInputStream(InputStream in, Function<IOException, IOException> mark) {
    super(in);
    this.mark = mark;
  }

  @Override
  public int read() throws IOException {
    try {
      return super.read();
    } catch (IOException e) {
      throw mark.apply(e);
    }
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    try {
      return super.read(b, off, len);
    } catch (IOException e) {
      throw mark.apply(e);
    }
  }
}
