package dev.zerotouch.loadtest.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.zerotouch.loadtest.LoadTestErrorCode;
import dev.zerotouch.loadtest.LoadTestException;
import dev.zerotouch.protocol.pki.KeyType;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.PrivateKey;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLSession;
import org.junit.jupiter.api.Test;

class CaProvisioningTest {

  private static final PrivateKey KEY = KeyType.EC_P256.generate().getPrivate();

  private final CaProvisioning ca = new CaProvisioning(URI.create("http://ca:8080"),
      Duration.ofSeconds(1), Runnable::run);

  @Test
  void theSignUrlIsBelowTheCaUrlWithOrWithoutATrailingSlash() {
    assertThat(CaProvisioning.signUri(URI.create("http://ca:8080")))
        .isEqualTo(URI.create("http://ca:8080/sign-csr"));
    assertThat(CaProvisioning.signUri(URI.create("http://ca:8080/zt/")))
        .isEqualTo(URI.create("http://ca:8080/zt/sign-csr"));
  }

  @Test
  void aRefusalKeepsTheCasErrorCodeAsDetailAndItsMessage() {
    assertThatThrownBy(() -> ca.identity("dev-1", KEY, response(409,
        "{\"error\":\"cn_conflict\",\"message\":\"held by another key\"}")))
        .isInstanceOfSatisfying(LoadTestException.class, e -> {
          assertThat(e.code()).isEqualTo(LoadTestErrorCode.CA_REFUSED);
          assertThat(e.detail()).isEqualTo("cn_conflict");
          assertThat(e).hasMessage(
              "the CA answered HTTP 409, cn_conflict: held by another key");
        });
  }

  @Test
  void aServerErrorIsUnavailableAndABodyThatIsNotJsonKeepsTheStatus() {
    assertThatThrownBy(() -> ca.identity("dev-1", KEY, response(502, "<html>bad gateway")))
        .isInstanceOfSatisfying(LoadTestException.class, e -> {
          assertThat(e.code()).isEqualTo(LoadTestErrorCode.CA_UNAVAILABLE);
          assertThat(e.detail()).isEqualTo("http_502");
        });
  }

  @Test
  void aCreatedAnswerWithoutItsCertificateIsABadResponse() {
    assertThatThrownBy(() -> ca.identity("dev-1", KEY, response(201, "{\"serial\":\"1f\"}")))
        .isInstanceOfSatisfying(LoadTestException.class, e -> {
          assertThat(e.code()).isEqualTo(LoadTestErrorCode.CA_BAD_RESPONSE);
          assertThat(e).hasMessageContaining("the field certificate_pem is missing");
        });
  }

  @Test
  void aCertificateThatDoesNotParseIsABadResponse() {
    assertThatThrownBy(() -> ca.identity("dev-1", KEY, response(201,
        "{\"certificate_pem\":\"junk\",\"ca_chain_pem\":\"junk\"}")))
        .isInstanceOfSatisfying(LoadTestException.class, e ->
            assertThat(e.code()).isEqualTo(LoadTestErrorCode.CA_BAD_RESPONSE));
  }

  private static HttpResponse<String> response(int status, String body) {
    return new HttpResponse<>() {
      @Override
      public int statusCode() {
        return status;
      }

      @Override
      public HttpRequest request() {
        return HttpRequest.newBuilder(URI.create("http://ca:8080/sign-csr")).build();
      }

      @Override
      public Optional<HttpResponse<String>> previousResponse() {
        return Optional.empty();
      }

      @Override
      public HttpHeaders headers() {
        return HttpHeaders.of(Map.of(), (name, value) -> true);
      }

      @Override
      public String body() {
        return body;
      }

      @Override
      public Optional<SSLSession> sslSession() {
        return Optional.empty();
      }

      @Override
      public URI uri() {
        return URI.create("http://ca:8080/sign-csr");
      }

      @Override
      public HttpClient.Version version() {
        return HttpClient.Version.HTTP_1_1;
      }
    };
  }
}
