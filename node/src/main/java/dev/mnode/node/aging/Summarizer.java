package dev.mnode.node.aging;

import dev.mnode.node.NodeException;
import java.util.List;

/** Writes one memory that says what several near-duplicate memories of one class say. */
@FunctionalInterface
public interface Summarizer {
  /**
   * Returns a summary of {@code texts}, all of class {@code memoryClass}.
   *
   * @throws NodeException if the summary cannot be had (endpoint down, bad answer); nothing changed
   */
  String summarize(String memoryClass, List<String> texts) throws NodeException;
}
