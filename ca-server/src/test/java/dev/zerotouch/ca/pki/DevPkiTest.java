package dev.zerotouch.ca.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.zerotouch.protocol.pki.Pem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateKey;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DevPkiTest {
  @TempDir
  Path dir;

  @Test
  void initMakesFourFilesWithKeysOwnerOnlyAndCertificatesReadable() throws Exception {
    List<DevPki.FileOutcome> outcomes = create(CaKeyType.EC256);

    assertThat(outcomes).allMatch(DevPki.FileOutcome::created).hasSize(4);
    assertThat(mode("ca.key")).isEqualTo("rw-------");
    assertThat(mode("server.key")).isEqualTo("rw-------");
    assertThat(mode("ca.pem")).isEqualTo("rw-r--r--");
    assertThat(mode("server.pem")).isEqualTo("rw-r--r--");
    assertThat(Pem.readPrivateKey(read("ca.key"))).isInstanceOf(ECPrivateKey.class);
    assertThat(Pem.readPrivateKey(read("server.key"))).isInstanceOf(RSAPrivateKey.class);
    assertThat(dir).isDirectoryNotContaining("glob:**.tmp");
  }

  @Test
  void initAgainKeepsEveryFileUnchanged() throws Exception {
    create(CaKeyType.EC256);
    Map<String, String> before = contents();

    List<DevPki.FileOutcome> outcomes = create(CaKeyType.EC256);

    assertThat(outcomes).noneMatch(DevPki.FileOutcome::created).hasSize(4);
    assertThat(contents()).isEqualTo(before);
    assertThat(mode("ca.key")).isEqualTo("rw-------");
  }

  @Test
  void initFillsInAMissingServerCertificateWithTheExistingCa() throws Exception {
    create(CaKeyType.EC256);
    String caBefore = read("ca.pem");
    Files.delete(dir.resolve("server.pem"));
    Files.delete(dir.resolve("server.key"));

    create(CaKeyType.EC256);

    X509Certificate server = Pem.readCertificates(read("server.pem")).get(0);
    server.verify(Pem.readCertificate(caBefore).getPublicKey());
    assertThat(read("ca.pem")).isEqualTo(caBefore);
  }

  @Test
  void serverCertificateHasTheSansServerAuthAndIsFollowedByTheCa() throws Exception {
    create(CaKeyType.RSA2048);

    List<X509Certificate> chain = Pem.readCertificates(read("server.pem"));
    X509Certificate ca = Pem.readCertificate(read("ca.pem"));

    assertThat(chain).hasSize(2);
    assertThat(chain.get(1)).isEqualTo(ca);
    chain.get(0).verify(ca.getPublicKey());
    assertThat(chain.get(0).getSubjectAlternativeNames())
        .extracting(name -> name.get(1).toString())
        .containsExactlyInAnyOrder("localhost", "registration-server", "127.0.0.1");
    assertThat(chain.get(0).getExtendedKeyUsage())
        .containsExactly(KeyPurposeId.id_kp_serverAuth.getId());
    assertThat(chain.get(0).getBasicConstraints()).isEqualTo(-1);
    assertThat(ca.getBasicConstraints()).isGreaterThanOrEqualTo(0);
    assertThat(Pem.readPrivateKey(read("ca.key"))).isInstanceOf(RSAPrivateKey.class);
  }

  @Test
  void caCertificateWithoutItsKeyIsRefusedAndNothingIsWritten() throws Exception {
    create(CaKeyType.EC256);
    Files.delete(dir.resolve("ca.key"));
    Files.delete(dir.resolve("server.pem"));

    assertThatThrownBy(() -> create(CaKeyType.EC256))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("ca.pem exists without");
    assertThat(dir.resolve("ca.key")).doesNotExist();
    assertThat(dir.resolve("server.pem")).doesNotExist();
  }

  @Test
  void keyFilesNeverOverwriteAnExistingFile() throws Exception {
    Path target = dir.resolve("taken.key");
    Files.writeString(target, "not mine");

    assertThatThrownBy(() -> KeyFiles.writeOwnerOnly(target, "secret"))
        .isInstanceOf(java.nio.file.FileAlreadyExistsException.class);
    assertThat(Files.readString(target)).isEqualTo("not mine");
  }

  private List<DevPki.FileOutcome> create(CaKeyType caKeyType) throws Exception {
    return new DevPki().create(dir, caKeyType, CaKeyType.RSA2048, Instant.now());
  }

  private String mode(String file) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(file)));
  }

  private String read(String file) throws Exception {
    return Files.readString(dir.resolve(file));
  }

  private Map<String, String> contents() throws Exception {
    try (var files = Files.list(dir)) {
      return files.collect(Collectors.toMap(p -> p.getFileName().toString(), p -> {
        try {
          return Files.readString(p);
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }));
    }
  }
}
