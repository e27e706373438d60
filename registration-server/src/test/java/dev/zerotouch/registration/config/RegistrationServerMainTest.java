package dev.zerotouch.registration.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zerotouch.registration.RegistrationServerMain;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Start-up refusals an operator sees on the command line, before anything is bound. */
class RegistrationServerMainTest {

  @TempDir
  Path dir;

  @Test
  void missingCertificateStopsStartWithExitCode2AndTheFileName() {
    String refusal = refusalOf("--cert", dir.resolve("absent.pem").toString(),
        "--key", dir.resolve("absent.key").toString(), "--log-format", "text");

    assertThat(refusal).contains("server certificate file", "absent.pem", "does not exist");
  }

  @Test
  void heartbeatIntervalBelowOneSecondIsRefused() {
    assertThat(refusalOf("--heartbeat-interval", "500ms", "--log-format", "text"))
        .contains("heartbeat interval must be whole seconds");
  }

  @Test
  void unknownLogFormatIsRefused() {
    assertThat(refusalOf("--log-format", "xml"))
        .contains("log format must be json or text, got 'xml'");
  }

  @Test
  void registryLingerOverOneSecondIsRefused() {
    assertThat(refusalOf("--registry-linger", "2s", "--log-format", "text"))
        .contains("registry linger must be 0 to 1000ms, got PT2S");
  }

  @Test
  void negativeEventLoopsAreRefused() {
    assertThat(refusalOf("--event-loops", "-1", "--log-format", "text"))
        .contains("event loops must be at least 0, got -1");
  }

  @Test
  void zeroEventLoopsMeansOnePerProcessor() {
    RegistrationServerMain main = new RegistrationServerMain();
    new CommandLine(main).parseArgs("--event-loops", "0");
    RegistrationServerMain three = new RegistrationServerMain();
    new CommandLine(three).parseArgs("--event-loops", "3");

    assertThat(main.config().eventLoopThreads())
        .isEqualTo(Runtime.getRuntime().availableProcessors());
    assertThat(three.config().eventLoopThreads()).isEqualTo(3);
  }

  /** What the server prints when it refuses to start with these arguments (exit code 2). */
  private static String refusalOf(String... args) {
    StringWriter err = new StringWriter();
    CommandLine command = new CommandLine(new RegistrationServerMain())
        .setErr(new PrintWriter(err));

    int exit = command.execute(args);

    assertThat(exit).as("exit code").isEqualTo(2);
    return err.toString();
  }
}
