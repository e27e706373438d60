package dev.zerotouch.ca;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class CaServerMainTest {
  @TempDir
  Path dir;

  private final PrintStream originalErr = System.err;
  private final PrintStream originalOut = System.out;
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  @AfterEach
  void restore() {
    System.setErr(originalErr);
    System.setOut(originalOut);
  }

  @Test
  void initTwiceCreatesThenKeepsTheFilesWithOwnerOnlyKeys() throws Exception {
    int first = run("init", "--out", dir.toString());
    String firstKey = Files.readString(dir.resolve("ca.key"));
    int second = run("init", "--out", dir.toString());

    assertThat(first).isZero();
    assertThat(second).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("created " + dir.resolve("ca.key"))
        .contains("kept    " + dir.resolve("server.pem"));
    assertThat(Files.readString(dir.resolve("ca.key"))).isEqualTo(firstKey);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(
        dir.resolve("ca.key")))).isEqualTo("rw-------");
  }

  @Test
  void initWithUnknownKeyTypeFailsWithTheAcceptedSpellings() {
    int code = run("init", "--out", dir.toString(), "--ca-key-type", "dsa");

    assertThat(code).isEqualTo(1);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("rsa2048, ec256");
  }

  @Test
  void serveWithoutTheCaKeyRefusesToStartNamingTheFile() {
    int code = run("--ca-key", dir.resolve("missing.key").toString(), "--ca-cert",
        dir.resolve("missing.pem").toString(), "--port", "0");

    assertThat(code).isEqualTo(1);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("missing.key")
        .contains("does not exist");
  }

  @Test
  void serveWithAGroupReadableKeyRefusesToStart() throws Exception {
    run("init", "--out", dir.toString());
    Files.setPosixFilePermissions(dir.resolve("ca.key"),
        PosixFilePermissions.fromString("rw-r--r--"));

    int code = run("serve", "--ca-key", dir.resolve("ca.key").toString(), "--ca-cert",
        dir.resolve("ca.pem").toString(), "--port", "0");

    assertThat(code).isEqualTo(1);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("accessible by group or others");
  }

  @Test
  void serveWithTheKeyOfAnotherCaRefusesToStart() throws Exception {
    run("init", "--out", dir.resolve("a").toString());
    run("init", "--out", dir.resolve("b").toString());

    int code = run("--ca-key", dir.resolve("a/ca.key").toString(), "--ca-cert",
        dir.resolve("b/ca.pem").toString(), "--port", "0");

    assertThat(code).isEqualTo(1);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("does not belong");
  }

  @Test
  void serveWithAPortOutOfRangeRefusesToStart() {
    int code = run("--port", "70000");

    assertThat(code).isEqualTo(1);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("port 70000");
  }

  @Test
  void logFormatComesFromTheFlagThenTheEnvironmentThenTheCommand() {
    assertThat(LogFormat.apply(new String[] {"--log-format", "text"}, Map.of())).isNull();
    assertThat(System.getProperty(LogFormat.PROPERTY)).isEqualTo("text");
    assertThat(LogFormat.apply(new String[] {}, Map.of("ZT_LOG_FORMAT", "json"))).isNull();
    assertThat(System.getProperty(LogFormat.PROPERTY)).isEqualTo("json");
    assertThat(LogFormat.apply(new String[] {"init"}, Map.of())).isNull();
    assertThat(System.getProperty(LogFormat.PROPERTY)).isEqualTo("text");
    assertThat(LogFormat.apply(new String[] {"--log-format=xml"}, Map.of()))
        .contains("json or text");
  }

  private int run(String... args) {
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      return new CommandLine(new CaServerMain()).execute(args);
    } finally {
      System.setErr(originalErr);
      System.setOut(originalOut);
    }
  }
}
