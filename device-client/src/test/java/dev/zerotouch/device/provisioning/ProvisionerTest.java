package dev.zerotouch.device.provisioning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.zerotouch.device.DeviceErrorCode;
import dev.zerotouch.device.DeviceException;
import dev.zerotouch.device.retry.Backoff;
import dev.zerotouch.device.testing.TestCa;
import dev.zerotouch.protocol.pki.KeyType;
import dev.zerotouch.protocol.pki.Pem;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The CA's answers the real CA rarely gives on demand (503 with Retry-After, a body this
 * client cannot read), from a scripted HTTP server on loopback.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class ProvisionerTest {
  private static KeyPair keyPair;
  private static TestCa ca;

  private final Queue<Answer> answers = new ConcurrentLinkedQueue<>();
  private final List<String> bodies = new CopyOnWriteArrayList<>();
  private final List<Long> arrivals = new CopyOnWriteArrayList<>();
  private HttpServer server;

  private record Answer(int status, String body, String retryAfter) {
  }

  @BeforeAll
  static void makeKeys() {
    keyPair = KeyType.EC_P256.generate();
    ca = new TestCa();
  }

  @BeforeEach
  void startServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/sign-csr", this::answer);
    server.start();
  }

  @AfterEach
  void stopServer() {
    server.stop(0);
  }

  private void answer(HttpExchange exchange) throws IOException {
    arrivals.add(System.nanoTime());
    bodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
    Answer answer = answers.remove();
    if (answer.retryAfter() != null) {
      exchange.getResponseHeaders().add("Retry-After", answer.retryAfter());
    }
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(answer.status(), body.length);
    exchange.getResponseBody().write(body);
    exchange.close();
  }

  private Provisioner provisioner() {
    URI url = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/sign-csr");
    return Provisioner.create(url, new Backoff(Duration.ofMillis(50), Duration.ofMillis(200), 5,
        Duration.ofSeconds(10)));
  }

  private String issued(String deviceId) {
    String certificate = Pem.certificate(ca.issue(deviceId, keyPair.getPublic()));
    String chain = Pem.certificate(ca.certificate());
    return "{\"certificate_pem\":" + quote(certificate) + ",\"ca_chain_pem\":" + quote(chain)
        + ",\"serial\":\"1f\",\"not_after\":\"2030-01-01T00:00:00Z\"}";
  }

  private static String quote(String text) {
    return "\"" + text.replace("\n", "\\n") + "\"";
  }

  @Test
  void sendsTheCsrAsJsonAndReadsTheCertificateAndChain() {
    answers.add(new Answer(201, issued("pump-1"), null));

    IssuedCertificate result = provisioner().provision("pump-1", keyPair,
        ProvisioningListener.NONE);

    assertThat(bodies).singleElement().asString()
        .startsWith("{\"csr_pem\":\"-----BEGIN CERTIFICATE REQUEST-----");
    assertThat(result.certificate().getSubjectX500Principal().getName()).isEqualTo("CN=pump-1");
    assertThat(result.caChain()).containsExactly(ca.certificate());
    assertThat(result.serial()).isEqualTo("1f");
  }

  @Test
  void a503IsRetriedNoSoonerThanItsRetryAfter() {
    answers.add(new Answer(503, "{\"error\":\"store_unavailable\",\"message\":\"etcd is away\"}",
        "1"));
    answers.add(new Answer(201, issued("pump-2"), null));
    List<String> retries = new ArrayList<>();

    IssuedCertificate result = provisioner().provision("pump-2", keyPair,
        new ProvisioningListener() {
          @Override
          public void retrying(DeviceException failure, Duration delay, int nextAttempt) {
            retries.add(failure.getMessage() + " " + delay.toMillis());
          }
        });

    assertThat(result.serial()).isEqualTo("1f");
    assertThat(retries).containsExactly("The CA cannot sign right now (HTTP 503,"
        + " store_unavailable: etcd is away). 1000");
    assertThat(arrivals.get(1) - arrivals.get(0))
        .isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(1000));
  }

  @Test
  void aRefusalIsNotRetriedAndCarriesTheCasCodeAndMessage() {
    answers.add(new Answer(400, "{\"error\":\"invalid_cn\",\"message\":\"the CN is not safe\"}",
        null));

    assertThatThrownBy(() -> provisioner().provision("pump-3", keyPair,
        ProvisioningListener.NONE))
        .isInstanceOfSatisfying(DeviceException.class,
            e -> assertThat(e.code()).isEqualTo(DeviceErrorCode.CA_REFUSED))
        .hasMessage("The CA refused the CSR (HTTP 400, invalid_cn: the CN is not safe).");
    assertThat(bodies).hasSize(1);
  }

  @Test
  void anUnreadableCertificateIsABadResponse() {
    answers.add(new Answer(201, "{\"certificate_pem\":\"nonsense\",\"ca_chain_pem\":\"x\","
        + "\"serial\":\"1\",\"not_after\":\"2030-01-01T00:00:00Z\"}", null));

    assertThatThrownBy(() -> provisioner().provision("pump-4", keyPair,
        ProvisioningListener.NONE))
        .isInstanceOfSatisfying(DeviceException.class,
            e -> assertThat(e.code()).isEqualTo(DeviceErrorCode.CA_BAD_RESPONSE))
        .hasMessageStartingWith("The CA answered with a certificate this client cannot read");
  }

  @Test
  void aCertificateForAnotherKeyIsABadResponse() {
    KeyPair other = KeyType.EC_P256.generate();
    String wrongKey = "{\"certificate_pem\":"
        + quote(Pem.certificate(ca.issue("pump-6", other.getPublic())))
        + ",\"ca_chain_pem\":" + quote(Pem.certificate(ca.certificate()))
        + ",\"serial\":\"2a\",\"not_after\":\"2030-01-01T00:00:00Z\"}";
    answers.add(new Answer(201, wrongKey, null));

    assertThatThrownBy(() -> provisioner().provision("pump-6", keyPair,
        ProvisioningListener.NONE))
        .isInstanceOfSatisfying(DeviceException.class,
            e -> assertThat(e.code()).isEqualTo(DeviceErrorCode.CA_BAD_RESPONSE))
        .hasMessageContaining("the certificate is for another public key than the CSR's");
  }

  @Test
  void aCaThatStaysUnavailableIsGivenUpOnAfterTheAttempts() {
    for (int i = 0; i < 5; i++) {
      answers.add(new Answer(503, "{\"error\":\"overloaded\",\"message\":\"busy\"}", null));
    }

    assertThatThrownBy(() -> provisioner().provision("pump-5", keyPair,
        ProvisioningListener.NONE))
        .isInstanceOfSatisfying(DeviceException.class,
            e -> assertThat(e.code()).isEqualTo(DeviceErrorCode.CA_UNAVAILABLE))
        .hasMessageContaining("Gave up after 5 attempts");
    assertThat(bodies).hasSize(5);
  }
}
