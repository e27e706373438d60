package dev.zerotouch.ca.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.zerotouch.ca.CaServer;
import dev.zerotouch.ca.TestPki;
import dev.zerotouch.ca.config.CaServerConfig;
import dev.zerotouch.ca.pki.CaCredentials;
import dev.zerotouch.ca.pki.CaKeyType;
import dev.zerotouch.protocol.pki.Pem;
import dev.zerotouch.registry.CertificateStatus;
import dev.zerotouch.registry.EtcdRegistry;
import dev.zerotouch.registry.Registry;
import dev.zerotouch.registry.RegistryConfig;
import dev.zerotouch.registry.testing.EtcdExtension;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.bouncycastle.asn1.x509.Extension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class SignCsrApiTest {
  @RegisterExtension
  static final EtcdExtension ETCD = new EtcdExtension();

  @TempDir
  static Path pki;

  private static final AtomicInteger DEVICES = new AtomicInteger();

  private static CaCredentials credentials;
  private static RegistryConfig registryConfig;
  private static CaServer server;
  private static CaClient client;
  private static Registry registry;
  private static EtcdKeys etcd;
  private static KeyPair rsa;

  @BeforeAll
  static void start() {
    credentials = TestPki.ca(pki, CaKeyType.EC256);
    registryConfig = ETCD.registryConfig();
    CaServerConfig config = new CaServerConfig("127.0.0.1", 0, pki.resolve("ca.key"),
        pki.resolve("ca.pem"), Duration.ofDays(365), registryConfig, 2, 1024, 2, 64,
        Duration.ZERO, Duration.ofSeconds(5));
    server = CaServer.start(config, credentials, EtcdRegistry.connect(registryConfig),
        Clock.systemUTC());
    client = new CaClient(server.port());
    registry = EtcdRegistry.connect(registryConfig);
    etcd = new EtcdKeys(ETCD.endpoint());
    rsa = TestPki.rsa(2048);
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
    if (registry != null) {
      registry.close();
    }
    if (etcd != null) {
      etcd.close();
    }
  }

  @Test
  void validCsrGets201WithCertificateChainSerialAndExpiryRecordedInEtcd() throws Exception {
    String cn = newDevice();

    HttpResponse<String> response = client.signCsr(TestPki.csr(rsa, "CN=" + cn));

    assertThat(response.statusCode()).isEqualTo(201);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
    JsonNode body = CaClient.json(response);
    X509Certificate certificate = Pem.readCertificate(body.get("certificate_pem").asText());
    certificate.verify(credentials.caCertificate().getPublicKey());
    assertThat(certificate.getSubjectX500Principal().getName()).isEqualTo("CN=" + cn);
    assertThat(body.get("ca_chain_pem").asText()).isEqualTo(credentials.chainPem());
    assertThat(body.get("serial").asText()).isEqualTo(certificate.getSerialNumber()
        .toString(16));
    assertThat(Instant.parse(body.get("not_after").asText()))
        .isEqualTo(certificate.getNotAfter().toInstant());

    var record = registry.findCertificate(body.get("serial").asText()).orElseThrow();
    assertThat(record.status()).isEqualTo(CertificateStatus.ACTIVE);
    assertThat(record.cn()).isEqualTo(cn);
    assertThat(registry.findCn(cn).orElseThrow().serial()).isEqualTo(record.serial());
  }

  @Test
  void csrAskingForCaTrueGetsAnEndEntityCertificateWithOnlyTheProfileExtensions()
      throws Exception {
    String cn = newDevice();

    HttpResponse<String> response = client.signCsr(TestPki.csrAskingForCa(
        TestPki.ec("secp256r1"), "CN=" + cn));

    assertThat(response.statusCode()).isEqualTo(201);
    X509Certificate certificate = Pem.readCertificate(CaClient.json(response)
        .get("certificate_pem").asText());
    assertThat(certificate.getBasicConstraints()).isEqualTo(-1);
    assertThat(certificate.getCriticalExtensionOIDs()).containsExactlyInAnyOrder(
        Extension.basicConstraints.getId(), Extension.keyUsage.getId());
    assertThat(certificate.getNonCriticalExtensionOIDs()).containsExactlyInAnyOrder(
        Extension.extendedKeyUsage.getId(), Extension.subjectKeyIdentifier.getId(),
        Extension.authorityKeyIdentifier.getId());
  }

  @Test
  void sameCnAndSameKeyAgainIsAReissueThatSupersedesTheOldCertificate() throws Exception {
    String cn = newDevice();
    String csr = TestPki.csr(rsa, "CN=" + cn);
    String first = CaClient.json(client.signCsr(csr)).get("serial").asText();

    HttpResponse<String> again = client.signCsr(csr);

    assertThat(again.statusCode()).isEqualTo(201);
    String second = CaClient.json(again).get("serial").asText();
    assertThat(second).isNotEqualTo(first);
    assertThat(registry.findCertificate(first).orElseThrow().status())
        .isEqualTo(CertificateStatus.SUPERSEDED);
    assertThat(registry.findCertificate(second).orElseThrow().status())
        .isEqualTo(CertificateStatus.ACTIVE);
    assertThat(registry.findCn(cn).orElseThrow().serial()).isEqualTo(second);
  }

  @Test
  void sameCnWithAnotherKeyIsConflictAndStoresNothing() throws Exception {
    String cn = newDevice();
    String holder = CaClient.json(client.signCsr(TestPki.csr(rsa, "CN=" + cn)))
        .get("serial").asText();

    assertRefusedStoringNothing(() -> client.signCsr(TestPki.csr(TestPki.ec("secp256r1"),
        "CN=" + cn)), 409, "cn_conflict");

    assertThat(registry.findCn(cn).orElseThrow().serial()).isEqualTo(holder);
    assertThat(registry.findCertificate(holder).orElseThrow().status())
        .isEqualTo(CertificateStatus.ACTIVE);
  }

  @Test
  void fiftyConcurrentRequestsForOneCnWithFiftyKeysHaveExactlyOneWinner() throws Exception {
    String cn = newDevice();
    List<String> csrs = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      csrs.add(TestPki.csr(TestPki.ec("secp256r1"), "CN=" + cn));
    }
    long certsBefore = etcd.count(registryConfig.keyPrefix() + "certs/");

    List<CompletableFuture<HttpResponse<String>>> futures = csrs.stream()
        .map(client::signCsrAsync).toList();
    List<HttpResponse<String>> responses = futures.stream().map(CompletableFuture::join)
        .toList();

    List<HttpResponse<String>> created = responses.stream()
        .filter(r -> r.statusCode() == 201).toList();
    assertThat(created).hasSize(1);
    assertThat(responses).filteredOn(r -> r.statusCode() == 409).hasSize(49)
        .allSatisfy(r -> assertThat(CaClient.json(r).get("error").asText())
            .isEqualTo("cn_conflict"));
    String winner = CaClient.json(created.get(0)).get("serial").asText();
    assertThat(registry.findCn(cn).orElseThrow().serial()).isEqualTo(winner);
    assertThat(etcd.count(registryConfig.keyPrefix() + "certs/")).isEqualTo(certsBefore + 1);
  }

  @Test
  void bodyThatIsNotJsonIsMalformedBody() throws Exception {
    assertRefusedStoringNothing(() -> client.post("csr_pem=abc", "application/json"), 400,
        "malformed_body");
  }

  @Test
  void jsonWithTrailingGarbageIsMalformedBody() throws Exception {
    String body = CaClient.body(TestPki.csr(rsa, "CN=" + newDevice())) + " {}";

    assertRefusedStoringNothing(() -> client.post(body, "application/json"), 400,
        "malformed_body");
  }

  @Test
  void jsonWithCsrPemTwiceIsMalformedBody() throws Exception {
    String csr = CaClient.body(TestPki.csr(rsa, "CN=" + newDevice()));
    String body = csr.substring(0, csr.length() - 1) + ", \"csr_pem\": \"x\"}";

    assertRefusedStoringNothing(() -> client.post(body, "application/json"), 400,
        "malformed_body");
  }

  @Test
  void jsonWithoutCsrPemIsMalformedBody() throws Exception {
    assertRefusedStoringNothing(() -> client.post("{\"csr\": \"x\"}", "application/json"),
        400, "malformed_body");
  }

  @Test
  void csrPemThatIsNotACsrIsMalformedCsr() throws Exception {
    assertRefusedStoringNothing(() -> client.signCsr("-----BEGIN CERTIFICATE REQUEST-----\n"
        + "AAAA\n-----END CERTIFICATE REQUEST-----\n"), 400, "malformed_csr");
  }

  @Test
  void csrSignedByAnotherKeyIsBadSignature() throws Exception {
    String csr = TestPki.csrSignedByOther(rsa, TestPki.rsa(2048), "CN=" + newDevice());

    assertRefusedStoringNothing(() -> client.signCsr(csr), 400, "bad_signature");
  }

  @Test
  void ecKeyOnAnUnacceptedCurveIsUnsupportedKey() throws Exception {
    String csr = TestPki.csr(TestPki.ec("secp256k1"), "CN=" + newDevice());

    assertRefusedStoringNothing(() -> client.signCsr(csr), 400, "unsupported_key");
  }

  @Test
  void rsa1024KeyIsKeyTooSmall() throws Exception {
    String csr = TestPki.csr(TestPki.rsa(1024), "CN=" + newDevice());

    assertRefusedStoringNothing(() -> client.signCsr(csr), 400, "key_too_small");
  }

  @Test
  void rsa8192KeyIsKeyTooLarge() throws Exception {
    var modulus = new java.math.BigInteger(8192, new java.security.SecureRandom())
        .setBit(8191).setBit(0);
    var key = new org.bouncycastle.asn1.x509.SubjectPublicKeyInfo(
        new org.bouncycastle.asn1.x509.AlgorithmIdentifier(
            org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers.rsaEncryption,
            org.bouncycastle.asn1.DERNull.INSTANCE),
        new org.bouncycastle.asn1.pkcs.RSAPublicKey(modulus,
            java.math.BigInteger.valueOf(65537)));
    String csr = TestPki.csrWithKey(key, rsa, "CN=" + newDevice());

    assertRefusedStoringNothing(() -> client.signCsr(csr), 400, "key_too_large");
  }

  @Test
  void subjectWithoutCnIsMissingCn() throws Exception {
    String csr = TestPki.csr(rsa, "O=acme");

    assertRefusedStoringNothing(() -> client.signCsr(csr), 400, "missing_cn");
  }

  @Test
  void cnThatIsNotADeviceIdIsInvalidCn() throws Exception {
    String csr = TestPki.csr(rsa, "CN=-rm -rf");

    assertRefusedStoringNothing(() -> client.signCsr(csr), 400, "invalid_cn");
  }

  @Test
  void bodyDeclaredLargerThan16KibIsBodyTooLarge() throws Exception {
    String body = CaClient.body("x".repeat(17 * 1024));

    assertRefusedStoringNothing(() -> client.post(body, "application/json"), 413,
        "body_too_large");
  }

  @Test
  void chunkedBodyLargerThan16KibIsBodyTooLarge() throws Exception {
    String body = CaClient.body(TestPki.csr(rsa, "CN=" + newDevice()) + " ".repeat(17 * 1024));

    assertRefusedStoringNothing(() -> client.postChunked(body), 413, "body_too_large");
  }

  @Test
  void chunkedBodyWithinTheLimitIsSigned() throws Exception {
    HttpResponse<String> response = client.postChunked(CaClient.body(
        TestPki.csr(rsa, "CN=" + newDevice())));

    assertThat(response.statusCode()).isEqualTo(201);
  }

  @Test
  void nonJsonContentTypeIsUnsupportedMediaType() throws Exception {
    String body = CaClient.body(TestPki.csr(rsa, "CN=" + newDevice()));

    assertRefusedStoringNothing(() -> client.post(body, "text/plain"), 415,
        "unsupported_media_type");
  }

  @Test
  void unknownJsonFieldsAreIgnored() throws Exception {
    String csr = TestPki.csr(rsa, "CN=" + newDevice());
    String body = "{\"csr_pem\": " + CaClient.body(csr).substring("{\"csr_pem\":".length(),
        CaClient.body(csr).length() - 1) + ", \"firmware\": \"1.2.3\"}";

    HttpResponse<String> response = client.post(body, "application/json; charset=utf-8");

    assertThat(response.statusCode()).isEqualTo(201);
  }

  @Test
  void caPemServesTheChain() throws Exception {
    HttpResponse<String> response = client.get("/ca.pem");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(Pem.readCertificates(response.body())).containsExactly(
        credentials.caCertificate());
  }

  @Test
  void healthIsUpWhileEtcdAnswersAndLiveIsUp() throws Exception {
    HttpResponse<String> health = client.get("/health");
    HttpResponse<String> live = client.get("/live");

    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(CaClient.json(health).get("status").asText()).isEqualTo("UP");
    assertThat(CaClient.json(health).get("checks").get("etcd").asText()).isEqualTo("UP");
    assertThat(live.statusCode()).isEqualTo(200);
  }

  @Test
  void metricsCountIssuancesByOutcome() throws Exception {
    client.signCsr(TestPki.csr(rsa, "CN=" + newDevice()));

    HttpResponse<String> metrics = client.get("/metrics");

    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.body()).contains("ca_issuances_total{outcome=\"issued\"}")
        .contains("ca_sign_duration_seconds_count").contains("ca_commit_batch_size_count");
  }

  @Test
  void unknownPathIsJsonNotFound() throws Exception {
    HttpResponse<String> response = client.get("/sign");

    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(CaClient.json(response).get("error").asText()).isEqualTo("not_found");
  }

  private interface Call {
    HttpResponse<String> send() throws Exception;
  }

  private static void assertRefusedStoringNothing(Call call, int status, String code)
      throws Exception {
    long keysBefore = etcd.count(registryConfig.keyPrefix());

    HttpResponse<String> response = call.send();

    assertThat(response.statusCode()).isEqualTo(status);
    JsonNode body = CaClient.json(response);
    assertThat(body.get("error").asText()).isEqualTo(code);
    assertThat(body.get("message").asText()).isNotBlank();
    assertThat(etcd.count(registryConfig.keyPrefix())).isEqualTo(keysBefore);
  }

  private static String newDevice() {
    return "dev-api-" + DEVICES.incrementAndGet();
  }
}
