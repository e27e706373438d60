package dev.zerotouch.registry;

/**
 * One server instance's presence keys, all attached to one etcd lease that the instance keeps
 * alive; when the instance dies the lease expires and its keys vanish.
 */
public interface Presence extends AutoCloseable {

  /** Writes {@code presence/<cn>} on this instance's lease. */
  void announce(String cn, PresenceRecord record);

  /** Deletes {@code presence/<cn>} if this instance's lease holds it. */
  void withdraw(String cn);

  /** Whether the lease is currently believed alive (keep-alive answered recently). */
  boolean healthy();

  /** Revokes the lease, removing every presence key of this instance. */
  @Override
  void close();
}
