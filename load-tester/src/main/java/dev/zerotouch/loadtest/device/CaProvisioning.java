package dev.zerotouch.loadtest.device;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.zerotouch.device.identity.DeviceIdentity;
import dev.zerotouch.loadtest.LoadTestErrorCode;
import dev.zerotouch.loadtest.LoadTestException;
import dev.zerotouch.protocol.pki.Pem;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

/**
 * Sends simulated devices' CSRs to the CA's {@code POST /sign-csr} over one shared HTTP/1.1
 * client (kept-alive connections, callbacks on the given executor) and turns each answer into
 * a device-client {@link DeviceIdentity}, or a {@link LoadTestException} naming the CA's
 * refusal code. Non-blocking: the caller bounds how many requests are in flight. One attempt
 * per device.
 *
 * <p>This is the tester's own small client rather than device-client's {@code Provisioner},
 * which builds the CSR itself as part of the request: an RSA-2048 CSR signature costs the
 * client about 4.5 ms of CPU in the JDK (16 ms with only the JIT's first tier), which made the
 * tester, not the CA, the bottleneck of the provision phase. Here the CSRs are built before
 * the timed phases, like the keys. The request and the answer are the same as
 * {@code Provisioner}'s: {@code {"csr_pem"}} in, {@code {"certificate_pem", "ca_chain_pem",
 * "serial", "not_after"}} or {@code {"error", "message"}} back.
 */
public final class CaProvisioning {

  private static final String SIGN_PATH = "sign-csr";
  private static final int CREATED = 201;
  private static final int MAX_MESSAGE_CHARS = 300;

  private final ObjectMapper json = new ObjectMapper();
  private final HttpClient http;
  private final URI signUri;
  private final Duration timeout;

  public CaProvisioning(URI caUrl, Duration timeout, Executor executor) {
    this.http = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(timeout)
        .executor(executor)
        .build();
    this.signUri = signUri(caUrl);
    this.timeout = timeout;
  }

  /** {@code <caUrl>/sign-csr}, whether or not the URL ends in '/'. */
  static URI signUri(URI caUrl) {
    String base = caUrl.toString();
    return URI.create(base.endsWith("/") ? base + SIGN_PATH : base + "/" + SIGN_PATH);
  }

  public URI signCsrUrl() {
    return signUri;
  }

  /** Sends {@code csrPem} and completes with the device's identity. */
  public CompletableFuture<DeviceIdentity> provision(String commonName, PrivateKey key,
      String csrPem) {
    String body = json.createObjectNode().put("csr_pem", csrPem).toString();
    HttpRequest request = HttpRequest.newBuilder(signUri)
        .timeout(timeout)
        .header("Content-Type", "application/json")
        .header("Accept", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .build();
    return http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
        .handle((response, failure) -> {
          if (failure != null) {
            throw new CompletionException(unreachable(failure));
          }
          return identity(commonName, key, response);
        });
  }

  DeviceIdentity identity(String commonName, PrivateKey key, HttpResponse<String> response) {
    int status = response.statusCode();
    JsonNode answer = parse(response.body());
    if (status != CREATED) {
      throw refusal(status, answer);
    }

    try {
      X509Certificate certificate = Pem.readCertificate(text(answer, "certificate_pem", status));
      List<X509Certificate> caChain = Pem.readCertificates(text(answer, "ca_chain_pem", status));
      if (caChain.isEmpty()) {
        throw badResponse(status, "ca_chain_pem holds no certificate");
      }
      return new DeviceIdentity(commonName, key, certificate, caChain);
    } catch (LoadTestException e) {
      throw e;
    } catch (RuntimeException e) {
      throw badResponse(status, "its PEM does not parse: " + e.getMessage());
    }
  }

  private JsonNode parse(String body) {
    try {
      JsonNode node = json.readTree(body);
      return node != null && node.isObject() ? node : json.createObjectNode();
    } catch (IOException e) {
      return json.createObjectNode();
    }
  }

  private static LoadTestException refusal(int status, JsonNode answer) {
    String code = answer.path("error").asText("");
    String message = answer.path("message").asText("");
    if (message.length() > MAX_MESSAGE_CHARS) {
      message = message.substring(0, MAX_MESSAGE_CHARS) + "...";
    }
    LoadTestErrorCode kind = status >= 500 ? LoadTestErrorCode.CA_UNAVAILABLE
        : LoadTestErrorCode.CA_REFUSED;
    return new LoadTestException(kind, code.isEmpty() ? "http_" + status : code,
        "the CA answered HTTP " + status + (code.isEmpty() ? "" : ", " + code)
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
        "the CA answered HTTP " + status + " but " + why);
  }

  private LoadTestException unreachable(Throwable failure) {
    Throwable cause = failure instanceof CompletionException && failure.getCause() != null
        ? failure.getCause() : failure;
    LoadTestException outOfFiles = DeviceFailures.translate(cause, null);
    if (outOfFiles.code() == LoadTestErrorCode.TOO_MANY_OPEN_FILES) {
      return outOfFiles;
    }
    String why = cause instanceof HttpTimeoutException
        ? "no answer within " + timeout.toMillis() + " ms"
        : cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.toString();
    return new LoadTestException(LoadTestErrorCode.CA_UNREACHABLE,
        "the CA at " + signUri + " cannot be reached: " + why, cause);
  }
}
