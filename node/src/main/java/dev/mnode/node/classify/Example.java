package dev.mnode.node.classify;

/**
 * A memory whose class a person chose (when writing it or in review), as the classifier uses it:
 * its class and the unit-length embedding of its text. The vector is not copied; callers do not
 * change it afterwards. Immutable by that contract.
 */
public record Example(String memoryClass, float[] vector) {}
