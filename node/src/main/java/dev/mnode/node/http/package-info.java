/**
 * The node's local HTTP API (Netty, JSON, loopback only by default): {@link
 * dev.mnode.node.http.HttpModule} starts an {@link dev.mnode.node.http.ApiServer} over a {@link
 * dev.mnode.node.MemoryService}, and connects a CLI to a running node through the same interface.
 * Routes, bodies and errors are documented in {@code docs/api/openapi.json}.
 */
@NullMarked
package dev.mnode.node.http;

import org.jspecify.annotations.NullMarked;
