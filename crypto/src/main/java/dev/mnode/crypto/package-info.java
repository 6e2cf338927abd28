/**
 * Key material and sealing for mnode: secret byte strings, the device master key file (optionally
 * protected by a passphrase through Argon2id) and storage keys that seal values with an AEAD.
 * Device pairing runs {@link dev.mnode.crypto.PairingPake} (EC J-PAKE bound to the channel) and
 * then talks over a {@link dev.mnode.crypto.PairingSession}.
 *
 * <p>Everything here composes Google Tink and Bouncy Castle primitives; nothing in this package
 * implements a cipher, hash, KDF or signature itself. Callers never see a nonce.
 */
@NullMarked
package dev.mnode.crypto;

import org.jspecify.annotations.NullMarked;
