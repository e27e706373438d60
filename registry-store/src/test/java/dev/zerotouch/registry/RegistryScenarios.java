package dev.zerotouch.registry;

import static dev.zerotouch.registry.TestCertificates.certificate;
import static dev.zerotouch.registry.TestCertificates.newKey;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.options.GetOption;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The registry's behaviour against a real etcd, run by each subclass against its own etcd
 * (a process from the PATH, or the official image through Testcontainers). Every test works
 * under a key prefix of its own.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
abstract class RegistryScenarios {

  private static final ObjectMapper JSON = new ObjectMapper();

  protected Registry registry;
  protected RegistryConfig config;
  private Client raw;

  /** A config for a fresh prefix on this class's etcd. */
  protected abstract RegistryConfig newConfig();

  @BeforeEach
  void connect() {
    config = newConfig();
    registry = EtcdRegistry.connect(config);
    raw = Client.builder().endpoints(config.endpoints().toArray(String[]::new)).build();
  }

  @AfterEach
  void disconnect() {
    registry.close();
    raw.close();
  }

  @Test
  void issuedCertificateIsFoundBySerialAndItsCnPointsToIt() {
    CertificateRecord issued = certificate("sensor-1");

    IssueResult result = registry.issue(issued);

    assertThat(result.certificate()).isEqualTo(issued);
    assertThat(result.supersededSerial()).isEmpty();
    assertThat(registry.findCertificate(issued.serial())).contains(issued);
    assertThat(registry.findCn("sensor-1"))
        .contains(new CnRecord(issued.serial(), issued.publicKeyFingerprint()));
  }

  @Test
  void lookupsOfAbsentOrMalformedNamesFindNothing() {
    assertThat(registry.findCertificate("abc123")).isEmpty();
    assertThat(registry.findCertificate("../cns/x")).isEmpty();
    assertThat(registry.findCn("nobody")).isEmpty();
    assertThat(registry.findDevice("a/b")).isEmpty();
    assertThat(registry.findPresence("nobody")).isEmpty();
    assertThat(registry.findLastSeen("nobody")).isEmpty();
  }

  @Test
  void valuesAreJsonWithTheDocumentedSnakeCaseFields() throws Exception {
    CertificateRecord issued = certificate("meter-7");
    registry.issue(issued);
    registry.register(issued.serial(), issued.fingerprint(), "10.0.0.9:50000",
        Map.of("firmware", "1.2.3"), Instant.parse("2026-01-02T03:04:05Z"));

    JsonNode cert = rawJson("certs/" + issued.serial());
    JsonNode cn = rawJson("cns/meter-7");
    JsonNode device = rawJson("devices/meter-7");

    assertThat(fieldNames(cert)).containsExactlyInAnyOrder("cn", "serial", "fingerprint",
        "public_key_fingerprint", "not_before", "not_after", "status", "issued_at", "pem");
    assertThat(cert.get("status").asText()).isEqualTo("active");
    assertThat(cert.get("not_after").asText()).isEqualTo(issued.notAfter().toString());
    assertThat(fieldNames(cn)).containsExactlyInAnyOrder("serial", "public_key_fingerprint");
    assertThat(fieldNames(device)).containsExactlyInAnyOrder("cn", "first_registered_at",
        "last_registered_at", "registration_count", "serial", "remote_address", "attributes");
    assertThat(device.get("first_registered_at").asText()).isEqualTo("2026-01-02T03:04:05Z");
    assertThat(device.get("attributes").get("firmware").asText()).isEqualTo("1.2.3");
  }

  @Test
  void reissueWithTheSameKeySupersedesTheOldCertificateInTheSameTransaction() {
    String key = newKey();
    CertificateRecord first = certificate("gateway-2", key);
    registry.issue(first);
    long revisionBefore = revision();

    CertificateRecord second = certificate("gateway-2", key);
    IssueResult result = registry.issue(second);

    assertThat(result.supersededSerial()).contains(first.serial());
    assertThat(registry.findCertificate(first.serial()).orElseThrow().status())
        .isEqualTo(CertificateStatus.SUPERSEDED);
    assertThat(registry.findCn("gateway-2").orElseThrow().serial()).isEqualTo(second.serial());
    assertThat(modRevision("certs/" + first.serial()))
        .isEqualTo(modRevision("certs/" + second.serial()))
        .isEqualTo(modRevision("cns/gateway-2"))
        .isEqualTo(revisionBefore + 1);
  }

  @Test
  void anotherKeyForAnActiveCnIsAConflictAndWritesNothing() {
    CertificateRecord holder = certificate("pump-3");
    registry.issue(holder);
    long revisionBefore = revision();

    CertificateRecord intruder = certificate("pump-3");

    assertThatThrownBy(() -> registry.issue(intruder))
        .isInstanceOfSatisfying(RegistryException.class, e -> {
          assertThat(e.code()).isEqualTo(RegistryErrorCode.CN_CONFLICT);
          assertThat(e.retryable()).isFalse();
          assertThat(e.getMessage()).contains("pump-3", holder.serial());
        });
    assertThat(revision()).isEqualTo(revisionBefore);
    assertThat(registry.findCertificate(intruder.serial())).isEmpty();
  }

  @Test
  void anExpiredActiveCertificateNoLongerHoldsItsCn() {
    CertificateRecord fresh = certificate("old-box");
    CertificateRecord expired = new CertificateRecord("old-box", fresh.serial(),
        fresh.fingerprint(), fresh.publicKeyFingerprint(), fresh.notBefore().minus(
        Duration.ofDays(800)), fresh.issuedAt().minus(Duration.ofDays(1)),
        CertificateStatus.ACTIVE, fresh.issuedAt().minus(Duration.ofDays(800)), fresh.pem());
    registry.issue(expired);

    IssueResult result = registry.issue(certificate("old-box"));

    assertThat(result.supersededSerial()).contains(expired.serial());
    assertThat(registry.findCertificate(expired.serial()).orElseThrow().status())
        .isEqualTo(CertificateStatus.SUPERSEDED);
  }

  @Test
  void theSameRecordIssuedTwiceAnswersTheFirstResultAndAnotherOnItsSerialIsContention() {
    CertificateRecord issued = certificate("retry-box");
    registry.issue(issued);
    long revisionBefore = revision();
    CertificateRecord sameSerial = new CertificateRecord("other-box", issued.serial(),
        newKey(), newKey(), issued.notBefore(), issued.notAfter(), CertificateStatus.ACTIVE,
        issued.issuedAt(), issued.pem());

    IssueResult again = registry.issue(issued);

    assertThat(again.certificate()).isEqualTo(issued);
    assertRefused(() -> registry.issue(sameSerial), RegistryErrorCode.CONTENTION);
    assertThat(revision()).isEqualTo(revisionBefore);
  }

  @Test
  void aValueThatIsNotOurJsonIsReportedAsCorrupt() throws Exception {
    raw.getKVClient().put(key("devices/garbled"), ByteSequence.from("not json",
        StandardCharsets.UTF_8)).get(5, TimeUnit.SECONDS);

    assertThatThrownBy(() -> registry.findDevice("garbled"))
        .isInstanceOfSatisfying(RegistryException.class, e -> {
          assertThat(e.code()).isEqualTo(RegistryErrorCode.CORRUPT_VALUE);
          assertThat(e.getMessage()).contains("devices/garbled", "DeviceRecord");
        });
  }

  @Test
  void aCorruptCnIndexFailsOnlyItsOwnItemOfABatch() throws Exception {
    raw.getKVClient().put(key("cns/broken"), ByteSequence.from("{\"serial\": 7",
        StandardCharsets.UTF_8)).get(5, TimeUnit.SECONDS);
    List<CertificateRecord> batch = List.of(certificate("broken"), certificate("intact"));

    List<Registry.Outcome<IssueResult>> outcomes = registry.issueAll(batch);

    assertThat(outcomes.get(0).error().code()).isEqualTo(RegistryErrorCode.CORRUPT_VALUE);
    assertThat(outcomes.get(1).succeeded()).isTrue();
  }

  @Test
  void twoConcurrentIssuancesForOneCnWithDifferentKeysHaveExactlyOneWinner() throws Exception {
    assertExactlyOneWinnerAmong(2, "valve-2");
  }

  @Test
  void twentyConcurrentIssuancesForOneCnWithDifferentKeysHaveExactlyOneWinner()
      throws Exception {
    assertExactlyOneWinnerAmong(20, "valve-20");
  }

  @Test
  void issueAllCommitsMixedCnsTogetherAndLetsOneOfSeveralSameCnRequestsWin() {
    String sharedKey = newKey();
    CertificateRecord held = certificate("held");
    registry.issue(held);
    List<CertificateRecord> batch = List.of(
        certificate("new-a"),
        certificate("dup", sharedKey),
        certificate("held"),
        certificate("dup"),
        certificate("new-b"),
        certificate("dup", sharedKey));

    List<Registry.Outcome<IssueResult>> outcomes = registry.issueAll(batch);

    assertThat(outcomes).hasSize(6);
    assertThat(outcomes.get(0).succeeded()).isTrue();
    assertThat(outcomes.get(1).value().certificate()).isEqualTo(batch.get(1));
    assertThat(outcomes.get(2).error().code()).isEqualTo(RegistryErrorCode.CN_CONFLICT);
    assertThat(outcomes.get(3).error().code()).isEqualTo(RegistryErrorCode.CN_CONFLICT);
    assertThat(outcomes.get(4).succeeded()).isTrue();
    assertThat(outcomes.get(5).value().supersededSerial()).contains(batch.get(1).serial());
    assertThat(registry.findCn("dup").orElseThrow().serial()).isEqualTo(batch.get(5).serial());
    assertThat(registry.findCertificate(batch.get(3).serial())).isEmpty();
    assertThat(registry.findCn("held").orElseThrow().serial()).isEqualTo(held.serial());
  }

  @Test
  void issueAllOfMoreCertificatesThanOneTransactionHoldsRecordsEveryOne() {
    List<CertificateRecord> batch = IntStream.range(0, 150)
        .mapToObj(i -> certificate("bulk-" + i)).toList();

    List<Registry.Outcome<IssueResult>> outcomes = registry.issueAll(batch);

    assertThat(outcomes).allMatch(Registry.Outcome::succeeded);
    assertThat(registry.findCn("bulk-149").orElseThrow().serial())
        .isEqualTo(batch.get(149).serial());
  }

  @Test
  void firstRegistrationCreatesTheDeviceAndTheNextOneUpdatesIt() {
    CertificateRecord issued = certificate("thermo-4");
    registry.issue(issued);
    Instant first = Instant.parse("2026-03-01T10:00:00Z");
    Instant second = first.plus(Duration.ofHours(1));

    RegistrationResult created = registry.register(issued.serial(), issued.fingerprint(),
        "192.0.2.1:40000", Map.of("fw", "1"), first);
    RegistrationResult updated = registry.register(issued.serial(), issued.fingerprint(),
        "192.0.2.2:40001", Map.of("fw", "2"), second);

    assertThat(created.firstRegistration()).isTrue();
    assertThat(updated.firstRegistration()).isFalse();
    assertThat(registry.findDevice("thermo-4")).contains(new DeviceRecord("thermo-4", first,
        second, 2, issued.serial(), "192.0.2.2:40001", Map.of("fw", "2")));
  }

  @Test
  void registerAllRecordsEveryDeviceAndRefusesOnlyTheBadItems() {
    List<CertificateRecord> issued = new ArrayList<>();
    for (int i = 0; i < 150; i++) {
      issued.add(certificate("group-" + i));
    }
    registry.issueAll(issued);
    String revokedSerial = issued.get(3).serial();
    registry.revoke(revokedSerial);
    Instant now = Instant.parse("2026-05-01T08:00:00Z");
    List<RegistrationRequest> requests = new ArrayList<>();
    for (CertificateRecord certificate : issued) {
      // half of them name their CN, so that their devices are read with the certificates
      String cn = requests.size() % 2 == 0 ? certificate.cn() : null;
      requests.add(new RegistrationRequest(certificate.serial(), certificate.fingerprint(),
          "198.51.100.7:1", Map.of("n", certificate.cn()), now, cn));
    }
    requests.add(new RegistrationRequest("abcdef12", issued.get(0).fingerprint(), "r",
        Map.of(), now));
    requests.add(new RegistrationRequest(issued.get(5).serial(), newKey(), "r", Map.of(), now));
    requests.add(new RegistrationRequest("not a serial", "f", "r", Map.of(), now));

    List<Registry.Outcome<RegistrationResult>> outcomes = registry.registerAll(requests);

    assertThat(outcomes).hasSize(153);
    assertThat(outcomes.get(3).error().code()).isEqualTo(RegistryErrorCode.CERTIFICATE_REVOKED);
    assertThat(outcomes.subList(150, 153)).allSatisfy(outcome ->
        assertThat(outcome.error().code()).isEqualTo(RegistryErrorCode.CERTIFICATE_UNKNOWN));
    for (int i = 0; i < 150; i++) {
      if (i == 3) {
        assertThat(registry.findDevice("group-3")).isEmpty();
        continue;
      }
      assertThat(outcomes.get(i).value().firstRegistration()).isTrue();
      assertThat(registry.findDevice("group-" + i)).contains(new DeviceRecord("group-" + i,
          now, now, 1, issued.get(i).serial(), "198.51.100.7:1", Map.of("n", "group-" + i)));
    }
  }

  @Test
  void aCorruptDeviceRecordFailsOnlyItsOwnRegistrationOfABatch() throws Exception {
    CertificateRecord broken = certificate("broken-1");
    CertificateRecord fine = certificate("fine-1");
    registry.issueAll(List.of(broken, fine));
    raw.getKVClient().put(key("devices/broken-1"), ByteSequence.from("not json",
        StandardCharsets.UTF_8)).get(5, TimeUnit.SECONDS);
    Instant now = Instant.parse("2026-05-01T08:00:00Z");

    List<Registry.Outcome<RegistrationResult>> outcomes = registry.registerAll(List.of(
        new RegistrationRequest(broken.serial(), broken.fingerprint(), "a", Map.of(), now),
        new RegistrationRequest(fine.serial(), fine.fingerprint(), "b", Map.of(), now)));

    assertThat(outcomes.get(0).error().code()).isEqualTo(RegistryErrorCode.CORRUPT_VALUE);
    assertThat(outcomes.get(1).succeeded()).isTrue();
    assertThat(registry.findDevice("fine-1")).isPresent();
  }

  @Test
  void aCnThatIsNotTheCertificatesRegistersTheCertificatesDeviceAndNoOther() {
    CertificateRecord real = certificate("hint-real");
    CertificateRecord other = certificate("hint-other");
    registry.issue(real);
    registry.issue(other);
    Instant realFirst = Instant.parse("2026-05-01T08:00:00Z");
    Instant otherFirst = Instant.parse("2026-05-01T08:00:01Z");
    // one transaction, so both device records have the same mod revision: a guard on the
    // wrong device's revision would hold, and only the record written tells them apart
    registry.registerAll(List.of(
        new RegistrationRequest(real.serial(), real.fingerprint(), "a", Map.of(), realFirst,
            "hint-real"),
        new RegistrationRequest(other.serial(), other.fingerprint(), "o", Map.of(), otherFirst,
            "hint-other")));

    List<Registry.Outcome<RegistrationResult>> outcomes = registry.registerAll(List.of(
        new RegistrationRequest(real.serial(), real.fingerprint(), "b", Map.of(),
            Instant.parse("2026-05-01T08:00:02Z"), "hint-other")));

    assertThat(outcomes.get(0).value().firstRegistration()).isFalse();
    DeviceRecord device = registry.findDevice("hint-real").orElseThrow();
    assertThat(device.registrationCount()).isEqualTo(2);
    assertThat(device.firstRegisteredAt()).isEqualTo(realFirst);
    assertThat(device.remoteAddress()).isEqualTo("b");
    DeviceRecord untouched = registry.findDevice("hint-other").orElseThrow();
    assertThat(untouched.registrationCount()).isEqualTo(1);
    assertThat(untouched.remoteAddress()).isEqualTo("o");
  }

  @Test
  void registerAllOfOneDeviceTwiceCountsBothRegistrations() {
    CertificateRecord issued = certificate("twice-1");
    registry.issue(issued);
    Instant first = Instant.parse("2026-05-01T08:00:00Z");
    Instant second = first.plusSeconds(1);

    List<Registry.Outcome<RegistrationResult>> outcomes = registry.registerAll(List.of(
        new RegistrationRequest(issued.serial(), issued.fingerprint(), "a", Map.of(), first,
            "twice-1"),
        new RegistrationRequest(issued.serial(), issued.fingerprint(), "b", Map.of(), second,
            "twice-1")));

    assertThat(outcomes).allMatch(Registry.Outcome::succeeded);
    assertThat(outcomes.get(0).value().firstRegistration()).isTrue();
    assertThat(outcomes.get(1).value().firstRegistration()).isFalse();
    assertThat(registry.findDevice("twice-1").orElseThrow().registrationCount()).isEqualTo(2);
    assertThat(registry.findDevice("twice-1").orElseThrow().remoteAddress()).isEqualTo("b");
  }

  @Test
  void registrationIsRefusedForAnUnknownSerialOrAnotherFingerprint() {
    CertificateRecord issued = certificate("cam-5");
    registry.issue(issued);

    assertRefused(() -> registry.register("abcdef12", issued.fingerprint(), "r", Map.of(),
        Instant.now()), RegistryErrorCode.CERTIFICATE_UNKNOWN);
    assertRefused(() -> registry.register(issued.serial(), newKey(), "r", Map.of(),
        Instant.now()), RegistryErrorCode.CERTIFICATE_UNKNOWN);
    assertThat(registry.findDevice("cam-5")).isEmpty();
  }

  @Test
  void registrationIsRefusedForASupersededOrRevokedCertificate() {
    String key = newKey();
    CertificateRecord old = certificate("lock-6", key);
    registry.issue(old);
    CertificateRecord current = certificate("lock-6", key);
    registry.issue(current);
    registry.revoke(current.serial());

    assertRefused(() -> registry.register(old.serial(), old.fingerprint(), "r", Map.of(),
        Instant.now()), RegistryErrorCode.CERTIFICATE_SUPERSEDED);
    assertRefused(() -> registry.register(current.serial(), current.fingerprint(), "r",
        Map.of(), Instant.now()), RegistryErrorCode.CERTIFICATE_REVOKED);
    assertThat(registry.findDevice("lock-6")).isEmpty();
  }

  @Test
  void aRevokedCnIsNeverCertifiedAgainWithTheSameKeyOrANewOne() {
    String key = newKey();
    CertificateRecord revoked = certificate("door-8", key);
    registry.issue(revoked);
    registry.revoke(revoked.serial());

    assertRefused(() -> registry.issue(certificate("door-8", key)),
        RegistryErrorCode.CERTIFICATE_REVOKED);
    assertRefused(() -> registry.issue(certificate("door-8")),
        RegistryErrorCode.CERTIFICATE_REVOKED);

    assertThat(registry.findCertificate(revoked.serial()).orElseThrow().status())
        .isEqualTo(CertificateStatus.REVOKED);
    assertThat(registry.findCn("door-8").orElseThrow().serial()).isEqualTo(revoked.serial());
  }

  @Test
  void revokingMarksTheRecordAndTheWatchDeliversIt() throws Exception {
    CertificateRecord issued = certificate("relay-9");
    registry.issue(issued);
    BlockingQueue<CertificateRecord> seen = new LinkedBlockingQueue<>();

    try (AutoCloseable watch = registry.watchCertificates(seen::add)) {
      CertificateRecord revoked = registry.revoke(issued.serial());

      assertThat(revoked.status()).isEqualTo(CertificateStatus.REVOKED);
      assertThat(seen.poll(10, TimeUnit.SECONDS)).isEqualTo(revoked);
    }
  }

  @Test
  void devicesAreListedInCnOrderPageByPage() {
    for (String cn : List.of("d-c", "d-a", "d-e", "d-b", "d-d")) {
      CertificateRecord issued = certificate(cn);
      registry.issue(issued);
      registry.register(issued.serial(), issued.fingerprint(), "r", Map.of(), Instant.now());
    }

    DevicePage first = registry.listDevices(Optional.empty(), 2);
    DevicePage second = registry.listDevices(first.nextAfter(), 2);
    DevicePage last = registry.listDevices(second.nextAfter(), 2);

    assertThat(first.devices()).extracting(DeviceRecord::cn).containsExactly("d-a", "d-b");
    assertThat(second.devices()).extracting(DeviceRecord::cn).containsExactly("d-c", "d-d");
    assertThat(last.devices()).extracting(DeviceRecord::cn).containsExactly("d-e");
    assertThat(last.nextAfter()).isEmpty();
    assertThatThrownBy(() -> registry.listDevices(Optional.empty(), 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("limit 0");
  }

  @Test
  void lastSeenTimesOfMoreDevicesThanOneTransactionHoldsAreAllWritten() {
    Instant at = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    Map<String, Instant> batch = new java.util.HashMap<>();
    IntStream.range(0, 300).forEach(i -> batch.put("seen-" + i, at.plusMillis(i)));

    registry.recordLastSeen(batch);

    assertThat(registry.findLastSeen("seen-0")).contains(at);
    assertThat(registry.findLastSeen("seen-299")).contains(at.plusMillis(299));
    assertThat(countKeys("lastseen/")).isEqualTo(300);
  }

  private void assertExactlyOneWinnerAmong(int contenders, String cn) throws Exception {
    List<CertificateRecord> requests = IntStream.range(0, contenders)
        .mapToObj(i -> certificate(cn)).toList();
    ExecutorService pool = Executors.newFixedThreadPool(contenders);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<Optional<RegistryException>>> results = new ArrayList<>();
    try {
      for (CertificateRecord request : requests) {
        Callable<Optional<RegistryException>> attempt = () -> {
          start.await();
          try {
            registry.issue(request);
            return Optional.empty();
          } catch (RegistryException e) {
            return Optional.of(e);
          }
        };
        results.add(pool.submit(attempt));
      }
      start.countDown();

      List<RegistryException> losses = new ArrayList<>();
      for (Future<Optional<RegistryException>> result : results) {
        result.get(30, TimeUnit.SECONDS).ifPresent(losses::add);
      }

      assertThat(losses).hasSize(contenders - 1)
          .allSatisfy(e -> assertThat(e.code()).isEqualTo(RegistryErrorCode.CN_CONFLICT));
      String winner = registry.findCn(cn).orElseThrow().serial();
      assertThat(requests).filteredOn(r -> !r.serial().equals(winner))
          .allSatisfy(r -> assertThat(registry.findCertificate(r.serial())).isEmpty());
      assertThat(countKeys("certs/")).isEqualTo(1);
    } finally {
      pool.shutdownNow();
    }
  }

  private static void assertRefused(Runnable call, RegistryErrorCode code) {
    assertThatThrownBy(call::run).isInstanceOfSatisfying(RegistryException.class,
        e -> assertThat(e.code()).isEqualTo(code));
  }

  private JsonNode rawJson(String relative) throws Exception {
    List<KeyValue> kvs = raw.getKVClient().get(key(relative)).get(5, TimeUnit.SECONDS).getKvs();
    assertThat(kvs).as("key %s", relative).hasSize(1);
    return JSON.readTree(kvs.get(0).getValue().toString(StandardCharsets.UTF_8));
  }

  private long modRevision(String relative) {
    try {
      return raw.getKVClient().get(key(relative)).get(5, TimeUnit.SECONDS).getKvs().get(0)
          .getModRevision();
    } catch (Exception e) {
      throw new AssertionError("cannot read " + relative, e);
    }
  }

  private long revision() {
    try {
      return raw.getKVClient().get(key("")).get(5, TimeUnit.SECONDS).getHeader().getRevision();
    } catch (Exception e) {
      throw new AssertionError("cannot read the revision", e);
    }
  }

  private long countKeys(String directory) {
    try {
      GetOption option = GetOption.builder().isPrefix(true).withCountOnly(true).build();
      return raw.getKVClient().get(key(directory), option).get(5, TimeUnit.SECONDS).getCount();
    } catch (Exception e) {
      throw new AssertionError("cannot count " + directory, e);
    }
  }

  private ByteSequence key(String relative) {
    String prefix = config.keyPrefix().endsWith("/") ? config.keyPrefix()
        : config.keyPrefix() + "/";
    return ByteSequence.from(prefix + relative, StandardCharsets.UTF_8);
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
