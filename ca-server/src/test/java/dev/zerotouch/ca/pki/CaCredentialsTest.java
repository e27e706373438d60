package dev.zerotouch.ca.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.zerotouch.ca.CaErrorCode;
import dev.zerotouch.ca.CaException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CaCredentialsTest {
  @TempDir
  Path dir;

  @Test
  void devPkiLoadsWithBouncyCastleEcdsaSigning() throws Exception {
    init(dir, CaKeyType.EC256);

    CaCredentials credentials = load(dir.resolve("ca.key"), dir.resolve("ca.pem"),
        Instant.now());

    assertThat(credentials.signatureAlgorithm()).isEqualTo("SHA256withECDSA");
    assertThat(credentials.signingProvider()).isSameAs(Providers.BOUNCY_CASTLE);
    assertThat(credentials.chain()).hasSize(1);
    assertThat(credentials.chainPem()).startsWith("-----BEGIN CERTIFICATE-----");
  }

  @Test
  void rsaCaSignsWithTheJdkProvider() throws Exception {
    init(dir, CaKeyType.RSA2048);

    CaCredentials credentials = load(dir.resolve("ca.key"), dir.resolve("ca.pem"),
        Instant.now());

    assertThat(credentials.signatureAlgorithm()).isEqualTo("SHA256withRSA");
    assertThat(credentials.signingProvider()).isNull();
  }

  @Test
  void missingKeyIsRefusedNamingTheFileAndTheSetting() {
    assertRefused(dir.resolve("ca.key"), dir.resolve("ca.pem"), Instant.now(),
        "does not exist", "ZT_CA_KEY");
  }

  @Test
  void keyOfAnotherCaIsRefusedAsMismatched() throws Exception {
    init(dir.resolve("a"), CaKeyType.EC256);
    init(dir.resolve("b"), CaKeyType.EC256);

    assertRefused(dir.resolve("a/ca.key"), dir.resolve("b/ca.pem"), Instant.now(),
        "does not belong to the certificate");
  }

  @Test
  void groupReadableKeyIsRefused() throws Exception {
    init(dir, CaKeyType.EC256);
    Files.setPosixFilePermissions(dir.resolve("ca.key"),
        PosixFilePermissions.fromString("rw-r-----"));

    assertRefused(dir.resolve("ca.key"), dir.resolve("ca.pem"), Instant.now(),
        "accessible by group or others", "chmod 600");
  }

  @Test
  void serverCertificateIsRefusedAsNotACa() throws Exception {
    init(dir, CaKeyType.EC256);

    assertRefused(dir.resolve("server.key"), dir.resolve("server.pem"), Instant.now(),
        "is not a CA certificate");
  }

  @Test
  void expiredCaIsRefused() throws Exception {
    init(dir, CaKeyType.EC256);

    assertRefused(dir.resolve("ca.key"), dir.resolve("ca.pem"),
        Instant.now().plus(Duration.ofDays(3651)), "expired");
  }

  @Test
  void certificateFileThatIsNotPemIsRefused() throws Exception {
    init(dir, CaKeyType.EC256);
    Files.delete(dir.resolve("ca.pem"));
    Files.writeString(dir.resolve("ca.pem"), "hello");

    assertThatThrownBy(() -> load(dir.resolve("ca.key"), dir.resolve("ca.pem"), Instant.now()))
        .isInstanceOfSatisfying(CaException.class,
            e -> assertThat(e.code()).isEqualTo(CaErrorCode.CA_CREDENTIALS));
  }

  private static void init(Path directory, CaKeyType type) throws Exception {
    new DevPki().create(directory, type, CaKeyType.EC256, Instant.now());
  }

  private static CaCredentials load(Path key, Path cert, Instant now) {
    return CaCredentials.load(key, cert, now);
  }

  private static void assertRefused(Path key, Path cert, Instant now, String... fragments) {
    assertThatThrownBy(() -> load(key, cert, now))
        .isInstanceOfSatisfying(CaException.class, e -> {
          assertThat(e.code()).isEqualTo(CaErrorCode.CA_CREDENTIALS);
          assertThat(e.getMessage()).contains(fragments);
        });
  }
}
