package dev.zerotouch.registry;

import java.util.Map;

/**
 * One server instance's presence keys, all attached to one etcd lease that the instance keeps
 * alive; when the instance dies the lease expires and its keys vanish.
 *
 * <p>{@link #announce} and {@link #withdraw} never throw because etcd is unreachable: the
 * change is remembered and written when etcd answers again (with a new lease and every
 * announced key written again if the old lease expired meanwhile); {@link #healthy()} is
 * false until then. They block for at most one etcd call deadline.
 */
public interface Presence extends AutoCloseable {

  /** Writes {@code presence/<cn>} on this instance's lease. */
  void announce(String cn, PresenceRecord record);

  /**
   * Writes the presence keys of many devices on this instance's lease, together (one etcd
   * transaction per 128 where the implementation can).
   */
  default void announceAll(Map<String, PresenceRecord> records) {
    records.forEach(this::announce);
  }

  /** Deletes {@code presence/<cn>} if this instance's lease holds it. */
  void withdraw(String cn);

  /**
   * Deletes {@code presence/<cn>} only if it is still this announcement: a connection that
   * closes after the same device reconnected (and announced again) leaves the newer one.
   */
  default void withdraw(String cn, PresenceRecord record) {
    withdraw(cn);
  }

  /** Whether the lease is currently believed alive (keep-alive answered recently). */
  boolean healthy();

  /** Revokes the lease, removing every presence key of this instance. */
  @Override
  void close();
}
