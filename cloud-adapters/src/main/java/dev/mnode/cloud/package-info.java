/** BlobStore interface and its folder, S3 and Dropbox implementations (not built yet). */
@NullMarked
package dev.mnode.cloud;

import org.jspecify.annotations.NullMarked;
