package dev.zerotouch.loadtest.device;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.zerotouch.loadtest.LoadTestErrorCode;
import dev.zerotouch.loadtest.LoadTestException;
import dev.zerotouch.protocol.pki.Pem;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

/**
 * Sends CSRs to the CA's {@code POST /sign-csr} over one shared HTTP/1.1 client (its
 * connections are kept alive and reused) and turns each answer into a {@link Provisioned}
 * device or a {@link LoadTestException} naming the CA's refusal code. Non-blocking: the caller
 * bounds how many requests are in flight.
 */
public final class CaClient {

  private static final String SIGN_PATH = "/sign-csr";
  private static final int CREATED = 201;

  private final ObjectMapper json = new ObjectMapper();
  private final HttpClient http;
  private final URI signUri;
  private final Duration timeout;

  public CaClient(URI caUrl, Duration timeout, Executor executor) {
    this.http = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(timeout)
        .executor(executor)
        .build();
    this.signUri = caUrl.resolve(caUrl.getPath().endsWith("/") ? SIGN_PATH.substring(1)
        : caUrl.getPath() + SIGN_PATH);
    this.timeout = timeout;
  }

  /** Asks the CA to sign {@code csrPem} for the device whose key is {@code keyPair}. */
  public CompletableFuture<Provisioned> sign(String commonName, KeyPair keyPair, String csrPem) {
    ObjectNode body = json.createObjectNode().put("csr_pem", csrPem);
    HttpRequest request = HttpRequest.newBuilder(signUri)
        .timeout(timeout)
        .header("Content-Type", "application/json")
        .header("Accept", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
        .build();
    return http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
        .handle((response, failure) -> {
          if (failure != null) {
            throw new CompletionException(unreachable(failure));
          }
          return toProvisioned(commonName, keyPair, response);
        });
  }

  URI signUri() {
    return signUri;
  }

  private Provisioned toProvisioned(String commonName, KeyPair keyPair,
      HttpResponse<String> response) {
    JsonNode answer = parse(response);
    if (response.statusCode() != CREATED) {
      throw refusal(response.statusCode(), answer);
    }

    String certificatePem = text(answer, "certificate_pem", response.statusCode());
    String chainPem = text(answer, "ca_chain_pem", response.statusCode());
    try {
      X509Certificate certificate = Pem.readCertificate(certificatePem);
      List<X509Certificate> caChain = Pem.readCertificates(chainPem);
      if (caChain.isEmpty()) {
        throw badResponse(response.statusCode(), "ca_chain_pem holds no certificate");
      }
      List<X509Certificate> chain = new ArrayList<>();
      chain.add(certificate);
      chain.addAll(caChain);
      return new Provisioned(commonName, keyPair, chain, caChain);
    } catch (RuntimeException e) {
      throw e instanceof LoadTestException known ? known
          : badResponse(response.statusCode(), "its PEM does not parse: " + e.getMessage());
    }
  }

  private JsonNode parse(HttpResponse<String> response) {
    try {
      return json.readTree(response.body());
    } catch (IOException e) {
      if (response.statusCode() == CREATED) {
        throw badResponse(response.statusCode(), "the body is not JSON");
      }
      return json.createObjectNode();
    }
  }

  private static LoadTestException refusal(int status, JsonNode answer) {
    String code = answer.path("error").asText("");
    String message = answer.path("message").asText("");
    String detail = code.isEmpty() ? "http_" + status : code;
    return new LoadTestException(LoadTestErrorCode.CA_REFUSED, detail, "the CA answered "
        + status + (code.isEmpty() ? "" : " " + code)
        + (message.isEmpty() ? "" : ": " + message), null);
  }

  private static String text(JsonNode answer, String field, int status) {
    JsonNode value = answer.get(field);
    if (value == null || !value.isTextual() || value.asText().isBlank()) {
      throw badResponse(status, "the field " + field + " is missing");
    }
    return value.asText();
  }

  private static LoadTestException badResponse(int status, String why) {
    return new LoadTestException(LoadTestErrorCode.CA_BAD_RESPONSE,
        "the CA answered " + status + " but " + why, null);
  }

  private LoadTestException unreachable(Throwable failure) {
    Throwable cause = failure instanceof CompletionException && failure.getCause() != null
        ? failure.getCause() : failure;
    if (cause instanceof java.net.http.HttpTimeoutException) {
      return new LoadTestException(LoadTestErrorCode.TIMEOUT, "no answer from the CA at "
          + signUri + " within " + timeout.toMillis() + " ms", cause);
    }
    if (Failures.isOutOfFiles(cause)) {
      return new LoadTestException(LoadTestErrorCode.TOO_MANY_OPEN_FILES,
          "the open-file limit was reached: " + cause.getMessage(), cause);
    }
    String message = cause.getMessage() == null ? cause.getClass().getSimpleName()
        : cause.getMessage();
    return new LoadTestException(LoadTestErrorCode.CA_UNREACHABLE,
        "cannot reach the CA at " + signUri + ": " + message, cause);
  }
}
