package dev.zerotouch.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zerotouch.loadtest.metrics.PhaseResult;
import dev.zerotouch.loadtest.report.LoadTestReport;
import dev.zerotouch.loadtest.report.ReportWriter;
import dev.zerotouch.loadtest.run.Progress;
import dev.zerotouch.loadtest.testing.Stack;
import dev.zerotouch.protocol.pki.Csrs;
import dev.zerotouch.protocol.pki.KeyType;
import dev.zerotouch.protocol.pki.Pem;
import dev.zerotouch.registry.testing.EtcdExtension;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LoadTestAgainstStackTest {

  @RegisterExtension
  static final EtcdExtension ETCD = new EtcdExtension();

  @TempDir
  static Path pki;

  @TempDir
  Path dir;

  private static Stack stack;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @BeforeAll
  static void startStack() throws Exception {
    stack = new Stack(ETCD, pki);
  }

  @AfterAll
  static void stopStack() {
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  void fiveDevicesProvisionRegisterHeartbeatAndHoldWithTheReportSayingSo() throws Exception {
    Path reportFile = dir.resolve("report.json");

    int code = run("5", "--key-type", "ec256", "--heartbeats", "2", "--hold", "1s",
        "--cn-prefix", "ok-", "--report", reportFile.toString());

    assertThat(code).as(err()).isEqualTo(LoadTesterMain.EXIT_PASSED);
    LoadTestReport report = ReportWriter.fromJson(Files.readString(reportFile));
    assertThat(report.devices()).isEqualTo(new LoadTestReport.Devices(5, 5, 5, 5, 0));
    assertThat(report.errors()).isEmpty();
    assertThat(report.passed()).isTrue();
    assertThat(report.heartbeats().acknowledged()).isGreaterThanOrEqualTo(10);
    assertThat(report.heartbeats().sent())
        .isGreaterThanOrEqualTo(report.heartbeats().acknowledged());
    assertThat(report.keys().count()).isEqualTo(5);
    assertThat(report.settings().keyType()).isEqualTo("ec256");

    Map<String, PhaseResult> phases = byName(report.phases());
    assertThat(phases).containsOnlyKeys("provision", "register", "heartbeat", "hold");
    assertThat(phases.get("provision").succeeded()).isEqualTo(5);
    assertThat(phases.get("register").succeeded()).isEqualTo(5);
    assertThat(phases.get("heartbeat").succeeded()).isGreaterThanOrEqualTo(10);
    assertThat(phases.get("register").failed()).isZero();
    for (String phase : List.of("provision", "register", "heartbeat")) {
      PhaseResult result = phases.get(phase);
      assertThat(result.p50Ms()).as(phase).isPositive();
      assertThat(result.maxMs()).as(phase).isGreaterThanOrEqualTo(result.p99Ms());
      assertThat(result.throughputPerSecond()).as(phase).isPositive();
    }
    assertThat(phases.get("hold").durationMs()).isGreaterThanOrEqualTo(1000);
    assertThat(report.clientCpuMsPerConnect()).isPositive();
    assertThat(report.clientCpuMsPerConnectWholePhase()).isPositive();
    for (int i = 0; i < 5; i++) {
      assertThat(stack.registry().findDevice("ok-00000" + i)).as("device record %d", i)
          .isPresent();
    }
    assertThat(out()).contains("5 attempted, 5 provisioned, 5 registered, 5 completed, 0 failed")
        .contains("errors:     none").contains("PASS");
  }

  @Test
  void aDeviceWhoseNameIsHeldByAnotherKeyIsCountedAndReportedAndTheRunFails() throws Exception {
    holdName("taken-000001");
    Path reportFile = dir.resolve("report.json");

    int code = run("3", "--key-type", "ec256", "--heartbeats", "1", "--cn-prefix", "taken-",
        "--report", reportFile.toString());

    assertThat(code).isEqualTo(LoadTesterMain.EXIT_DEVICES_FAILED);
    LoadTestReport report = ReportWriter.fromJson(Files.readString(reportFile));
    assertThat(report.devices()).isEqualTo(new LoadTestReport.Devices(3, 2, 2, 2, 1));
    assertThat(report.passed()).isFalse();
    assertThat(report.errors()).singleElement().satisfies(group -> {
      assertThat(group.kind()).isEqualTo("provision/ca_refused:cn_conflict");
      assertThat(group.count()).isEqualTo(1);
      assertThat(group.example()).startsWith("taken-000001: ").contains("409");
    });
    assertThat(byName(report.phases()).get("provision").failed()).isEqualTo(1);
    assertThat(out()).contains("provision/ca_refused:cn_conflict")
        .contains("e.g. taken-000001: ").contains("FAIL, 1 of 3 devices failed");
  }

  /** Has the CA issue {@code cn} for a key of its own, as another device would. */
  private static void holdName(String cn) throws Exception {
    String csr = Pem.csr(Csrs.build(KeyType.EC_P256.generate(), cn));
    HttpRequest request = HttpRequest.newBuilder(URI.create(stack.caUrl() + "/sign-csr"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(
            "{\"csr_pem\":\"" + csr.replace("\n", "\\n") + "\"}"))
        .build();
    HttpResponse<String> response = HttpClient.newHttpClient().send(request,
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
  }

  private int run(String... args) {
    String[] all = new String[args.length + 4];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "--ca-url";
    all[args.length + 1] = stack.caUrl();
    all[args.length + 2] = "--server";
    all[args.length + 3] = stack.serverAddress();
    return LoadTesterMain.execute(new LoadTesterMain(
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), Progress.none()), all);
  }

  private static Map<String, PhaseResult> byName(List<PhaseResult> phases) {
    return phases.stream().collect(Collectors.toMap(PhaseResult::phase, Function.identity()));
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }
}
