package dev.zerotouch.registry;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The registry of issued certificates and devices, kept in etcd under one key prefix. Every
 * call has a deadline; when etcd does not answer in time it throws {@link RegistryException}
 * with {@link RegistryErrorCode#UNAVAILABLE}. See docs/REGISTRY.md for the key layout.
 */
public interface Registry extends AutoCloseable {

  /**
   * Records a new certificate and points {@code cns/<cn>} at it, in one transaction. When the
   * CN's current certificate is active with the same public key, that one becomes
   * {@code superseded} in the same transaction (a re-issue). When it is active with another
   * key, throws {@link RegistryErrorCode#CN_CONFLICT} and nothing is written.
   *
   * <p>Also: an active but expired current certificate is superseded whatever the key; a
   * revoked one with the same key throws {@link RegistryErrorCode#CERTIFICATE_REVOKED} (a
   * revoked key is never certified again) while another key takes the CN; a serial already
   * recorded for another certificate throws {@link RegistryErrorCode#CONTENTION}; the same
   * record issued twice (a retry after a lost answer) answers the first result. A record
   * whose fields break the documented formats throws {@link IllegalArgumentException}.
   */
  IssueResult issue(CertificateRecord certificate);

  /**
   * Issues many certificates with as few transactions as possible (group commit), with the
   * same per-CN guarantee as {@link #issue}. The result list matches the input order; each
   * entry is either the result or the {@link RegistryException} for that certificate.
   */
  List<Outcome<IssueResult>> issueAll(List<CertificateRecord> certificates);

  Optional<CertificateRecord> findCertificate(String serial);

  Optional<CnRecord> findCn(String cn);

  /**
   * Creates or updates {@code devices/<cn>} for the holder of this certificate, in one
   * transaction guarded on the certificate being active and current for its CN. Throws
   * {@link RegistryErrorCode#CERTIFICATE_UNKNOWN} (absent, or fingerprint differs),
   * {@code CERTIFICATE_SUPERSEDED} or {@code CERTIFICATE_REVOKED}.
   */
  RegistrationResult register(String serial, String certificateFingerprint, String remoteAddress,
      Map<String, String> attributes, Instant now);

  /**
   * Registers many devices with as few etcd calls as possible (group commit), with the same
   * checks and guarantees as {@link #register} for each. The result list matches the input
   * order; each entry is the result or the {@link RegistryException} for that registration.
   */
  List<Outcome<RegistrationResult>> registerAll(List<RegistrationRequest> requests);

  Optional<DeviceRecord> findDevice(String cn);

  /**
   * Up to {@code limit} (1 to 1000) devices in CN order, starting after the CN {@code after};
   * pass the page's {@code nextAfter} to read the next page.
   */
  DevicePage listDevices(Optional<String> after, int limit);

  /** Marks the certificate revoked; the CN index keeps pointing at it. */
  CertificateRecord revoke(String serial);

  /**
   * Opens this server instance's lease for presence keys ({@code ttl} at least 2 s, rounded
   * up to whole seconds). Never fails because etcd is away: the lease is then granted in the
   * background.
   */
  Presence openPresence(String serverId, java.time.Duration ttl);

  Optional<PresenceRecord> findPresence(String cn);

  /** Writes {@code lastseen/<cn>} for each entry, in transactions of at most 128 operations. */
  void recordLastSeen(Map<String, Instant> lastSeen);

  Optional<Instant> findLastSeen(String cn);

  /**
   * Calls {@code listener} with every certificate record that changes status after this call
   * (that is, every record written with a status other than active: records are born active),
   * on one thread of the registry's, in commit order, resuming by itself after etcd outages.
   * Closing the returned handle stops the watch.
   */
  AutoCloseable watchCertificates(Consumer<CertificateRecord> listener);

  /** Throws {@link RegistryErrorCode#UNAVAILABLE} unless etcd answers a read in time. */
  void checkHealth();

  /** Closes every presence and watch opened through this registry, then the connection. */
  @Override
  void close();

  /** A result or the exception of one item of a batch. */
  record Outcome<T>(T value, RegistryException error) {

    public static <T> Outcome<T> ok(T value) {
      return new Outcome<>(value, null);
    }

    public static <T> Outcome<T> failed(RegistryException error) {
      return new Outcome<>(null, error);
    }

    public boolean succeeded() {
      return error == null;
    }
  }
}
