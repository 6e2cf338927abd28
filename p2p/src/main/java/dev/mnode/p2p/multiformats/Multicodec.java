package dev.mnode.p2p.multiformats;

/**
 * The multicodec numbers this module uses, from the multiformats/multicodec table. Multiaddr
 * protocol codes live with the multiaddr protocols in {@code dev.mnode.p2p}.
 */
public final class Multicodec {
  /** {@code identity} (multihash): the "digest" is the input itself. */
  public static final int IDENTITY = 0x00;

  /** {@code cidv1} (cid): the version number that starts a version-1 CID. */
  public static final int CIDV1 = 0x01;

  /** {@code sha2-256} (multihash). */
  public static final int SHA2_256 = 0x12;

  /** {@code libp2p-key} (ipld): a CID whose content is a libp2p public key, i.e. a peer id. */
  public static final int LIBP2P_KEY = 0x72;

  private Multicodec() {}
}
