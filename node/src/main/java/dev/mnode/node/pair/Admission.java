package dev.mnode.node.pair;

import dev.mnode.p2p.PeerId;
import java.util.List;

/**
 * The member's decision on a device that proved the code: add it to the membership log with the
 * granted classes and return what it needs to join. Called once per offer at most, on the stream's
 * handler thread, only after key confirmation succeeded; it may block (store writes).
 */
@FunctionalInterface
public interface Admission {
  /**
   * Admits {@code joiner}, which asked with {@code request}, into {@code classes} (the offer's
   * grant) and returns its welcome; the responder sends it and then closes it.
   *
   * @throws Exception to refuse: the joiner is told REFUSED, the message is not sent to it, and the
   *     offer is used up either way
   */
  Welcome admit(PeerId joiner, JoinRequest request, List<String> classes) throws Exception;
}
