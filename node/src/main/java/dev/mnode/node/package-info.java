/**
 * The mnode node: a device's home directory, and the {@link dev.mnode.node.MemoryService} that the
 * CLI (and later the local API and MCP server) use to remember, recall, list, update, forget,
 * import and export memories. {@link dev.mnode.node.NodeModule} builds the implementations.
 */
@NullMarked
package dev.mnode.node;

import org.jspecify.annotations.NullMarked;
