package dev.zerotouch.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zerotouch.loadtest.report.LoadTestReport;
import dev.zerotouch.loadtest.report.ReportWriter;
import dev.zerotouch.loadtest.run.Progress;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LoadTesterMainTest {

  @TempDir
  Path dir;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @Test
  void zeroDevicesExitsTwoWithTheReason() {
    int code = run("0");

    assertThat(code).isEqualTo(LoadTesterMain.EXIT_INVALID);
    assertThat(err()).contains("devices (N) is 0, expected 1 to 999999");
  }

  @Test
  void anUnknownKeyTypeExitsTwoNamingTheChoices() {
    int code = run("5", "--key-type", "dsa1024");

    assertThat(code).isEqualTo(LoadTesterMain.EXIT_INVALID);
    assertThat(err()).contains("--key-type 'dsa1024' is not known, expected rsa2048 or ec256");
  }

  @Test
  void aServerWithoutPortExitsTwo() {
    int code = run("5", "--server", "localhost");

    assertThat(code).isEqualTo(LoadTesterMain.EXIT_INVALID);
    assertThat(err()).contains("--server: server 'localhost' is not understood");
  }

  @Test
  void aMissingDeviceCountIsAUsageError() {
    int code = run();

    assertThat(code).isEqualTo(2);
    assertThat(err()).contains("Missing required parameter: 'N'");
  }

  @Test
  void anUnreachableCaFailsEveryDeviceVisiblyAndExitsOne() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    Path report = dir.resolve("report.json");

    int code = run("3", "--key-type", "ec256", "--ca-url", "http://127.0.0.1:" + closedPort,
        "--timeout", "5s", "--cn-prefix", "unreach-", "--report", report.toString());

    assertThat(code).isEqualTo(LoadTesterMain.EXIT_DEVICES_FAILED);
    LoadTestReport result = ReportWriter.fromJson(Files.readString(report));
    assertThat(result.devices().attempted()).isEqualTo(3);
    assertThat(result.devices().provisioned()).isZero();
    assertThat(result.devices().failed()).isEqualTo(3);
    assertThat(result.errors()).singleElement().satisfies(group -> {
      assertThat(group.kind()).isEqualTo("provision/ca_unreachable");
      assertThat(group.count()).isEqualTo(3);
      assertThat(group.example()).startsWith("unreach-00000").contains("cannot be reached");
    });
    assertThat(out()).contains("3 attempted, 0 provisioned").contains("provision/ca_unreachable")
        .contains("FAIL, 3 of 3 devices failed");
  }

  @Test
  void aReportThatCannotBeWrittenExitsThreeAfterTheSummary() throws Exception {
    Path blocker = Files.writeString(dir.resolve("not-a-dir"), "x");

    int code = run("1", "--key-type", "ec256", "--ca-url", "http://127.0.0.1:1",
        "--timeout", "5s", "--report", blocker.resolve("report.json").toString());

    assertThat(code).isEqualTo(LoadTesterMain.EXIT_RUN_FAILED);
    assertThat(out()).contains("1 attempted, 0 provisioned");
    assertThat(err()).contains("cannot write the report to " + blocker.resolve("report.json"));
  }

  @Test
  void keysOnlyMakesTheKeysInTheCacheAndTouchesNoServer() throws Exception {
    Path cache = dir.resolve("keys");

    int code = run("3", "--key-type", "ec256", "--keys-only", "--key-cache", cache.toString(),
        "--ca-url", "http://127.0.0.1:1");

    assertThat(code).isEqualTo(LoadTesterMain.EXIT_PASSED);
    try (var files = Files.list(cache.resolve("ec256"))) {
      assertThat(files.map(f -> f.getFileName().toString()))
          .containsExactlyInAnyOrder("key-000000.pem", "key-000001.pem", "key-000002.pem");
    }
    assertThat(out()).contains("3 ready in").contains("(3 generated, 0 from cache)")
        .doesNotContain("provision");
  }

  @Test
  void keysOnlyWithoutAKeyCacheExitsTwo() {
    int code = run("3", "--key-type", "ec256", "--keys-only");

    assertThat(code).isEqualTo(LoadTesterMain.EXIT_INVALID);
    assertThat(err()).contains("--keys-only needs --key-cache");
  }

  private int run(String... args) {
    return LoadTesterMain.execute(new LoadTesterMain(
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), Progress.none()), args);
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }
}
