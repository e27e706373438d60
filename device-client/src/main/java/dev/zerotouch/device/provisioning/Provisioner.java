package dev.zerotouch.device.provisioning;

import static net.logstash.logback.argument.StructuredArguments.kv;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.zerotouch.device.DeviceErrorCode;
import dev.zerotouch.device.DeviceException;
import dev.zerotouch.device.retry.Backoff;
import dev.zerotouch.protocol.pki.Csrs;
import dev.zerotouch.protocol.pki.Pem;
import dev.zerotouch.protocol.pki.PemException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gets a certificate for a device id and an in-memory key pair from the CA: builds the CSR,
 * sends {@code POST /sign-csr} with {@code {"csr_pem": ...}} and reads
 * {@code {"certificate_pem", "ca_chain_pem", "serial", "not_after"}}. Refusals (4xx with
 * {@code {"error", "message"}}) fail at once with {@link DeviceErrorCode#CA_REFUSED}; an
 * unreachable CA, a 503 (its {@code Retry-After} honoured) or another 5xx is retried with the
 * {@link Backoff} until its bounds. Thread-safe; one instance can serve many devices.
 */
public final class Provisioner {
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(15);

  private static final Logger LOG = LoggerFactory.getLogger(Provisioner.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_MESSAGE_CHARS = 500;

  private final HttpClient http;
  private final URI signCsrUrl;
  private final Backoff backoff;
  private final Duration requestTimeout;

  public Provisioner(HttpClient http, URI signCsrUrl, Backoff backoff, Duration requestTimeout) {
    this.http = Objects.requireNonNull(http, "http");
    this.signCsrUrl = Objects.requireNonNull(signCsrUrl, "signCsrUrl");
    this.backoff = Objects.requireNonNull(backoff, "backoff");
    this.requestTimeout = Objects.requireNonNull(requestTimeout, "requestTimeout");
  }

  /** A provisioner with its own HTTP client and the default timeouts. */
  public static Provisioner create(URI signCsrUrl, Backoff backoff) {
    HttpClient http = HttpClient.newBuilder()
        .connectTimeout(DEFAULT_CONNECT_TIMEOUT)
        .version(HttpClient.Version.HTTP_1_1)
        .build();
    return new Provisioner(http, signCsrUrl, backoff, DEFAULT_REQUEST_TIMEOUT);
  }

  public URI signCsrUrl() {
    return signCsrUrl;
  }

  /** Blocks until the certificate arrives or the retries run out; throws DeviceException. */
  public IssuedCertificate provision(String deviceId, KeyPair keyPair,
      ProvisioningListener listener) {
    try {
      return provisionAsync(deviceId, keyPair, listener).join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof DeviceException failure) {
        throw failure;
      }
      throw e;
    }
  }

  /**
   * Sends the CSR without blocking a thread while waiting; the future fails with a
   * {@link DeviceException}.
   */
  public CompletableFuture<IssuedCertificate> provisionAsync(String deviceId, KeyPair keyPair,
      ProvisioningListener listener) {
    String body;
    try {
      body = JSON.writeValueAsString(Map.of("csr_pem", Pem.csr(Csrs.build(keyPair, deviceId))));
    } catch (IOException e) {
      return CompletableFuture.failedFuture(
          new DeviceException(DeviceErrorCode.CA_BAD_RESPONSE, "cannot write the request", e));
    }
    CompletableFuture<IssuedCertificate> result = new CompletableFuture<>();
    attempt(body, backoff.start(), 1, listener, result);
    return result.thenApply(issued -> requireKeyOf(issued, keyPair));
  }

  /** A certificate for another key would make an identity that can never be used. */
  private static IssuedCertificate requireKeyOf(IssuedCertificate issued, KeyPair keyPair) {
    byte[] certified = issued.certificate().getPublicKey().getEncoded();
    if (!java.util.Arrays.equals(certified, keyPair.getPublic().getEncoded())) {
      throw badResponse("the certificate is for another public key than the CSR's", null);
    }
    return issued;
  }

  private void attempt(String body, Backoff.Attempts attempts, int attempt,
      ProvisioningListener listener, CompletableFuture<IssuedCertificate> result) {
    listener.sending(signCsrUrl, attempt);
    HttpRequest request = HttpRequest.newBuilder(signCsrUrl)
        .timeout(requestTimeout)
        .header("Content-Type", "application/json")
        .header("Accept", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .build();
    http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
        .handle((response, error) -> {
          try {
            result.complete(interpret(response, error));
          } catch (DeviceException failure) {
            retryOrFail(failure, body, attempts, attempt, listener, result);
          } catch (RuntimeException unexpected) {
            result.completeExceptionally(unexpected);
          }
          return null;
        });
  }

  private void retryOrFail(DeviceException failure, String body, Backoff.Attempts attempts,
      int attempt, ProvisioningListener listener, CompletableFuture<IssuedCertificate> result) {
    if (!failure.retryable()) {
      result.completeExceptionally(failure);
      return;
    }
    Optional<Duration> delay = attempts.nextDelay(failure.retryAfter());
    if (delay.isEmpty()) {
      result.completeExceptionally(new DeviceException(failure.code(), failure.getMessage()
          + " Gave up after " + attempt + " attempts in "
          + seconds(attempts.elapsed()) + ".", failure.getCause()));
      return;
    }
    listener.retrying(failure, delay.get(), attempt + 1);
    Executor later = CompletableFuture.delayedExecutor(delay.get().toMillis(),
        TimeUnit.MILLISECONDS);
    later.execute(() -> attempt(body, attempts, attempt + 1, listener, result));
  }

  private IssuedCertificate interpret(HttpResponse<String> response, Throwable error) {
    if (error != null) {
      Throwable cause = error instanceof CompletionException && error.getCause() != null
          ? error.getCause() : error;
      throw new DeviceException(DeviceErrorCode.CA_UNREACHABLE, "The CA at " + signCsrUrl
          + " cannot be reached (" + describe(cause) + ").", cause);
    }
    int status = response.statusCode();
    if (status == 201 || status == 200) {
      return parseIssued(response.body());
    }
    Optional<JsonNode> json = parseJson(response.body());
    String code = json.map(node -> node.path("error").asText("")).orElse("");
    String message = json.map(node -> node.path("message").asText("")).orElse("");
    String said = code.isEmpty()
        ? "HTTP " + status + (message.isEmpty() ? "" : ": " + message)
        : "HTTP " + status + ", " + code + ": " + truncate(message);
    if (status >= 500) {
      Optional<Duration> retryAfter = response.headers().firstValue("Retry-After")
          .flatMap(Provisioner::parseRetryAfter);
      throw new DeviceException(DeviceErrorCode.CA_UNAVAILABLE,
          "The CA cannot sign right now (" + said + ").", retryAfter.orElse(null), null);
    }
    LOG.debug("the ca refused the csr", kv("status", status), kv("code", code));
    throw new DeviceException(DeviceErrorCode.CA_REFUSED,
        "The CA refused the CSR (" + said + ").");
  }

  private IssuedCertificate parseIssued(String body) {
    JsonNode node = parseJson(body).orElseThrow(() -> badResponse("the body is not JSON", null));
    try {
      X509Certificate certificate = Pem.readCertificate(required(node, "certificate_pem"));
      List<X509Certificate> chain = Pem.readCertificates(required(node, "ca_chain_pem"));
      if (chain.isEmpty()) {
        throw badResponse("ca_chain_pem holds no certificate", null);
      }
      Instant notAfter = Instant.parse(required(node, "not_after"));
      return new IssuedCertificate(certificate, chain, required(node, "serial"), notAfter);
    } catch (PemException | DateTimeParseException e) {
      throw badResponse(e.getMessage(), e);
    }
  }

  private static String required(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || !value.isTextual() || value.asText().isEmpty()) {
      throw badResponse("the field " + field + " is missing", null);
    }
    return value.asText();
  }

  private static Optional<JsonNode> parseJson(String body) {
    try {
      JsonNode node = JSON.readTree(body);
      return node != null && node.isObject() ? Optional.of(node) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static Optional<Duration> parseRetryAfter(String value) {
    try {
      long seconds = Long.parseLong(value.trim());
      return seconds >= 0 ? Optional.of(Duration.ofSeconds(seconds)) : Optional.empty();
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  private static DeviceException badResponse(String what, Throwable cause) {
    return new DeviceException(DeviceErrorCode.CA_BAD_RESPONSE,
        "The CA answered with a certificate this client cannot read: " + what + ".", cause);
  }

  private static String describe(Throwable cause) {
    String message = cause.getMessage();
    String type = cause.getClass().getSimpleName();
    if (cause instanceof java.net.ConnectException) {
      return "connection refused";
    }
    if (cause instanceof java.net.http.HttpTimeoutException) {
      return "no answer in time";
    }
    return message == null || message.isBlank() ? type : type + ": " + message;
  }

  private static String truncate(String message) {
    return message.length() <= MAX_MESSAGE_CHARS
        ? message : message.substring(0, MAX_MESSAGE_CHARS) + "...";
  }

  private static String seconds(Duration duration) {
    return String.format(java.util.Locale.ROOT, "%.1f s", duration.toMillis() / 1000.0);
  }
}
