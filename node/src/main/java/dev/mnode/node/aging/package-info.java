/**
 * Aging of memories: how this device used each memory ({@link dev.mnode.node.aging.UseLog}, a
 * sealed local file, never synced), which memories are old and unimportant enough to archive,
 * which old near-duplicates one summary could replace ({@link dev.mnode.node.aging.Compactor}),
 * and the summarizing endpoint a user may configure ({@link dev.mnode.node.aging.ChatSummarizer}).
 * Nothing here opens a connection unless the user configured a summarize endpoint.
 */
@NullMarked
package dev.mnode.node.aging;

import org.jspecify.annotations.NullMarked;
