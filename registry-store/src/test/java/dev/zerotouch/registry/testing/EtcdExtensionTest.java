package dev.zerotouch.registry.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EtcdExtensionTest {

  @RegisterExtension
  static final EtcdExtension ETCD = new EtcdExtension();

  private final HttpClient http = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(1)).build();

  @Test
  void etcdAnswersHealthyOnTheAdvertisedLoopbackEndpoint() throws Exception {
    assertThat(ETCD.endpoint()).matches("http://127\\.0\\.0\\.1:\\d+");

    assertThat(health()).contains("\"health\":\"true\"");
  }

  @Test
  void aStoppedMemberRefusesConnectionsAndComesBackWithItsData() throws Exception {
    String key = "/extension-test/kept";
    put(key, "v1");

    ETCD.stop();

    assertThat(ETCD.running()).isFalse();
    assertThatThrownBy(this::health).isInstanceOf(IOException.class);

    ETCD.start();

    assertThat(health()).contains("\"health\":\"true\"");
    assertThat(get(key)).isEqualTo("v1");
  }

  @Test
  void registryConfigsGetFreshPrefixesAndTheShortDeadline() {
    assertThat(ETCD.registryConfig().keyPrefix()).isNotEqualTo(ETCD.registryConfig().keyPrefix());
    assertThat(ETCD.registryConfig("/mine/").callTimeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(ETCD.registryConfig("/mine/").endpoints()).containsExactly(ETCD.endpoint());
  }

  @Test
  void aMissingBinaryFailsNamingTheDebianPackage(@TempDir Path emptyDir) {
    assertThatThrownBy(() -> EtcdExtension.findBinary("etcd", emptyDir.toString()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no 'etcd' executable on the PATH")
        .hasMessageContaining("apt-get install etcd-server");
  }

  @Test
  void aBinaryIsFoundInAnyDirectoryOfThePath(@TempDir Path dir) throws IOException {
    Path fake = Files.createFile(dir.resolve("etcd"));
    fake.toFile().setExecutable(true);

    Path found = EtcdExtension.findBinary("etcd", "/nonexistent:" + dir);

    assertThat(found).isEqualTo(fake);
  }

  @Test
  void endpointBeforeLaunchExplainsHowToRegisterTheExtension() {
    EtcdExtension unlaunched = new EtcdExtension();

    assertThatThrownBy(unlaunched::endpoint).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("@RegisterExtension");
  }

  private String health() throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(URI.create(ETCD.endpoint() + "/health")).build());
  }

  private void put(String key, String value) throws IOException, InterruptedException {
    send(v3("kv/put", "{\"key\":\"" + base64(key) + "\",\"value\":\"" + base64(value) + "\"}"));
  }

  private String get(String key) throws IOException, InterruptedException {
    String body = send(v3("kv/range", "{\"key\":\"" + base64(key) + "\"}"));
    String encoded = body.replaceAll(".*\"value\":\"([^\"]*)\".*", "$1");
    return new String(java.util.Base64.getDecoder().decode(encoded));
  }

  /** etcd's JSON gateway to the v3 API, at /v3/ in both etcd 3.4 and 3.5. */
  private HttpRequest v3(String path, String json) {
    return HttpRequest.newBuilder(URI.create(ETCD.endpoint() + "/v3/" + path))
        .POST(HttpRequest.BodyPublishers.ofString(json)).build();
  }

  private String send(HttpRequest request) throws IOException, InterruptedException {
    return http.send(request, HttpResponse.BodyHandlers.ofString()).body();
  }

  private static String base64(String text) {
    return java.util.Base64.getEncoder().encodeToString(text.getBytes());
  }
}
