package dev.zerotouch.ca.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** A real HTTP/1.1 client for the CA under test. */
final class CaClient {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient client = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
  private final String base;

  CaClient(int port) {
    this.base = "http://127.0.0.1:" + port;
  }

  /** The JSON body the devices send for {@code csrPem}. */
  static String body(String csrPem) {
    try {
      return JSON.writeValueAsString(Map.of("csr_pem", csrPem));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  HttpResponse<String> signCsr(String csrPem) throws Exception {
    return post(body(csrPem), "application/json");
  }

  CompletableFuture<HttpResponse<String>> signCsrAsync(String csrPem) {
    return client.sendAsync(request("/sign-csr", "application/json",
        HttpRequest.BodyPublishers.ofString(body(csrPem))), BodyHandlers.ofString());
  }

  HttpResponse<String> post(String body, String contentType) throws Exception {
    return send(request("/sign-csr", contentType, HttpRequest.BodyPublishers.ofString(body)));
  }

  /** Posts with chunked transfer encoding (no Content-Length). */
  HttpResponse<String> postChunked(String body) throws Exception {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    return send(request("/sign-csr", "application/json",
        HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes))));
  }

  HttpResponse<String> get(String path) throws Exception {
    return send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(20))
        .GET().build());
  }

  static JsonNode json(HttpResponse<String> response) throws IOException {
    return JSON.readTree(response.body());
  }

  private HttpRequest request(String path, String contentType, BodyPublisher body) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + path))
        .timeout(Duration.ofSeconds(30)).POST(body);
    if (contentType != null) {
      builder.header("Content-Type", contentType);
    }
    return builder.build();
  }

  private HttpResponse<String> send(HttpRequest request) throws Exception {
    return client.send(request, BodyHandlers.ofString());
  }
}
