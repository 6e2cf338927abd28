/**
 * Automatic classification of memories: when a memory arrives without a class, {@link
 * dev.mnode.node.classify.Classifier} proposes one with a confidence, from the on-device embedding
 * of its text compared with a few prototype sentences per class and with the user's own memories
 * whose class a person chose. Nothing here opens a connection or writes to disk.
 */
@NullMarked
package dev.mnode.node.classify;

import org.jspecify.annotations.NullMarked;
