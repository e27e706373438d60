package dev.zerotouch.device;

/** The device client's process exit codes. */
public final class ExitCodes {
  /** Provisioned, registered, and (with --heartbeats) every heartbeat acknowledged. */
  public static final int SUCCESS = 0;

  /** The command line or an environment variable is wrong. */
  public static final int USAGE = 2;

  /**
   * Refused: the CA refused the CSR, TLS refused a certificate, the server answered a
   * non-retryable error, or the identity on disk is corrupt. Trying again will not help.
   */
  public static final int REFUSED = 3;

  /** The CA or the registration server stayed unreachable or unavailable through every retry. */
  public static final int UNREACHABLE = 4;

  private ExitCodes() {
  }
}
