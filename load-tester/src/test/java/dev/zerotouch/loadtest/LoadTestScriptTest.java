package dev.zerotouch.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code load-test.sh} with a stand-in {@code java} on the PATH that records how it was
 * called: keys first with the full JIT, then the test with C1 only, both through the same
 * key directory, and a private temporary one removed at the end when none was given.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class LoadTestScriptTest {

  /** Records its arguments, and the mode of the --key-cache directory, then exits. */
  private static final String FAKE_JAVA = """
      #!/bin/sh
      printf '%s\\n' "$*" >> "$CALLS"
      next=
      for a in "$@"; do
        if [ "$next" = 1 ]; then stat -c '%a %n' "$a" >> "$CACHES"; next=; fi
        [ "$a" = --key-cache ] && next=1
      done
      case "$*" in
        *--keys-only*) exit "${KEYS_EXIT:-0}" ;;
      esac
      if [ -n "${READ_STDIN:-}" ]; then
        IFS= read -r line || true
        echo "stdin:$line" >> "$SIGNALS"
      fi
      if [ -n "${TEST_HANGS:-}" ]; then
        trap 'echo TERM >> "$SIGNALS"; kill "$pause"; exit 143' TERM
        sleep 30 & pause=$!
        echo started >> "$SIGNALS"
        wait "$pause"
      fi
      exit "${TEST_EXIT:-0}"
      """;

  @TempDir
  Path dir;

  private Path script;
  private Path tmp;

  @BeforeEach
  void copyTheScriptBesideAStandInJar() throws IOException {
    Path module = dir.resolve("load-tester");
    Files.createDirectories(module.resolve("target"));
    Files.writeString(module.resolve("target/load-tester.jar"), "");
    script = module.resolve("load-test.sh");
    Files.copy(Path.of("load-test.sh"), script, StandardCopyOption.COPY_ATTRIBUTES);

    Path bin = Files.createDirectories(dir.resolve("bin"));
    Files.writeString(bin.resolve("java"), FAKE_JAVA);
    Files.setPosixFilePermissions(bin.resolve("java"),
        PosixFilePermissions.fromString("rwx------"));
    tmp = Files.createDirectories(dir.resolve("tmp"));
  }

  @Test
  void makesTheKeysWithTheFullJitThenTestsWithC1ThroughAPrivateDirectoryItRemoves()
      throws Exception {
    int code = run(Map.of(), "1000", "--key-type", "ec256");

    assertThat(code).isZero();
    List<String> calls = calls();
    assertThat(calls).hasSize(2);
    assertThat(calls.get(0)).startsWith("-jar ").contains(" --keys-only 1000 --key-type ec256")
        .doesNotContain("TieredStopAtLevel");
    assertThat(calls.get(1)).startsWith("-XX:TieredStopAtLevel=1 -jar ")
        .doesNotContain("--keys-only");
    List<String> caches = caches();
    assertThat(caches).hasSize(2).allMatch(line -> line.startsWith("700 " + tmp));
    assertThat(caches.get(0)).isEqualTo(caches.get(1));
    try (Stream<Path> left = Files.list(tmp)) {
      assertThat(left).as("the temporary key directory is removed").isEmpty();
    }
  }

  @Test
  void aKeyCacheGivenIsUsedAsItIs() throws Exception {
    Path cache = Files.createDirectories(dir.resolve("cache"));

    int code = run(Map.of(), "10", "--key-cache=" + cache);

    assertThat(code).isZero();
    assertThat(calls()).hasSize(2).allMatch(call -> call.endsWith("10 --key-cache=" + cache));
    assertThat(caches()).isEmpty();
  }

  @Test
  void theTestsExitCodeIsTheScriptsAndTheKeysAreRemovedAnyway() throws Exception {
    int code = run(Map.of("TEST_EXIT", "1"), "5");

    assertThat(code).isEqualTo(1);
    assertThat(calls()).hasSize(2);
    try (Stream<Path> left = Files.list(tmp)) {
      assertThat(left).isEmpty();
    }
  }

  @ParameterizedTest
  @CsvSource({"TERM, 143", "INT, 130", "HUP, 129"})
  void aSignalToTheScriptStopsTheTesterAndRemovesTheKeys(String signal, int expected)
      throws Exception {
    Process process = start(Map.of("TEST_HANGS", "1"), "5");
    awaitSignalsLine("started");

    new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).start().waitFor();

    assertThat(process.waitFor(10, TimeUnit.SECONDS)).as("the script ended").isTrue();
    assertThat(process.exitValue()).isEqualTo(expected);
    assertThat(Files.readAllLines(dir.resolve("signals"))).containsExactly("started", "TERM");
    try (Stream<Path> left = Files.list(tmp)) {
      assertThat(left).as("the temporary key directory is removed").isEmpty();
    }
  }

  @Test
  void theTesterReadsTheScriptsStandardInputSoItCanSeeATerminal() throws Exception {
    Process process = start(Map.of("READ_STDIN", "1"), "5");
    try (var stdin = process.getOutputStream()) {
      stdin.write("typed-at-the-terminal\n".getBytes(StandardCharsets.UTF_8));
    }

    assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).isZero();
    assertThat(Files.readAllLines(dir.resolve("signals")))
        .containsExactly("stdin:typed-at-the-terminal");
  }

  @Test
  void aFailedKeyStepStopsBeforeTheTest() throws Exception {
    int code = run(Map.of("KEYS_EXIT", "2"), "0");

    assertThat(code).isEqualTo(2);
    assertThat(calls()).singleElement().asString().contains("--keys-only");
  }

  @Test
  void fullJitRunsTheTestAloneInOneJvm() throws Exception {
    int code = run(Map.of("ZT_LOAD_JIT", "full", "ZT_LOAD_JAVA_OPTS", "-Xmx1g"), "5");

    assertThat(code).isZero();
    assertThat(calls()).singleElement().asString().startsWith("-Xmx1g -jar ")
        .endsWith(" 5");
  }

  @Test
  void aMissingJarSaysHowToBuildIt() throws Exception {
    Files.delete(script.resolveSibling("target/load-tester.jar"));

    int code = run(Map.of(), "5");

    assertThat(code).isEqualTo(3);
    assertThat(Files.readString(dir.resolve("stderr")))
        .contains("mvn -q -pl load-tester package -DskipTests");
  }

  private int run(Map<String, String> env, String... args) throws Exception {
    Process process = start(env, args);
    return process.waitFor(20, TimeUnit.SECONDS) ? process.exitValue() : -1;
  }

  private Process start(Map<String, String> env, String... args) throws IOException {
    ProcessBuilder builder = new ProcessBuilder(Stream.concat(
        Stream.of("sh", script.toString()), Stream.of(args)).toList())
        .redirectOutput(dir.resolve("stdout").toFile())
        .redirectError(dir.resolve("stderr").toFile());
    Map<String, String> environment = builder.environment();
    environment.remove("ZT_LOAD_KEY_CACHE");
    environment.remove("ZT_LOAD_JIT");
    environment.remove("ZT_LOAD_JAVA_OPTS");
    environment.put("PATH", dir.resolve("bin") + ":" + environment.get("PATH"));
    environment.put("TMPDIR", tmp.toString());
    environment.put("CALLS", dir.resolve("calls").toString());
    environment.put("CACHES", dir.resolve("caches").toString());
    environment.put("SIGNALS", dir.resolve("signals").toString());
    environment.putAll(env);
    return builder.start();
  }

  private void awaitSignalsLine(String line) throws Exception {
    Path signals = dir.resolve("signals");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!Files.exists(signals) || !Files.readAllLines(signals).contains(line)) {
      assertThat(System.nanoTime()).as("the stand-in java said " + line).isLessThan(deadline);
      Thread.sleep(20);
    }
  }

  private List<String> calls() throws IOException {
    Path calls = dir.resolve("calls");
    return Files.exists(calls) ? Files.readAllLines(calls) : List.of();
  }

  private List<String> caches() throws IOException {
    Path caches = dir.resolve("caches");
    return Files.exists(caches) ? Files.readAllLines(caches) : List.of();
  }
}
