package dev.zerotouch.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zerotouch.registry.testing.EtcdExtension;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class SmokeTest {

  @RegisterExtension
  static final EtcdExtension ETCD = new EtcdExtension();

  @Test
  void issueFindRegister() {
    try (Registry registry = EtcdRegistry.connect(ETCD.registryConfig())) {
      CertificateRecord cert = TestCertificates.certificate("dev-1");
      registry.issue(cert);
      assertThat(registry.findCertificate(cert.serial())).contains(cert);
      RegistrationResult r = registry.register(cert.serial(), cert.fingerprint(), "1.2.3.4:5",
          Map.of("a", "b"), Instant.now());
      assertThat(r.firstRegistration()).isTrue();
    }
  }
}
