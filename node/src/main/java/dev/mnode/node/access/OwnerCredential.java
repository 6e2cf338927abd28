package dev.mnode.node.access;

import dev.mnode.node.NodeException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The owner's token, in {@code HOME/owner.token} (mode 0600, like the key file beside it): the
 * CLI presents it to a running node and gets every class and operation. Made by the first {@code
 * mnode serve}. Whoever can read the home is the owner anyway; the file adds no new power.
 *
 * <p>Stateless and thread-safe.
 */
public final class OwnerCredential {
  public static final String FILE = "owner.token";

  private OwnerCredential() {}

  /** Returns the owner's token of {@code home}, making it first when there is none. */
  public static String ensure(Path home) throws NodeException {
    Optional<String> known = read(home);
    if (known.isPresent()) {
      return known.get();
    }
    String token = Tokens.generate();
    try {
      PrivateFiles.write(home.resolve(FILE), (token + "\n").getBytes(StandardCharsets.US_ASCII));
    } catch (IOException e) {
      throw new NodeException("cannot write " + home.resolve(FILE) + ": " + e.getMessage(), e);
    }
    return token;
  }

  /** Returns the owner's token of {@code home}, or empty when none was made yet. */
  public static Optional<String> read(Path home) throws NodeException {
    try {
      String s = Files.readString(home.resolve(FILE), StandardCharsets.US_ASCII).strip();
      return s.isEmpty() ? Optional.empty() : Optional.of(s);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new NodeException("cannot read " + home.resolve(FILE) + ": " + e.getMessage(), e);
    }
  }

  /** Returns the SHA-256 of {@code token}, which is all a server keeps of it. */
  public static byte[] hash(String token) {
    return Tokens.hash(token);
  }

  /** Constant-time equality of {@code token}'s hash and {@code expectedHash}. */
  public static boolean matches(String token, byte[] expectedHash) {
    return token.length() <= Tokens.MAX_LENGTH && Tokens.same(Tokens.hash(token), expectedHash);
  }
}
