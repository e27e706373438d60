package dev.zerotouch.registration.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.zerotouch.protocol.pki.Pem;
import dev.zerotouch.registration.testing.TestPki;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server refuses to start, saying why, unless its key and certificates are sound. */
class ServerCredentialsTest {

  private static final TestPki PKI = TestPki.create("Credentials CA");

  @TempDir
  Path dir;

  @Test
  void soundFilesAreLoaded() throws Exception {
    TestPki.ServerFiles files = PKI.writeServerFiles(dir);

    ServerCredentials credentials = ServerCredentials.load(files.cert(), files.key(),
        files.caCert());

    assertThat(credentials.chain()).hasSize(1);
    assertThat(credentials.trustedCas()).containsExactly(PKI.caCertificate());
  }

  @Test
  void missingCertificateFileIsNamed() throws Exception {
    TestPki.ServerFiles files = PKI.writeServerFiles(dir);
    Files.delete(files.cert());

    assertThatThrownBy(() -> ServerCredentials.load(files.cert(), files.key(), files.caCert()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("server certificate file " + files.cert() + " does not exist");
  }

  @Test
  void missingKeyFileIsNamed() throws Exception {
    TestPki.ServerFiles files = PKI.writeServerFiles(dir);
    Files.delete(files.key());

    assertThatThrownBy(() -> ServerCredentials.load(files.cert(), files.key(), files.caCert()))
        .hasMessage("server key file " + files.key() + " does not exist");
  }

  @Test
  void keyOfAnotherCertificateIsRefused() throws Exception {
    TestPki.ServerFiles files = PKI.writeServerFiles(dir);
    Files.writeString(files.key(), Pem.privateKey(TestPki.newKeyPair().getPrivate()));

    assertThatThrownBy(() -> ServerCredentials.load(files.cert(), files.key(), files.caCert()))
        .hasMessageContaining("does not belong to the first certificate");
  }

  @Test
  void keyReadableByOthersIsRefusedWithTheFix() throws Exception {
    TestPki.ServerFiles files = PKI.writeServerFiles(dir);
    Files.setPosixFilePermissions(files.key(), PosixFilePermissions.fromString("rw-r--r--"));

    assertThatThrownBy(() -> ServerCredentials.load(files.cert(), files.key(), files.caCert()))
        .hasMessage("server key file " + files.key()
            + " is readable or writable by other users; run: chmod 600 " + files.key());
  }

  @Test
  void certificateFileWithoutPemIsRefused() throws Exception {
    TestPki.ServerFiles files = PKI.writeServerFiles(dir);
    Files.writeString(files.caCert(), "not a certificate");

    assertThatThrownBy(() -> ServerCredentials.load(files.cert(), files.key(), files.caCert()))
        .hasMessageStartingWith("CA certificate file " + files.caCert());
  }
}
