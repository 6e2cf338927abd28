package dev.mnode.cloud;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One page of a {@link BlobStore#list} call.
 *
 * @param blobs the blobs in ascending name order
 * @param nextToken pass to the next {@code list} call to continue, or null when nothing follows;
 *     it is the last name of this page, so a listing resumes correctly even after blobs were added
 *     or deleted in between
 */
public record Page(List<BlobInfo> blobs, @Nullable String nextToken) {
  public Page {
    blobs = List.copyOf(blobs);
  }
}
