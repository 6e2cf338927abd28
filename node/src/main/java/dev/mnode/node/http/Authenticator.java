package dev.mnode.node.http;

import dev.mnode.node.NodeException;
import dev.mnode.node.access.App;
import dev.mnode.node.access.AppRegistry;
import dev.mnode.node.access.OwnerCredential;
import dev.mnode.node.access.Scope;
import java.util.Optional;

/**
 * Turns an {@code Authorization} header into the caller's {@link Scope}: the owner's credential
 * (compared by hash, in constant time) or an app's token ({@link AppRegistry}). Thread-safe.
 */
final class Authenticator {
  private final byte[] ownerHash;
  private final AppRegistry apps;

  Authenticator(byte[] ownerHash, AppRegistry apps) {
    this.ownerHash = ownerHash.clone();
    this.apps = apps;
  }

  /** Returns the scope of a {@code Bearer} header, or empty when it is missing, malformed or wrong. */
  Optional<Scope> authenticate(String header) throws NodeException {
    if (header.length() < 8 || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return Optional.empty();
    }
    String token = header.substring(7).strip();
    // Both checks always run, so the time taken says nothing about which one matched.
    boolean owner = OwnerCredential.matches(token, ownerHash);
    Optional<App> app = apps.authenticate(token);
    if (owner) {
      return Optional.of(Scope.owner());
    }
    return app.map(App::scope);
  }
}
