package dev.zerotouch.ca;

import static net.logstash.logback.argument.StructuredArguments.kv;

import dev.zerotouch.ca.config.CaServerConfig;
import dev.zerotouch.ca.config.ServeOptions;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code serve}: runs the CA until the process is stopped. */
@Command(name = "serve", mixinStandardHelpOptions = true,
    description = "Serve POST /sign-csr, /ca.pem, /health, /live and /metrics.")
final class ServeCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(ServeCommand.class);

  @Mixin
  ServeOptions options;

  @Option(names = "--log-format", defaultValue = "${env:ZT_LOG_FORMAT:-json}",
      description = "json or text (ZT_LOG_FORMAT, default ${DEFAULT-VALUE})")
  String logFormat;

  @Override
  public Integer call() {
    return serve(options);
  }

  /**
   * Starts the server and blocks until the process is told to stop (the shutdown hook closes
   * the server); returns 1 at once when the server cannot start.
   */
  static int serve(ServeOptions options) {
    CaServerConfig config;
    CaServer server;
    try {
      config = options.toConfig();
      server = CaServer.start(config, Clock.systemUTC());
    } catch (IllegalArgumentException | CaException e) {
      LOG.error("ca server cannot start {}", kv("reason", e.getMessage()));
      System.err.println("ca-server: " + e.getMessage());
      return 1;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(server::close, "ca-shutdown"));
    try {
      new CountDownLatch(1).await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }
}
