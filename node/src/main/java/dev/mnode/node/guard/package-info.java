/**
 * Guardrails on what a memory may hold: the {@link dev.mnode.node.guard.Redactor} finds secrets
 * (provider API keys and tokens, private keys, passwords in URLs, JWTs), financial numbers
 * (checksum-valid card numbers and IBANs) and contact details (e-mail addresses, phone numbers)
 * in a text, and a {@link dev.mnode.node.guard.RedactionPolicy} decides per memory class and type
 * whether each is replaced by a typed placeholder, refused, or kept. {@link
 * dev.mnode.node.guard.GuardModule} builds the implementation.
 */
@NullMarked
package dev.mnode.node.guard;

import org.jspecify.annotations.NullMarked;
