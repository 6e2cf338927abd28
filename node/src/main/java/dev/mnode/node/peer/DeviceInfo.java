package dev.mnode.node.peer;

import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A device of the vault as {@code mnode devices} shows it.
 *
 * @param id its peer id (base58), which is also its device id
 * @param name the name the vault gave it
 * @param classes the classes it holds now
 * @param revoked whether it was revoked (for good)
 * @param self whether it is this device
 * @param online whether this node has a connection to it now
 * @param lastSeen when this node last had a connection to it; null if never (or unknown)
 */
public record DeviceInfo(
    String id, String name, List<String> classes, boolean revoked, boolean self, boolean online,
    @Nullable Instant lastSeen) {}
