package dev.mnode.crdt;

import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class InMemoryAuthorLogTest extends AuthorLogContractTest {
  @Override
  AuthorLog newLog(int maxPendingPerAuthor) {
    return CrdtModule.inMemoryAuthorLog(maxPendingPerAuthor);
  }

  @Test
  void aNegativeBound_isRefused() {
    assertThrows(IllegalArgumentException.class, () -> CrdtModule.inMemoryAuthorLog(-1));
  }
}
