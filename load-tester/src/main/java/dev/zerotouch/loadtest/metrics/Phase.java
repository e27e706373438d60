package dev.zerotouch.loadtest.metrics;

import java.util.Locale;

/**
 * The phases of a run, in order. Keys are generated before them and timed apart; the hold is
 * reported but not part of the timed phases' wall time.
 */
public enum Phase {
  /** CSR to the CA, certificate back. */
  PROVISION,
  /** TCP and mutual TLS connect, register, registered back. */
  REGISTER,
  /** One heartbeat out, its ack back. */
  HEARTBEAT,
  /** Every device still connected, heartbeating at the server's interval (one per ack). */
  HOLD;

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
