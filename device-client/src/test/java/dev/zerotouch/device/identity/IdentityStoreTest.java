package dev.zerotouch.device.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.zerotouch.device.DeviceErrorCode;
import dev.zerotouch.device.DeviceException;
import dev.zerotouch.device.testing.TestCa;
import dev.zerotouch.protocol.pki.KeyType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class IdentityStoreTest {
  private static TestCa ca;
  private static KeyPair rsaKey;

  @TempDir
  Path root;

  @BeforeAll
  static void makeKeys() {
    ca = new TestCa();
    rsaKey = KeyType.RSA_2048.generate();
  }

  private IdentityStore store() {
    return new IdentityStore(root.resolve("device-identity"));
  }

  private DeviceIdentity provisioned(IdentityStore store, String deviceId, KeyPair keyPair) {
    PendingIdentity pending = store.stage(deviceId, keyPair);
    return store.complete(pending, ca.issue(deviceId, keyPair.getPublic()),
        List.of(ca.certificate()));
  }

  @Test
  void aNewStoreHoldsNothing() {
    assertThat(store().state()).isEqualTo(IdentityStore.State.ABSENT);
  }

  @Test
  void completedIdentityIsOwnerOnlyAndTheStagingDirectoryIsGone() throws IOException {
    IdentityStore store = store();

    provisioned(store, "sensor-1", rsaKey);

    Path dir = store.directory();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)))
        .isEqualTo("rwx------");
    assertThat(PosixFilePermissions.toString(
        Files.getPosixFilePermissions(dir.resolve(IdentityStore.KEY_FILE))))
        .isEqualTo("rw-------");
    try (var files = Files.list(dir)) {
      assertThat(files.map(file -> file.getFileName().toString()))
          .containsExactlyInAnyOrder("device.key", "device.pem", "ca.pem", "device-id");
    }
    assertThat(Files.readString(dir.resolve(IdentityStore.KEY_FILE)))
        .startsWith("-----BEGIN PRIVATE KEY-----");
    assertThat(store.stagingDirectory()).doesNotExist();
    assertThat(store.state()).isEqualTo(IdentityStore.State.COMPLETE);
  }

  @Test
  void loadReturnsWhatWasSaved() {
    IdentityStore store = store();
    DeviceIdentity saved = provisioned(store, "sensor-1", rsaKey);

    DeviceIdentity loaded = new IdentityStore(store.directory()).load();

    assertThat(loaded.deviceId()).isEqualTo("sensor-1");
    assertThat(loaded.certificate()).isEqualTo(saved.certificate());
    assertThat(loaded.caChain()).containsExactly(ca.certificate());
    assertThat(loaded.privateKey().getEncoded()).isEqualTo(rsaKey.getPrivate().getEncoded());
  }

  @ParameterizedTest
  @EnumSource(KeyType.class)
  void aStagedKeyIsPendingAndResumesWithTheSamePublicKey(KeyType keyType) throws IOException {
    IdentityStore store = store();
    KeyPair keyPair = keyType == KeyType.RSA_2048 ? rsaKey : keyType.generate();

    store.stage("sensor-2", keyPair);
    PendingIdentity resumed = new IdentityStore(store.directory()).loadPending();

    assertThat(store.state()).isEqualTo(IdentityStore.State.PENDING);
    assertThat(store.directory()).doesNotExist();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(
        store.stagingDirectory().resolve(IdentityStore.KEY_FILE)))).isEqualTo("rw-------");
    assertThat(resumed.deviceId()).isEqualTo("sensor-2");
    assertThat(resumed.keyPair().getPublic().getEncoded())
        .isEqualTo(keyPair.getPublic().getEncoded());
  }

  @Test
  void aStagingDirectoryWithoutKeyIsClearedAndProvisioningStartsOver() throws IOException {
    IdentityStore store = store();
    Files.createDirectory(store.stagingDirectory());
    Files.writeString(store.stagingDirectory().resolve(IdentityStore.ID_FILE), "old-id\n");
    Files.writeString(store.stagingDirectory().resolve("device.key.partial"), "-----BEGIN");

    IdentityStore.State before = store.state();
    provisioned(store, "sensor-3", rsaKey);

    assertThat(before).isEqualTo(IdentityStore.State.ABSENT);
    assertThat(store.load().deviceId()).isEqualTo("sensor-3");
  }

  @Test
  void anEmptyExistingDirectoryCountsAsNoIdentityAndReceivesOne() throws IOException {
    IdentityStore store = store();
    Files.createDirectory(store.directory());

    IdentityStore.State before = store.state();
    provisioned(store, "sensor-4", rsaKey);

    assertThat(before).isEqualTo(IdentityStore.State.ABSENT);
    assertThat(store.load().deviceId()).isEqualTo("sensor-4");
  }

  @Test
  void aCorruptKeyIsReportedWithWhatToDoAndNothingIsTouched() throws IOException {
    IdentityStore store = store();
    provisioned(store, "sensor-5", rsaKey);
    Path key = store.directory().resolve(IdentityStore.KEY_FILE);
    Files.writeString(key, "-----BEGIN PRIVATE KEY-----\nnot base64 at all\n"
        + "-----END PRIVATE KEY-----\n");
    byte[] before = Files.readAllBytes(key);

    assertThatThrownBy(store::load)
        .isInstanceOfSatisfying(DeviceException.class,
            e -> assertThat(e.code()).isEqualTo(DeviceErrorCode.IDENTITY_CORRUPT))
        .hasMessageContaining("device.key is not a readable private key")
        .hasMessageContaining("Nothing was changed. Move " + store.directory()
            + " away (or remove it) and run again");
    assertThat(Files.readAllBytes(key)).isEqualTo(before);
  }

  @Test
  void aMissingCertificateIsReported() throws IOException {
    IdentityStore store = store();
    provisioned(store, "sensor-6", rsaKey);
    Files.delete(store.directory().resolve(IdentityStore.CERT_FILE));

    assertThatThrownBy(store::load).hasMessageContaining("device.pem is missing");
  }

  @Test
  void aCertificateForAnotherKeyIsReported() throws IOException {
    IdentityStore store = store();
    provisioned(store, "sensor-7", rsaKey);
    KeyPair other = KeyType.EC_P256.generate();
    Files.writeString(store.directory().resolve(IdentityStore.CERT_FILE),
        dev.zerotouch.protocol.pki.Pem.certificate(ca.issue("sensor-7", other.getPublic())));

    assertThatThrownBy(store::load)
        .hasMessageContaining("device.pem was not issued for the key in device.key");
  }

  @Test
  void aDeviceIdThatDisagreesWithTheCertificateIsReported() throws IOException {
    IdentityStore store = store();
    provisioned(store, "sensor-8", rsaKey);
    Files.writeString(store.directory().resolve(IdentityStore.ID_FILE), "sensor-9\n");

    assertThatThrownBy(store::load)
        .hasMessageContaining("device.pem is for device 'sensor-8' but device-id says 'sensor-9'");
  }

  @Test
  void anExpiredCertificateIsReportedWithItsExpiry() {
    IdentityStore store = store();
    DeviceIdentity identity = provisioned(store, "sensor-12", rsaKey);
    Instant later = identity.notAfter().plusSeconds(1);

    IdentityStore tomorrow = new IdentityStore(store.directory(),
        Clock.fixed(later, ZoneOffset.UTC));

    assertThatThrownBy(tomorrow::load)
        .hasMessageContaining("device.pem expired at " + identity.notAfter())
        .hasMessageContaining("run again to provision a new identity");
  }

  @Test
  void aFileInPlaceOfTheDirectoryIsReported() throws IOException {
    IdentityStore store = store();
    Files.writeString(store.directory(), "not a directory", StandardCharsets.UTF_8);

    assertThatThrownBy(store::load).hasMessageContaining("it is not a directory");
  }

  @Test
  void aCorruptStagedKeySuggestsStartingOver() throws IOException {
    IdentityStore store = store();
    store.stage("sensor-10", rsaKey);
    Files.writeString(store.stagingDirectory().resolve(IdentityStore.KEY_FILE), "garbage");

    assertThatThrownBy(store::loadPending)
        .hasMessageContaining("device.key is not a readable private key")
        .hasMessageContaining("Remove " + store.stagingDirectory() + " and run again");
  }

  @Test
  void identitiesNeverPrintTheirKey() {
    DeviceIdentity identity = provisioned(store(), "sensor-11", rsaKey);

    assertThat(identity.toString()).doesNotContain("private").contains("sensor-11");
    assertThat(new PendingIdentity("sensor-11", rsaKey).toString())
        .isEqualTo("PendingIdentity[deviceId=sensor-11, algorithm=RSA]");
  }
}
