package dev.mnode.cloud;

/**
 * One listed blob.
 *
 * @param name the blob's name, valid per {@link BlobNames}
 * @param size its length in bytes
 */
public record BlobInfo(String name, long size) {
  public BlobInfo {
    BlobNames.check(name);
    if (size < 0) {
      throw new IllegalArgumentException("negative blob size " + size + " for " + name);
    }
  }
}
