package dev.zerotouch.system;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Checks docker-compose.yml against the services without any container engine: every variable
 * it passes is one the service reads, published ports are the ones the services listen on,
 * health checks hit the services' health paths, and no variable starts with ETCD_.
 */
class ComposeConsistencyTest {

  private static final Map<String, String> MODULE_OF_DOCKERFILE = Map.of(
      "ca-server/Dockerfile", "ca-server",
      "registration-server/Dockerfile", "registration-server");

  private static JsonNode services;

  @BeforeAll
  static void readComposeFile() throws IOException {
    Path file = JarProcess.ROOT.resolve("docker-compose.yml");
    services = new ObjectMapper(new YAMLFactory()).readTree(Files.readString(file))
        .path("services");
    assertThat(services.isObject()).as("services in " + file).isTrue();
  }

  @Test
  void everyVariableTheComposeFilePassesIsReadByItsService() throws Exception {
    List<String> unknown = new ArrayList<>();

    for (Map.Entry<String, JsonNode> service : fields(services)) {
      String dockerfile = service.getValue().path("build").path("dockerfile").asText("");
      if (!MODULE_OF_DOCKERFILE.containsKey(dockerfile)) {
        continue;
      }
      Map<String, String> read =
          ServiceOptions.variablesRead(MODULE_OF_DOCKERFILE.get(dockerfile));
      for (Map.Entry<String, JsonNode> variable : fields(service.getValue().path("environment"))) {
        if (!read.containsKey(variable.getKey())) {
          unknown.add(service.getKey() + ": " + variable.getKey());
        }
      }
    }

    assertThat(unknown).as("variables passed by docker-compose.yml that no option reads")
        .isEmpty();
  }

  @Test
  void noServiceIsConfiguredThroughEtcdVariables() {
    for (Map.Entry<String, JsonNode> service : fields(services)) {
      for (Map.Entry<String, JsonNode> variable : fields(service.getValue().path("environment"))) {
        assertThat(variable.getKey()).as(service.getKey()).doesNotStartWith("ETCD_");
      }
    }
  }

  @Test
  void publishedPortsAreTheServicesDefaultPorts() throws Exception {
    Map<String, String> ca = ServiceOptions.variablesRead("ca-server");
    Map<String, String> reg = ServiceOptions.variablesRead("registration-server");

    assertThat(containerPorts("ca-server")).containsExactly(ca.get("ZT_CA_PORT"));
    assertThat(containerPorts("registration-server"))
        .containsExactlyInAnyOrder(reg.get("ZT_REG_PORT"), reg.get("ZT_REG_HEALTH_PORT"));
    assertThat(env("ca-server", "ZT_CA_PORT")).isEqualTo(ca.get("ZT_CA_PORT"));
    assertThat(env("registration-server", "ZT_REG_PORT")).isEqualTo(reg.get("ZT_REG_PORT"));
    assertThat(env("registration-server", "ZT_REG_HEALTH_PORT"))
        .isEqualTo(reg.get("ZT_REG_HEALTH_PORT"));
    assertThat(services.path("etcd").has("ports")).as("etcd stays on the private network")
        .isFalse();
  }

  @Test
  void healthChecksHitTheHealthPathOnTheServicePort() {
    assertThat(healthCheck("ca-server"))
        .contains("http://127.0.0.1:" + env("ca-server", "ZT_CA_PORT") + "/health");
    assertThat(healthCheck("registration-server"))
        .contains("http://127.0.0.1:" + env("registration-server", "ZT_REG_HEALTH_PORT")
            + "/health");
    assertThat(healthCheck("etcd")).contains("endpoint").contains("health");
  }

  @Test
  void onlyTheCaMountsTheCaKeyVolume() {
    List<String> mounting = new ArrayList<>();
    for (Map.Entry<String, JsonNode> service : fields(services)) {
      for (JsonNode volume : service.getValue().path("volumes")) {
        if (volume.asText().startsWith("pki-ca:")) {
          mounting.add(service.getKey());
        }
      }
    }

    assertThat(mounting).containsExactlyInAnyOrder("pki-init", "ca-server");
  }

  private static List<String> containerPorts(String service) {
    List<String> ports = new ArrayList<>();
    for (JsonNode port : services.path(service).path("ports")) {
      String text = port.asText();
      ports.add(text.substring(text.lastIndexOf(':') + 1));
    }
    return ports;
  }

  private static String env(String service, String variable) {
    return services.path(service).path("environment").path(variable).asText();
  }

  private static String healthCheck(String service) {
    return String.join(" ", textList(services.path(service).path("healthcheck").path("test")));
  }

  private static List<String> textList(JsonNode node) {
    List<String> texts = new ArrayList<>();
    node.forEach(element -> texts.add(element.asText()));
    return texts;
  }

  private static List<Map.Entry<String, JsonNode>> fields(JsonNode node) {
    List<Map.Entry<String, JsonNode>> entries = new ArrayList<>();
    Iterator<Map.Entry<String, JsonNode>> iterator = node.fields();
    iterator.forEachRemaining(entries::add);
    return entries;
  }
}
