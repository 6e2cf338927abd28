package dev.mnode.node.peer;

import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What this node knows of one peer device.
 *
 * @param peerId the peer's libp2p id (its device id)
 * @param addresses addresses to dial it at (static, discovered on the LAN, or learnt)
 * @param online whether a connection to it is open now
 * @param lastSeen when a connection to it was last open; null if never
 * @param lastSync when the last round with it finished; null if never
 * @param pending bundles it lacks as far as this node knows (from its last version vectors)
 * @param sent bundles sent to it since this node started
 * @param received bundles received from it since this node started
 * @param lastError the last failure with it, one line; null after a successful round
 * @param bytesSent sync protocol bytes sent to it since this node started
 * @param bytesReceived sync protocol bytes received from it since this node started
 */
public record PeerStatus(
    String peerId,
    List<String> addresses,
    boolean online,
    @Nullable Instant lastSeen,
    @Nullable Instant lastSync,
    long pending,
    long sent,
    long received,
    @Nullable String lastError,
    long bytesSent,
    long bytesReceived) {}
