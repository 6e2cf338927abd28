package dev.mnode.p2p.mdns;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.MulticastSocket;
import java.net.NetworkInterface;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Whether IPv4 multicast works on the loopback interface of this machine, checked by sending a
 * datagram to 224.0.0.251 through {@code lo} and receiving it. On Linux it does once the
 * interface is set explicitly, even though {@code lo} lacks the MULTICAST flag; a sandbox without
 * it makes the multicast tests skip with the reason this returns. Shared with the node's tests
 * through this module's test jar. Stateless.
 */
public final class LoopbackMulticast {
  private LoopbackMulticast() {}

  /** Returns the name of the loopback interface, if there is one that is up. */
  public static Optional<String> loopbackName() {
    try {
      NetworkInterface lo = NetworkInterface.getByInetAddress(InetAddress.getLoopbackAddress());
      return lo != null && lo.isUp() ? Optional.of(lo.getName()) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** Returns why multicast on loopback does not work here, or empty if it does. */
  public static Optional<String> unavailableBecause() {
    Optional<String> lo = loopbackName();
    if (lo.isEmpty()) {
      return Optional.of("no loopback interface that is up");
    }
    try (MulticastSocket s = new MulticastSocket(0)) {
      NetworkInterface nic = NetworkInterface.getByName(lo.get());
      InetSocketAddress group = new InetSocketAddress("224.0.0.251", s.getLocalPort());
      s.setNetworkInterface(nic);
      s.setLoopbackMode(false); // false means loopback is enabled
      s.joinGroup(group, nic);
      s.setSoTimeout(2000);
      byte[] probe = "mnode-mdns-probe".getBytes(StandardCharsets.US_ASCII);
      s.send(new DatagramPacket(probe, probe.length, group));
      DatagramPacket in = new DatagramPacket(new byte[64], 64);
      s.receive(in);
      return Optional.empty();
    } catch (SocketTimeoutException e) {
      return Optional.of("a datagram sent to 224.0.0.251 on " + lo.get() + " never came back");
    } catch (IOException | RuntimeException e) {
      return Optional.of("multicast on " + lo.get() + " failed: " + e);
    }
  }

  /** Returns a UDP port that was free a moment ago. */
  public static int freeUdpPort() throws IOException {
    try (java.net.DatagramSocket s = new java.net.DatagramSocket(0)) {
      return s.getLocalPort();
    }
  }
}
