/**
 * Relay storage: a {@link dev.mnode.cloud.BlobStore} of immutable, named blobs with put-if-absent,
 * get, paged listing by prefix and delete, and its folder, S3 and Dropbox implementations. This
 * package knows nothing of bundles, keys or sync; it stores opaque bytes under opaque names.
 *
 * <h2>Relay URIs ({@link dev.mnode.cloud.BlobStores#open})</h2>
 *
 * <ul>
 *   <li>{@code file:/mnt/drive/mnode} &mdash; a folder that must already exist (a drive that is not
 *       mounted is reported as NOT_FOUND, not silently replaced by an empty folder). A blob name's
 *       segments become subfolders.
 *   <li>{@code s3://bucket} or {@code s3://bucket/some/prefix} &mdash; objects under that key prefix.
 *       For MinIO, Ceph or another S3-compatible service set {@code s3Endpoint} (https, or http to
 *       this machine only) and usually path-style addressing.
 *   <li>{@code dropbox:/Apps/mnode} &mdash; files under that Dropbox folder ({@code dropbox:/} for
 *       the top of an app folder), created on first upload.
 * </ul>
 *
 * <h2>Options and credentials ({@link dev.mnode.cloud.BlobStoreOptions})</h2>
 *
 * Credentials given in the options win; otherwise, and only when a relay of that kind is opened,
 * the environment is read: {@code AWS_ACCESS_KEY_ID}, {@code AWS_SECRET_ACCESS_KEY}, {@code
 * AWS_SESSION_TOKEN}, {@code AWS_REGION}/{@code AWS_DEFAULT_REGION} (default {@code us-east-1}),
 * {@code AWS_ENDPOINT_URL_S3}/{@code AWS_ENDPOINT_URL} for S3, and {@code MNODE_DROPBOX_TOKEN} for
 * Dropbox. The S3 client is given its region and credentials explicitly and an empty profile file,
 * so it neither reads {@code ~/.aws} nor asks an instance metadata service: the only host it
 * contacts is the configured one. Opening a store makes no network call. Secrets are held as
 * {@link dev.mnode.cloud.Secret} and no error message or exception chain contains one.
 *
 * <h2>Put-if-absent, store by store</h2>
 *
 * <ul>
 *   <li><b>Folder</b>: temp file in the target folder, {@code fsync}, then a hard link to the final
 *       name, which fails if the name exists: atomic among all processes sharing the file system,
 *       and readers never see a partial blob. On file systems without hard links (FAT, exFAT, some
 *       network shares) it falls back to check-then-rename, where two simultaneous writers of one
 *       name can both succeed and the later one wins.
 *   <li><b>S3</b>: {@code PUT} with {@code If-None-Match: *}, evaluated atomically by AWS S3 and by
 *       current S3-compatible servers; 412 means the name was taken, 409 (a concurrent conditional
 *       write) is retried. When the SDK retried a put whose first answer was lost and then met
 *       412, the object's ETag is compared with the MD5 of our bytes to tell our own landed write
 *       from another writer's. If the service answers 501, the store falls back for its lifetime to
 *       {@code HEAD} then {@code PUT}, which has the same race as the folder fallback. A service
 *       that ignores the header silently overwrites; nothing on the client can detect that.
 *   <li><b>Dropbox</b>: upload in {@code add} mode, {@code autorename=false}, {@code
 *       strict_conflict=true}: Dropbox decides on its side, so exactly one of several writers
 *       succeeds, and a second upload of identical bytes is still reported as taken.
 * </ul>
 *
 * In the relay every name belongs to one author device and a sealed bundle's bytes are fixed, so
 * the fallback races need one device to upload the same blob twice at once, and then replace it
 * with the same bytes.
 *
 * <h2>Listing</h2>
 *
 * Names are returned in ascending order, a page at a time; the page token is the last name
 * returned, so a listing resumes correctly even when blobs are added or deleted between pages.
 * Objects or files whose names are not valid blob names (see {@link dev.mnode.cloud.BlobNames})
 * are invisible. Dropbox neither sorts nor filters by prefix, so each Dropbox page reads the whole
 * folder the prefix points into.
 *
 * <h2>Names</h2>
 *
 * {@code [a-z0-9._-]} segments joined by {@code /}, no segment starting with a dot, at most 256
 * characters; anything else is refused with {@link java.lang.IllegalArgumentException} before any
 * I/O. A name must not also be a folder of another name ({@code a} and {@code a/b}): folder and
 * Dropbox stores refuse the second with CONFLICT. Blobs are at most {@link
 * dev.mnode.cloud.BlobStore#MAX_BLOB_BYTES} bytes.
 */
@NullMarked
package dev.mnode.cloud;

import org.jspecify.annotations.NullMarked;
