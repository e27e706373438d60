package dev.zerotouch.loadtest;

import dev.zerotouch.loadtest.config.LoadTestConfig;
import dev.zerotouch.loadtest.config.LogFormat;
import dev.zerotouch.loadtest.config.LogSetup;
import dev.zerotouch.loadtest.keys.KeySet;
import dev.zerotouch.device.config.ServerAddress;
import dev.zerotouch.loadtest.report.LoadTestReport;
import dev.zerotouch.loadtest.report.ReportWriter;
import dev.zerotouch.loadtest.report.SummaryPrinter;
import dev.zerotouch.loadtest.run.LoadTest;
import dev.zerotouch.loadtest.run.PlainProgress;
import dev.zerotouch.loadtest.run.Progress;
import dev.zerotouch.loadtest.run.TerminalProgress;
import dev.zerotouch.protocol.config.DurationConverter;
import dev.zerotouch.protocol.pki.KeyType;
import java.io.PrintStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code java -jar load-tester.jar 1000}: N simulated devices provision, register and
 * heartbeat against a running stack; prints a summary, optionally writes a JSON report.
 * Exit code 0 when every device completed, 1 when any failed, 2 for a bad command line or
 * setting, 3 when the run itself could not be done (keys, report file; the summary is still
 * printed when only the report could not be written).
 */
@Command(name = "load-tester", sortOptions = false,
    description = "Simulates N devices that each provision with the CA, connect with mutual"
        + " TLS, register and heartbeat, concurrently; prints a summary.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:every device completed", "1:at least one device failed",
        "2:invalid command line or setting", "3:the run could not be done"})
public final class LoadTesterMain implements Callable<Integer> {

  public static final int EXIT_PASSED = 0;
  public static final int EXIT_DEVICES_FAILED = 1;
  public static final int EXIT_INVALID = 2;
  public static final int EXIT_RUN_FAILED = 3;

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help and exit")
  boolean help;

  @Parameters(index = "0", paramLabel = "N", description = "how many devices to simulate")
  int devices;

  @Option(names = "--concurrency", defaultValue = "${env:ZT_LOAD_CONCURRENCY:-64}",
      description = "most CA requests and most TLS connects in flight (ZT_LOAD_CONCURRENCY,"
          + " default ${DEFAULT-VALUE})")
  int concurrency;

  @Option(names = "--ramp-up", defaultValue = "${env:ZT_LOAD_RAMP_UP:-0s}",
      converter = DurationConverter.class,
      description = "spread each phase's starts over this time (ZT_LOAD_RAMP_UP,"
          + " default ${DEFAULT-VALUE})")
  Duration rampUp;

  @Option(names = "--heartbeats", defaultValue = "${env:ZT_LOAD_HEARTBEATS:-2}",
      description = "acknowledged heartbeats each device waits for after registering, sent at"
          + " the server's interval (ZT_LOAD_HEARTBEATS, default ${DEFAULT-VALUE})")
  int heartbeats;

  @Option(names = "--hold", defaultValue = "${env:ZT_LOAD_HOLD:-0s}",
      converter = DurationConverter.class,
      description = "keep every device connected this long after its heartbeats, beating at"
          + " the server's interval (ZT_LOAD_HOLD, default ${DEFAULT-VALUE})")
  Duration hold;

  @Option(names = "--timeout", defaultValue = "${env:ZT_LOAD_TIMEOUT:-30s}",
      converter = DurationConverter.class,
      description = "longest wait for one answer (ZT_LOAD_TIMEOUT, default ${DEFAULT-VALUE})")
  Duration timeout;

  @Option(names = "--key-type", defaultValue = "${env:ZT_KEY_TYPE:-rsa2048}",
      description = "rsa2048 or ec256 (ZT_KEY_TYPE, default ${DEFAULT-VALUE})")
  String keyType;

  @Option(names = "--ca-url", defaultValue = "${env:ZT_CA_URL:-http://localhost:8080}",
      description = "the CA's base URL (ZT_CA_URL, default ${DEFAULT-VALUE})")
  String caUrl;

  @Option(names = "--server", defaultValue = "${env:ZT_SERVER:-localhost:8443}",
      description = "the registration server, host:port (ZT_SERVER, default ${DEFAULT-VALUE})")
  String server;

  @Option(names = "--report", defaultValue = "${env:ZT_LOAD_REPORT}",
      description = "also write the figures as JSON to this file (ZT_LOAD_REPORT)")
  Path report;

  @Option(names = "--key-cache", defaultValue = "${env:ZT_LOAD_KEY_CACHE}",
      description = "keep generated keys in this directory (0700, files 0600) and reuse them"
          + " in later runs (ZT_LOAD_KEY_CACHE)")
  Path keyCache;

  @Option(names = "--cn-prefix", defaultValue = "${env:ZT_LOAD_CN_PREFIX}",
      description = "device Common Names are this prefix and a 6-digit index (ZT_LOAD_CN_PREFIX,"
          + " default load-<8 random hex>- so that runs never collide)")
  String cnPrefix;

  @Option(names = "--keys-only",
      description = "only make the N keys in --key-cache (those it lacks) and exit; load-test.sh"
          + " runs this first, in a JVM with the full JIT, and the test itself in one whose JIT"
          + " stops at C1")
  boolean keysOnly;

  @Option(names = "--log-format", defaultValue = "${env:ZT_LOG_FORMAT:-text}",
      description = "text or json (ZT_LOG_FORMAT, default ${DEFAULT-VALUE})")
  String logFormat;

  private final PrintStream out;
  private final PrintStream err;
  private final Progress progressOverride;

  public LoadTesterMain() {
    this(System.out, System.err, null);
  }

  /** For embedding and tests: where the summary and messages go, and how progress shows. */
  public LoadTesterMain(PrintStream out, PrintStream err, Progress progress) {
    this.out = out;
    this.err = err;
    this.progressOverride = progress;
  }

  public static void main(String[] args) {
    System.exit(execute(new LoadTesterMain(), args));
  }

  /** Parses {@code args}, runs, and returns the exit code. */
  public static int execute(LoadTesterMain command, String... args) {
    return new CommandLine(command)
        .setOut(new java.io.PrintWriter(command.out, true))
        .setErr(new java.io.PrintWriter(command.err, true))
        .execute(args);
  }

  @Override
  public Integer call() {
    LoadTestConfig config;
    try {
      config = config();
    } catch (LoadTestException e) {
      err.println("load-tester: " + e.getMessage());
      return EXIT_INVALID;
    }
    LogSetup.apply(config.logFormat());
    if (keysOnly && config.keyCache().isEmpty()) {
      err.println("load-tester: --keys-only needs --key-cache, the directory the test run"
          + " reads the keys back from");
      return EXIT_INVALID;
    }

    LoadTestReport result;
    PlainProgress lines = null;
    Progress progress = progressOverride;
    if (progress == null && System.console() != null) {
      progress = new TerminalProgress(err);
    } else if (progress == null) {
      lines = new PlainProgress(err, Duration.ofSeconds(2));
      progress = lines;
    }
    try {
      if (keysOnly) {
        return keysOnly(new LoadTest(config, progress), config);
      }
      result = new LoadTest(config, progress).run();
    } catch (LoadTestException e) {
      err.println("load-tester: " + e.getMessage());
      return EXIT_RUN_FAILED;
    } finally {
      if (lines != null) {
        lines.close();
      }
    }

    out.print(SummaryPrinter.render(result));
    out.flush();
    if (config.report().isPresent()) {
      try {
        ReportWriter.write(result, config.report().get());
        out.println("report:     " + config.report().get());
      } catch (LoadTestException e) {
        err.println("load-tester: " + e.getMessage());
        return EXIT_RUN_FAILED;
      }
    }
    return result.passed() ? EXIT_PASSED : EXIT_DEVICES_FAILED;
  }

  private int keysOnly(LoadTest test, LoadTestConfig config) {
    KeySet keys = test.prepareKeys();
    out.printf(Locale.ROOT, "keys:       %d ready in %.2f s (%d generated, %d from cache) in %s%n",
        keys.keys().size(), keys.durationMs() / 1000.0, keys.generated(), keys.fromCache(),
        config.keyCache().orElseThrow());
    out.flush();
    return EXIT_PASSED;
  }

  LoadTestConfig config() {
    return new LoadTestConfig(devices, concurrency, rampUp, heartbeats, hold,
        timeout, parseKeyType(keyType), parseUrl(caUrl), parseServer(server),
        Optional.ofNullable(report), Optional.ofNullable(keyCache),
        cnPrefix == null || cnPrefix.isBlank() ? randomPrefix() : cnPrefix,
        LogFormat.parse(logFormat));
  }

  static String randomPrefix() {
    byte[] random = new byte[4];
    new SecureRandom().nextBytes(random);
    return "load-" + HexFormat.of().formatHex(random) + "-";
  }

  private static KeyType parseKeyType(String text) {
    try {
      return KeyType.parse(text);
    } catch (RuntimeException e) {
      throw new LoadTestException(LoadTestErrorCode.INVALID_CONFIG,
          "--key-type '" + text + "' is not known, expected rsa2048 or ec256", e);
    }
  }

  private static ServerAddress parseServer(String text) {
    try {
      return ServerAddress.parse(text);
    } catch (RuntimeException e) {
      throw new LoadTestException(LoadTestErrorCode.INVALID_CONFIG,
          "--server: " + e.getMessage(), e);
    }
  }

  private static URI parseUrl(String text) {
    try {
      return new URI(text.trim());
    } catch (URISyntaxException e) {
      throw new LoadTestException(LoadTestErrorCode.INVALID_CONFIG,
          "--ca-url '" + text + "' is not a URL: " + e.getMessage(), e);
    }
  }
}
