package dev.zerotouch.ca.config;

import dev.zerotouch.protocol.config.DurationConverter;
import dev.zerotouch.registry.EtcdOptions;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The flags of {@code serve}, each defaulting to its {@code ZT_} environment variable. */
public final class ServeOptions {
  @Option(names = "--bind", defaultValue = "${env:ZT_CA_BIND:-0.0.0.0}",
      description = "address to listen on (ZT_CA_BIND, default ${DEFAULT-VALUE})")
  String bind;

  @Option(names = "--port", defaultValue = "${env:ZT_CA_PORT:-8080}",
      description = "HTTP port (ZT_CA_PORT, default ${DEFAULT-VALUE})")
  int port;

  @Option(names = "--ca-key", defaultValue = "${env:ZT_CA_KEY:-certs/ca.key}",
      description = "CA private key, PEM, mode 0600 (ZT_CA_KEY, default ${DEFAULT-VALUE})")
  Path caKey;

  @Option(names = "--ca-cert", defaultValue = "${env:ZT_CA_CERT:-certs/ca.pem}",
      description = "CA certificate chain, PEM, CA first (ZT_CA_CERT, default ${DEFAULT-VALUE})")
  Path caCert;

  @Option(names = "--validity", defaultValue = "${env:ZT_CA_VALIDITY:-365d}",
      converter = DurationConverter.class,
      description = "validity of issued certificates (ZT_CA_VALIDITY, default ${DEFAULT-VALUE})")
  Duration validity;

  @Mixin
  EtcdOptions etcd;

  @Option(names = "--sign-threads", defaultValue = "${env:ZT_CA_SIGN_THREADS:-0}",
      description = "threads that check and sign CSRs; 0 = one per CPU "
          + "(ZT_CA_SIGN_THREADS, default ${DEFAULT-VALUE})")
  int signThreads;

  @Option(names = "--sign-queue", defaultValue = "${env:ZT_CA_SIGN_QUEUE:-1024}",
      description = "requests that may wait for a signing thread before the CA answers 503 "
          + "overloaded (ZT_CA_SIGN_QUEUE, default ${DEFAULT-VALUE})")
  int signQueue;

  @Option(names = "--commit-threads", defaultValue = "${env:ZT_CA_COMMIT_THREADS:-2}",
      description = "group commits to etcd in flight at once (ZT_CA_COMMIT_THREADS, "
          + "default ${DEFAULT-VALUE})")
  int commitThreads;

  @Option(names = "--batch-max", defaultValue = "${env:ZT_CA_BATCH_MAX:-64}",
      description = "most issuances per etcd group commit (ZT_CA_BATCH_MAX, "
          + "default ${DEFAULT-VALUE})")
  int batchMax;

  @Option(names = "--batch-linger", defaultValue = "${env:ZT_CA_BATCH_LINGER:-0ms}",
      converter = DurationConverter.class,
      description = "how long a group commit waits for more issuances (ZT_CA_BATCH_LINGER, "
          + "default ${DEFAULT-VALUE})")
  Duration batchLinger;

  @Option(names = "--retry-after", defaultValue = "${env:ZT_CA_RETRY_AFTER:-5s}",
      converter = DurationConverter.class,
      description = "Retry-After sent while etcd is unavailable (ZT_CA_RETRY_AFTER, "
          + "default ${DEFAULT-VALUE})")
  Duration retryAfter;

  /** Validates the options into a config; throws IllegalArgumentException naming the flag. */
  public CaServerConfig toConfig() {
    int threads = signThreads > 0 ? signThreads : Runtime.getRuntime().availableProcessors();
    return new CaServerConfig(bind, port, caKey, caCert, validity,
        etcd.registryConfig(), threads, signQueue, commitThreads,
        batchMax, batchLinger, retryAfter);
  }
}
