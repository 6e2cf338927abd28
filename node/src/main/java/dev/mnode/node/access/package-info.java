/**
 * Who may use a running node, and a record of what they did: app tokens scoped by class and
 * operation ({@link dev.mnode.node.access.AppRegistry}), the owner's credential ({@link
 * dev.mnode.node.access.OwnerCredential}) and the audit log ({@link
 * dev.mnode.node.access.AuditLog}).
 */
@NullMarked
package dev.mnode.node.access;

import org.jspecify.annotations.NullMarked;
