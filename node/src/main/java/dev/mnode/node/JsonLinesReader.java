package dev.mnode.node;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * Splits a byte stream into lines ({@code \n}, with an optional {@code \r} before it) and decodes
 * each as strict UTF-8, counting line numbers and bytes read. A line longer than {@link
 * #MAX_LINE_BYTES} or not valid UTF-8 is an {@link InvalidInputException} naming its number.
 * Confined to one thread.
 */
final class JsonLinesReader {
  /** Longest accepted line: a memory at its limits fits well within it. */
  static final int MAX_LINE_BYTES = 1 << 20;

  private final InputStream in;
  private final byte[] buf = new byte[64 * 1024];
  private final ByteArrayOutputStream line = new ByteArrayOutputStream(1024);
  private final CharsetDecoder utf8 =
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT);
  private int pos;
  private int end;
  private long lineNumber;
  private long bytesRead;

  JsonLinesReader(InputStream in) {
    this.in = in;
  }

  /** Returns the next line without its terminator, or null at the end of the stream. */
  @Nullable String next() throws IOException, InvalidInputException {
    line.reset();
    boolean any = false;
    while (true) {
      if (pos == end) {
        end = in.read(buf);
        pos = 0;
        if (end <= 0) {
          end = 0;
          if (!any) {
            return null;
          }
          break;
        }
      }
      any = true;
      int start = pos;
      while (pos < end && buf[pos] != '\n') {
        pos++;
      }
      line.write(buf, start, pos - start);
      bytesRead += pos - start;
      if (line.size() > MAX_LINE_BYTES) {
        throw new InvalidInputException(
            "line " + (lineNumber + 1) + ": longer than " + MAX_LINE_BYTES + " bytes");
      }
      if (pos < end) {
        pos++;
        bytesRead++;
        break;
      }
    }
    lineNumber++;
    byte[] b = line.toByteArray();
    int len = b.length > 0 && b[b.length - 1] == '\r' ? b.length - 1 : b.length;
    try {
      return utf8.decode(ByteBuffer.wrap(b, 0, len)).toString();
    } catch (CharacterCodingException e) {
      throw new InvalidInputException("line " + lineNumber + ": not valid UTF-8");
    }
  }

  long lineNumber() {
    return lineNumber;
  }

  long bytesRead() {
    return bytesRead;
  }
}
