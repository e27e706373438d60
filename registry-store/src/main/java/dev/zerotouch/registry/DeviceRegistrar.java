package dev.zerotouch.registry;

import static net.logstash.logback.argument.StructuredArguments.kv;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.PutOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registering a device and revoking a certificate: read the certificate (and the device),
 * check, then commit guarded on the revisions read so that a revocation or re-issue that
 * lands in between makes the transaction fail and the check run again. {@link #registerAll}
 * does the same for many devices with one read of their certificates and devices (the devices
 * whose requests carry the CN are read with their certificates; the others after them) and
 * one transaction per {@link #REGISTRATIONS_PER_TXN} (group commit).
 */
final class DeviceRegistrar {

  private static final Logger LOG = LoggerFactory.getLogger(DeviceRegistrar.class);

  /** A registration has two compares (certificate, device) and one put. */
  private static final int REGISTRATIONS_PER_TXN = EtcdKv.MAX_TXN_OPS / 2;

  private final EtcdKv kv;
  private final Keys keys;

  DeviceRegistrar(EtcdKv kv, Keys keys) {
    this.kv = kv;
    this.keys = keys;
  }

  RegistrationResult register(String serial, String certificateFingerprint, String remoteAddress,
      Map<String, String> attributes, Instant now) {
    RegistrationRequest request = new RegistrationRequest(serial, certificateFingerprint,
        remoteAddress, attributes, Objects.requireNonNull(now, "now"));
    if (!Keys.isSerial(serial)) {
      throw unknown(serial);
    }

    for (int attempt = 1; attempt <= Issuer.MAX_ATTEMPTS; attempt++) {
      KeyValue certEntry = kv.get(keys.cert(serial), "read the certificate").orElseThrow(
          () -> unknown(serial));
      CertificateRecord certificate = Json.decode(certEntry, CertificateRecord.class);
      requireUsable(certificate, certificateFingerprint);
      Optional<KeyValue> deviceEntry = kv.get(keys.device(certificate.cn()), "read the device");

      Plan plan = plan(request, certEntry, certificate, deviceEntry);
      if (kv.commit(plan.compares(), List.of(plan.put()), "record the device")) {
        LOG.debug("device recorded {} {} {}", kv("cn", certificate.cn()), kv("serial", serial),
            kv("attempt", attempt));
        return plan.result();
      }
      LOG.debug("registration lost a race, reading again {} {} {}", kv("cn", certificate.cn()),
          kv("serial", serial), kv("attempt", attempt));
    }
    throw new RegistryException(RegistryErrorCode.CONTENTION, "certificate " + serial
        + " or its device changed under " + Issuer.MAX_ATTEMPTS + " attempts to register;"
        + " try again");
  }

  /**
   * Registers many devices together: one read of their certificates and devices, then one
   * guarded transaction per {@link #REGISTRATIONS_PER_TXN}. A round takes at most
   * one request per serial and per CN (later ones wait for the next round, so that they see
   * its result); a transaction whose guard fails (a revocation or re-issue landed in between)
   * is redone one registration at a time through {@link #register}. The answer matches the
   * input order; when etcd is unavailable every item not yet committed fails with
   * {@link RegistryErrorCode#UNAVAILABLE}.
   */
  List<Registry.Outcome<RegistrationResult>> registerAll(List<RegistrationRequest> requests) {
    List<Registry.Outcome<RegistrationResult>> outcomes = new ArrayList<>(requests.size());
    List<Integer> pending = new ArrayList<>();
    for (int i = 0; i < requests.size(); i++) {
      RegistrationRequest request = requests.get(i);
      Objects.requireNonNull(request.now(), "now");
      outcomes.add(Keys.isSerial(request.serial()) ? null
          : Registry.Outcome.failed(unknown(request.serial())));
      if (outcomes.get(i) == null) {
        pending.add(i);
      }
    }

    Rounds.untilDecided(pending, outcomes, left -> round(requests, left, outcomes));
    return outcomes;
  }

  /** Reads, decides and commits one round; answers the items left for the next one. */
  private List<Integer> round(List<RegistrationRequest> requests, List<Integer> pending,
      List<Registry.Outcome<RegistrationResult>> outcomes) {
    List<Integer> later = new ArrayList<>();
    List<Integer> round = new ArrayList<>();
    Set<String> serials = new HashSet<>();
    for (int i : pending) {
      (serials.add(requests.get(i).serial()) ? round : later).add(i);
    }

    Reads reads = Reads.of(round.stream().map(requests::get).toList(), keys, kv);
    List<Integer> usable = new ArrayList<>();
    List<KeyValue> usableEntries = new ArrayList<>();
    List<CertificateRecord> certificates = new ArrayList<>();
    List<Optional<KeyValue>> deviceEntries = new ArrayList<>();
    List<Integer> unreadDevices = new ArrayList<>();
    Set<String> cns = new HashSet<>();
    for (int k = 0; k < round.size(); k++) {
      int index = round.get(k);
      try {
        KeyValue entry = reads.certificate(k).orElseThrow(
            () -> unknown(requests.get(index).serial()));
        CertificateRecord certificate = Json.decode(entry, CertificateRecord.class);
        requireUsable(certificate, requests.get(index).certificateFingerprint());
        if (!cns.add(certificate.cn())) {
          later.add(index);
          continue;
        }
        usable.add(index);
        usableEntries.add(entry);
        certificates.add(certificate);
        boolean deviceRead = reads.readDeviceOf(k, certificate.cn());
        if (!deviceRead) {
          unreadDevices.add(deviceEntries.size());
        }
        deviceEntries.add(deviceRead ? reads.device(k) : Optional.empty());
      } catch (RegistryException refused) {
        outcomes.set(index, Registry.Outcome.failed(refused));
      }
    }
    if (usable.isEmpty()) {
      return later;
    }

    readDevices(unreadDevices, certificates, deviceEntries);
    List<Integer> planned = new ArrayList<>();
    List<Plan> plans = new ArrayList<>();
    for (int k = 0; k < usable.size(); k++) {
      int index = usable.get(k);
      try {
        plans.add(plan(requests.get(index), usableEntries.get(k), certificates.get(k),
            deviceEntries.get(k)));
        planned.add(index);
      } catch (RegistryException corrupt) {
        outcomes.set(index, Registry.Outcome.failed(corrupt));
      }
    }
    for (int from = 0; from < plans.size(); from += REGISTRATIONS_PER_TXN) {
      int to = Math.min(plans.size(), from + REGISTRATIONS_PER_TXN);
      commitGroup(requests, planned.subList(from, to), plans.subList(from, to), outcomes);
    }
    return later;
  }

  /**
   * Reads the devices {@code unread} (positions in {@code deviceEntries}) that were not read
   * with their certificates: no CN given, or not the one the certificate names.
   */
  private void readDevices(List<Integer> unread, List<CertificateRecord> certificates,
      List<Optional<KeyValue>> deviceEntries) {
    if (unread.isEmpty()) {
      return;
    }
    List<Optional<KeyValue>> read = kv.getAll(unread.stream()
        .map(k -> keys.device(certificates.get(k).cn())).toList(), "read the devices");
    for (int m = 0; m < unread.size(); m++) {
      deviceEntries.set(unread.get(m), read.get(m));
    }
  }

  private void commitGroup(List<RegistrationRequest> requests, List<Integer> indexes,
      List<Plan> plans, List<Registry.Outcome<RegistrationResult>> outcomes) {
    List<Cmp> compares = new ArrayList<>();
    List<Op> puts = new ArrayList<>();
    for (Plan plan : plans) {
      compares.addAll(plan.compares());
      puts.add(plan.put());
    }
    if (kv.commit(compares, puts, "record the devices")) {
      LOG.debug("devices recorded together {}", kv("count", plans.size()));
      for (int k = 0; k < plans.size(); k++) {
        outcomes.set(indexes.get(k), Registry.Outcome.ok(plans.get(k).result()));
      }
      return;
    }

    LOG.debug("group registration lost a race, registering one by one {}",
        kv("count", plans.size()));
    for (int index : indexes) {
      RegistrationRequest request = requests.get(index);
      try {
        outcomes.set(index, Registry.Outcome.ok(register(request.serial(),
            request.certificateFingerprint(), request.remoteAddress(), request.attributes(),
            request.now())));
      } catch (RegistryException e) {
        if (e.code() == RegistryErrorCode.UNAVAILABLE) {
          throw e;
        }
        outcomes.set(index, Registry.Outcome.failed(e));
      }
    }
  }

  /**
   * The device record this registration writes, guarded on the certificate and the device
   * being as they were read.
   */
  private Plan plan(RegistrationRequest request, KeyValue certEntry,
      CertificateRecord certificate, Optional<KeyValue> deviceEntry) {
    Map<String, String> attributes = request.attributes() == null ? Map.of()
        : Map.copyOf(request.attributes());
    ByteSequence deviceKey = keys.device(certificate.cn());
    Optional<DeviceRecord> previous = deviceEntry.map(e -> Json.decode(e, DeviceRecord.class));
    Instant now = request.now();
    DeviceRecord device = previous
        .map(old -> new DeviceRecord(certificate.cn(), old.firstRegisteredAt(), now,
            old.registrationCount() + 1, request.serial(), request.remoteAddress(), attributes))
        .orElseGet(() -> new DeviceRecord(certificate.cn(), now, now, 1, request.serial(),
            request.remoteAddress(), attributes));

    Cmp certUnchanged = new Cmp(keys.cert(request.serial()), Cmp.Op.EQUAL,
        CmpTarget.modRevision(certEntry.getModRevision()));
    Cmp deviceUnchanged = deviceEntry.isPresent()
        ? new Cmp(deviceKey, Cmp.Op.EQUAL,
            CmpTarget.modRevision(deviceEntry.get().getModRevision()))
        : new Cmp(deviceKey, Cmp.Op.EQUAL, CmpTarget.createRevision(0));
    Op put = Op.put(deviceKey, Json.encode(device), PutOption.DEFAULT);
    return new Plan(List.of(certUnchanged, deviceUnchanged), put,
        new RegistrationResult(device, previous.isEmpty()));
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

  /** The transaction part of one registration and what it answers once committed. */
  private record Plan(List<Cmp> compares, Op put, RegistrationResult result) {
  }

  private static RegistryException unknown(String serial) {
    return new RegistryException(RegistryErrorCode.CERTIFICATE_UNKNOWN, "certificate " + serial
        + " is not in the registry");
  }

  /**
   * One etcd read of a round's certificates, and of the devices their requests name: entry
   * {@code k} of the round is the certificate, followed by its device when the request
   * carries a valid CN.
   */
  private record Reads(List<RegistrationRequest> round, List<Optional<KeyValue>> entries,
      int[] certificateAt) {

    static Reads of(List<RegistrationRequest> round, Keys keys, EtcdKv kv) {
      List<ByteSequence> wanted = new ArrayList<>();
      int[] certificateAt = new int[round.size()];
      for (int k = 0; k < round.size(); k++) {
        RegistrationRequest request = round.get(k);
        certificateAt[k] = wanted.size();
        wanted.add(keys.cert(request.serial()));
        if (Keys.isCn(request.cn())) {
          wanted.add(keys.device(request.cn()));
        }
      }
      return new Reads(round, kv.getAll(wanted, "read the certificates and devices"),
          certificateAt);
    }

    Optional<KeyValue> certificate(int k) {
      return entries.get(certificateAt[k]);
    }

    /** Whether the device read for request {@code k} is the device {@code cn}. */
    boolean readDeviceOf(int k, String cn) {
      return Keys.isCn(round.get(k).cn()) && cn.equals(round.get(k).cn());
    }

    /** The device read for request {@code k}, which {@link #readDeviceOf} said was read. */
    Optional<KeyValue> device(int k) {
      return entries.get(certificateAt[k] + 1);
    }
  }
}
