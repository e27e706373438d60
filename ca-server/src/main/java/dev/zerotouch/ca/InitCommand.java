package dev.zerotouch.ca;

import static net.logstash.logback.argument.StructuredArguments.kv;

import dev.zerotouch.ca.pki.CaKeyType;
import dev.zerotouch.ca.pki.DevPki;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code init --out DIR}: makes the missing files of the development PKI. */
@Command(name = "init", mixinStandardHelpOptions = true,
    description = "Make a development PKI (ca.key, ca.pem, server.key, server.pem) in --out; "
        + "only missing files are made, none is overwritten.")
final class InitCommand implements Callable<Integer> {
  private static final Logger AUDIT = LoggerFactory.getLogger("audit");

  @Option(names = "--out", defaultValue = "certs", description = "directory (default certs)")
  Path out;

  @Option(names = "--ca-key-type", defaultValue = "ec256",
      description = "ec256 or rsa2048 (default ${DEFAULT-VALUE}: signs ~5x faster here)")
  String caKeyType;

  @Option(names = "--server-key-type", defaultValue = "rsa2048",
      description = "ec256 or rsa2048 (default ${DEFAULT-VALUE})")
  String serverKeyType;

  @Option(names = "--log-format", defaultValue = "${env:ZT_LOG_FORMAT:-text}",
      description = "json or text (ZT_LOG_FORMAT, default ${DEFAULT-VALUE})")
  String logFormat;

  @Override
  public Integer call() {
    List<DevPki.FileOutcome> outcomes;
    try {
      outcomes = new DevPki().create(out, CaKeyType.parse(caKeyType),
          CaKeyType.parse(serverKeyType), Instant.now());
    } catch (IOException | RuntimeException e) {
      System.err.println("ca-server init: " + e.getMessage());
      return 1;
    }

    for (DevPki.FileOutcome outcome : outcomes) {
      System.out.println((outcome.created() ? "created " : "kept    ") + outcome.file());
      if (outcome.created()) {
        AUDIT.info("dev pki file created {} {}", kv("event", "dev_pki_created"),
            kv("file", outcome.file().toString()));
      }
    }
    return 0;
  }
}
