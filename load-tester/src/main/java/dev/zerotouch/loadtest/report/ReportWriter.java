package dev.zerotouch.loadtest.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.zerotouch.loadtest.LoadTestErrorCode;
import dev.zerotouch.loadtest.LoadTestException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** The report as JSON: snake_case fields, indented, written whole or not at all. */
public final class ReportWriter {

  private static final ObjectMapper JSON = new ObjectMapper()
      .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
      .enable(SerializationFeature.INDENT_OUTPUT);

  private ReportWriter() {
  }

  public static String toJson(LoadTestReport report) {
    try {
      return JSON.writeValueAsString(report);
    } catch (IOException e) {
      throw new LoadTestException(LoadTestErrorCode.UNEXPECTED,
          "cannot write the report as JSON: " + e.getMessage(), e);
    }
  }

  /** Reads a report back (for tests and tools that compare runs). */
  public static LoadTestReport fromJson(String json) {
    try {
      return JSON.readValue(json, LoadTestReport.class);
    } catch (IOException e) {
      throw new LoadTestException(LoadTestErrorCode.UNEXPECTED,
          "not a load-test report: " + e.getMessage(), e);
    }
  }

  /** Writes to a temporary file beside {@code file} and renames it into place. */
  public static void write(LoadTestReport report, Path file) {
    Path target = file.toAbsolutePath();
    Path staging = target.resolveSibling(target.getFileName() + ".tmp");
    try {
      Files.createDirectories(target.getParent());
      Files.writeString(staging, toJson(report) + "\n");
      Files.move(staging, target, StandardCopyOption.REPLACE_EXISTING,
          StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new LoadTestException(LoadTestErrorCode.REPORT_FAILED,
          "cannot write the report to " + file + ": " + e.getMessage(), e);
    }
  }
}
