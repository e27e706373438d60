package dev.zerotouch.loadtest.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.zerotouch.loadtest.LoadTestErrorCode;
import dev.zerotouch.loadtest.LoadTestException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportWriterTest {

  @TempDir
  Path dir;

  @Test
  void theJsonReportHasSnakeCaseFieldsWithTheSameFiguresAsTheSummary() throws Exception {
    JsonNode json = new ObjectMapper().readTree(ReportWriter.toJson(Reports.failedRun()));

    assertThat(json.path("devices").path("attempted").asLong()).isEqualTo(1000);
    assertThat(json.path("devices").path("failed").asLong()).isEqualTo(3);
    assertThat(json.path("heartbeats").path("acknowledged").asLong()).isEqualTo(1994);
    assertThat(json.path("keys").path("from_cache").asInt()).isEqualTo(800);
    assertThat(json.path("phases").get(0).path("p90_ms").asDouble()).isEqualTo(180.25);
    assertThat(json.path("phases").get(0).path("throughput_per_second").asDouble())
        .isEqualTo(399.2);
    assertThat(json.path("errors").get(0).path("kind").asText())
        .isEqualTo("provision/ca_refused:cn_taken");
    assertThat(json.path("errors").get(0).path("count").asLong()).isEqualTo(2);
    assertThat(json.path("client_cpu_ms_per_connect").asDouble()).isEqualTo(2.75);
    assertThat(json.path("client_cpu_ms_per_connect_whole_phase").asDouble()).isEqualTo(6.5);
    assertThat(json.path("wall_time_ms").asLong()).isEqualTo(14000);
    assertThat(json.path("passed").asBoolean()).isFalse();
  }

  @Test
  void aWrittenReportReadsBackEqual() throws Exception {
    Path file = dir.resolve("out/report.json");

    ReportWriter.write(Reports.failedRun(), file);

    assertThat(ReportWriter.fromJson(Files.readString(file))).isEqualTo(Reports.failedRun());
    assertThat(dir.resolve("out")).isDirectoryNotContaining("glob:**.tmp");
  }

  @Test
  void aReportThatCannotBeWrittenSaysWhere() throws Exception {
    Path blocker = Files.writeString(dir.resolve("file"), "x");

    assertThatThrownBy(() -> ReportWriter.write(Reports.passedRun(),
        blocker.resolve("report.json")))
        .isInstanceOf(LoadTestException.class)
        .hasMessageContaining("cannot write the report to " + blocker.resolve("report.json"))
        .satisfies(e -> assertThat(((LoadTestException) e).code())
            .isEqualTo(LoadTestErrorCode.REPORT_FAILED));
  }
}
