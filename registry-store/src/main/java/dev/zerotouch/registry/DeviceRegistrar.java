package dev.zerotouch.registry;

import static net.logstash.logback.argument.StructuredArguments.kv;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.PutOption;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registering a device and revoking a certificate: read the certificate (and the device),
 * check, then commit guarded on the revisions read so that a revocation or re-issue that
 * lands in between makes the transaction fail and the check run again.
 */
final class DeviceRegistrar {

  private static final Logger LOG = LoggerFactory.getLogger(DeviceRegistrar.class);

  private final EtcdKv kv;
  private final Keys keys;

  DeviceRegistrar(EtcdKv kv, Keys keys) {
    this.kv = kv;
    this.keys = keys;
  }

  RegistrationResult register(String serial, String certificateFingerprint, String remoteAddress,
      Map<String, String> attributes, Instant now) {
    Objects.requireNonNull(now, "now");
    Map<String, String> attributesCopy = attributes == null ? Map.of() : Map.copyOf(attributes);
    if (!Keys.isSerial(serial)) {
      throw unknown(serial);
    }

    for (int attempt = 1; attempt <= Issuer.MAX_ATTEMPTS; attempt++) {
      KeyValue certEntry = kv.get(keys.cert(serial), "read the certificate").orElseThrow(
          () -> unknown(serial));
      CertificateRecord certificate = Json.decode(certEntry, CertificateRecord.class);
      requireUsable(certificate, certificateFingerprint);
      ByteSequence deviceKey = keys.device(certificate.cn());
      Optional<KeyValue> deviceEntry = kv.get(deviceKey, "read the device");

      Optional<DeviceRecord> previous = deviceEntry.map(e -> Json.decode(e, DeviceRecord.class));
      DeviceRecord device = previous
          .map(old -> new DeviceRecord(certificate.cn(), old.firstRegisteredAt(), now,
              old.registrationCount() + 1, serial, remoteAddress, attributesCopy))
          .orElseGet(() -> new DeviceRecord(certificate.cn(), now, now, 1, serial,
              remoteAddress, attributesCopy));
      Cmp certUnchanged = new Cmp(keys.cert(serial), Cmp.Op.EQUAL,
          CmpTarget.modRevision(certEntry.getModRevision()));
      Cmp deviceUnchanged = deviceEntry.isPresent()
          ? new Cmp(deviceKey, Cmp.Op.EQUAL,
              CmpTarget.modRevision(deviceEntry.get().getModRevision()))
          : new Cmp(deviceKey, Cmp.Op.EQUAL, CmpTarget.createRevision(0));
      Op put = Op.put(deviceKey, Json.encode(device), PutOption.DEFAULT);
      if (kv.commit(List.of(certUnchanged, deviceUnchanged), List.of(put), "record the device")) {
        LOG.debug("device recorded {} {} {}", kv("cn", device.cn()), kv("serial", serial),
            kv("count", device.registrationCount()));
        return new RegistrationResult(device, previous.isEmpty());
      }
      LOG.debug("registration lost a race, reading again {} {} {}", kv("cn", certificate.cn()),
          kv("serial", serial), kv("attempt", attempt));
    }
    throw new RegistryException(RegistryErrorCode.CONTENTION, "certificate " + serial
        + " or its device changed under " + Issuer.MAX_ATTEMPTS + " attempts to register;"
        + " try again");
  }

  CertificateRecord revoke(String serial) {
    if (!Keys.isSerial(serial)) {
      throw unknown(serial);
    }

    for (int attempt = 1; attempt <= Issuer.MAX_ATTEMPTS; attempt++) {
      KeyValue entry = kv.get(keys.cert(serial), "read the certificate").orElseThrow(
          () -> unknown(serial));
      CertificateRecord certificate = Json.decode(entry, CertificateRecord.class);
      if (certificate.status() == CertificateStatus.REVOKED) {
        return certificate;
      }

      CertificateRecord revoked = certificate.withStatus(CertificateStatus.REVOKED);
      Cmp unchanged = new Cmp(keys.cert(serial), Cmp.Op.EQUAL,
          CmpTarget.modRevision(entry.getModRevision()));
      Op put = Op.put(keys.cert(serial), Json.encode(revoked), PutOption.DEFAULT);
      if (kv.commit(List.of(unchanged), List.of(put), "revoke the certificate")) {
        LOG.debug("certificate revoked {} {}", kv("cn", revoked.cn()), kv("serial", serial));
        return revoked;
      }
    }
    throw new RegistryException(RegistryErrorCode.CONTENTION, "certificate " + serial
        + " changed under " + Issuer.MAX_ATTEMPTS + " attempts to revoke it; try again");
  }

  private static void requireUsable(CertificateRecord certificate, String fingerprint) {
    if (!certificate.fingerprint().equals(fingerprint)) {
      throw new RegistryException(RegistryErrorCode.CERTIFICATE_UNKNOWN, "certificate "
          + certificate.serial() + " in the registry has another fingerprint than the one"
          + " presented; it was not issued by this registry's CA");
    }
    if (certificate.status() == CertificateStatus.SUPERSEDED) {
      throw new RegistryException(RegistryErrorCode.CERTIFICATE_SUPERSEDED, "certificate "
          + certificate.serial() + " for cn " + certificate.cn() + " was replaced by a newer"
          + " one; use the newest certificate");
    }
    if (certificate.status() == CertificateStatus.REVOKED) {
      throw new RegistryException(RegistryErrorCode.CERTIFICATE_REVOKED, "certificate "
          + certificate.serial() + " for cn " + certificate.cn() + " was revoked");
    }
  }

  private static RegistryException unknown(String serial) {
    return new RegistryException(RegistryErrorCode.CERTIFICATE_UNKNOWN, "certificate " + serial
        + " is not in the registry");
  }
}
