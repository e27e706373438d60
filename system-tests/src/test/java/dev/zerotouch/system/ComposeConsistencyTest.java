package dev.zerotouch.system;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Checks docker-compose.yml against the services without any container engine: every variable
 * it passes is one the service reads, published ports are the ones the services listen on,
 * health checks hit the services' health paths, and no variable starts with ETCD_.
 */
class ComposeConsistencyTest {

  private static final Pattern ENV_DEFAULT = Pattern.compile("\\$\\{env:([A-Z0-9_]+)(?::-([^}]*))?}");
  private static final Map<String, String> MAIN_CLASSES = Map.of(
      "ca-server/Dockerfile", "dev.zerotouch.ca.CaServerMain",
      "registration-server/Dockerfile", "dev.zerotouch.registration.RegistrationServerMain");

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
      if (!MAIN_CLASSES.containsKey(dockerfile)) {
        continue;
      }
      Map<String, String> read = variablesRead(MAIN_CLASSES.get(dockerfile));
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
    Map<String, String> ca = variablesRead(MAIN_CLASSES.get("ca-server/Dockerfile"));
    Map<String, String> reg = variablesRead(MAIN_CLASSES.get("registration-server/Dockerfile"));

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

  /** The ZT_* variables a service's options read, with their defaults. */
  private static Map<String, String> variablesRead(String mainClass) throws Exception {
    Object command = Class.forName(mainClass).getDeclaredConstructor().newInstance();
    Map<String, String> variables = new HashMap<>();
    collect(new CommandLine(command).getCommandSpec(), variables, new HashSet<>());
    return variables;
  }

  private static void collect(CommandSpec spec, Map<String, String> variables,
      Set<CommandSpec> seen) {
    if (!seen.add(spec)) {
      return;
    }
    for (OptionSpec option : spec.options()) {
      String defaultValue = option.defaultValue();
      if (defaultValue == null) {
        continue;
      }
      Matcher matcher = ENV_DEFAULT.matcher(defaultValue);
      while (matcher.find()) {
        variables.put(matcher.group(1), matcher.group(2) == null ? "" : matcher.group(2));
      }
    }
    for (CommandLine sub : spec.subcommands().values()) {
      collect(sub.getCommandSpec(), variables, seen);
    }
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
