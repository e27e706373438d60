package dev.zerotouch.registration;

import dev.zerotouch.protocol.config.DurationConverter;
import dev.zerotouch.registration.config.LogFormat;
import dev.zerotouch.registration.config.ServerConfig;
import dev.zerotouch.registration.config.ServerCredentials;
import dev.zerotouch.registry.EtcdOptions;
import dev.zerotouch.registry.EtcdRegistry;
import dev.zerotouch.registry.Registry;
import dev.zerotouch.registry.RegistryConfig;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Starts the registration server; every option has a {@code ZT_} environment variable. */
@Command(name = "registration-server", mixinStandardHelpOptions = true,
    description = "Mutual-TLS registration and heartbeat server for zero-touch devices.")
public final class RegistrationServerMain implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Option(names = "--bind", defaultValue = "${env:ZT_REG_BIND:-0.0.0.0}",
      description = "Address to listen on (ZT_REG_BIND, default ${DEFAULT-VALUE}).")
  String bind;

  @Option(names = "--port", defaultValue = "${env:ZT_REG_PORT:-8443}",
      description = "Mutual-TLS port (ZT_REG_PORT, default ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--health-port", defaultValue = "${env:ZT_REG_HEALTH_PORT:-8081}",
      description = "HTTP port of /health, /live, /metrics (ZT_REG_HEALTH_PORT).")
  int healthPort;

  @Option(names = "--cert", defaultValue = "${env:ZT_REG_CERT:-certs/server.pem}",
      description = "Server certificate chain, PEM (ZT_REG_CERT, default ${DEFAULT-VALUE}).")
  Path cert;

  @Option(names = "--key", defaultValue = "${env:ZT_REG_KEY:-certs/server.key}",
      description = "Server private key, PEM, mode 600 (ZT_REG_KEY, default ${DEFAULT-VALUE}).")
  Path key;

  @Option(names = "--ca-cert", defaultValue = "${env:ZT_REG_CA_CERT:-certs/ca.pem}",
      description = "CA certificates trusted for devices (ZT_REG_CA_CERT).")
  Path caCert;

  @Option(names = "--heartbeat-interval", converter = DurationConverter.class,
      defaultValue = "${env:ZT_REG_HEARTBEAT_INTERVAL:-30s}",
      description = "Heartbeat interval told to devices (ZT_REG_HEARTBEAT_INTERVAL).")
  Duration heartbeatInterval;

  @Option(names = "--heartbeat-misses", defaultValue = "${env:ZT_REG_HEARTBEAT_MISSES:-3}",
      description = "Intervals without a heartbeat before closing (ZT_REG_HEARTBEAT_MISSES).")
  int heartbeatMisses;

  @Option(names = "--handshake-timeout", converter = DurationConverter.class,
      defaultValue = "${env:ZT_REG_HANDSHAKE_TIMEOUT:-10s}",
      description = "Time allowed for the TLS handshake, and then for the register message"
          + " (ZT_REG_HANDSHAKE_TIMEOUT).")
  Duration handshakeTimeout;

  @Option(names = "--max-connections", defaultValue = "${env:ZT_REG_MAX_CONNECTIONS:-20000}",
      description = "Concurrent connections beyond which new ones are closed"
          + " (ZT_REG_MAX_CONNECTIONS).")
  int maxConnections;

  @Option(names = "--event-loops", defaultValue = "${env:ZT_REG_EVENT_LOOPS:-0}",
      description = "Threads running TLS and the protocol, 0 for one per processor"
          + " (ZT_REG_EVENT_LOOPS).")
  int eventLoops;

  @Option(names = "--tls12", defaultValue = "${env:ZT_REG_TLS12:-false}", arity = "0..1",
      description = "Also accept TLS 1.2 (ZT_REG_TLS12, default ${DEFAULT-VALUE}).")
  boolean tls12;

  @Option(names = "--server-id", defaultValue = "${env:ZT_REG_SERVER_ID}",
      description = "This instance's id in presence keys (ZT_REG_SERVER_ID, default host-pid).")
  String serverId;

  @Option(names = "--lastseen-flush", converter = DurationConverter.class,
      defaultValue = "${env:ZT_REG_LASTSEEN_FLUSH:-10s}",
      description = "How often last-seen times are written to etcd (ZT_REG_LASTSEEN_FLUSH).")
  Duration lastSeenFlush;

  @Option(names = "--registry-threads", defaultValue = "${env:ZT_REG_REGISTRY_THREADS:-1}",
      description = "Threads committing registrations to etcd, each a group of up to 256"
          + " per call (ZT_REG_REGISTRY_THREADS).")
  int registryThreads;

  @Option(names = "--registry-queue", defaultValue = "${env:ZT_REG_REGISTRY_QUEUE:-10000}",
      description = "Registrations that may wait to be committed before devices are told"
          + " server_busy (ZT_REG_REGISTRY_QUEUE).")
  int registryQueue;

  @Option(names = "--registry-linger", converter = DurationConverter.class,
      defaultValue = "${env:ZT_REG_REGISTRY_LINGER:-5ms}",
      description = "How long a registration may wait for others to share its etcd"
          + " transaction, 0ms for none (ZT_REG_REGISTRY_LINGER).")
  Duration registryLinger;

  @Option(names = "--presence-ttl", converter = DurationConverter.class,
      defaultValue = "${env:ZT_REG_PRESENCE_TTL:-15s}",
      description = "TTL of this instance's presence lease (ZT_REG_PRESENCE_TTL).")
  Duration presenceTtl;

  @Option(names = "--health-cache", converter = DurationConverter.class,
      defaultValue = "${env:ZT_REG_HEALTH_CACHE:-1s}",
      description = "How long one etcd check answers /health (ZT_REG_HEALTH_CACHE).")
  Duration healthCache;

  @Mixin
  EtcdOptions etcd;

  @Option(names = "--log-format", defaultValue = "${env:ZT_LOG_FORMAT:-json}",
      description = "json or text (ZT_LOG_FORMAT, default ${DEFAULT-VALUE}).")
  String logFormat;

  public static void main(String[] args) {
    System.exit(new CommandLine(new RegistrationServerMain()).execute(args));
  }

  @Override
  public Integer call() throws InterruptedException {
    ServerConfig config;
    ServerCredentials credentials;
    try {
      LogFormat.apply(logFormat);
      config = config();
      credentials = ServerCredentials.load(config.certFile(), config.keyFile(),
          config.caCertFile());
    } catch (IllegalArgumentException e) {
      spec.commandLine().getErr().println("registration-server: " + e.getMessage());
      spec.commandLine().getErr().flush();
      return 2;
    }

    Registry registry = EtcdRegistry.connect(config.registry());
    RegistrationServer server = RegistrationServer.start(config, credentials, registry);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.close();
      registry.close();
      stopped.countDown();
    }, "zt-shutdown"));
    stopped.await();
    return 0;
  }

  /** The settings these options give, validated; throws IllegalArgumentException if invalid. */
  public ServerConfig config() {
    String id = serverId == null || serverId.isBlank() ? defaultServerId() : serverId;
    RegistryConfig registry = etcd.registryConfig();
    return new ServerConfig(bind, port, healthPort, cert, key, caCert, heartbeatInterval,
        heartbeatMisses, handshakeTimeout, maxConnections, eventLoops, tls12, id, lastSeenFlush,
        registryThreads, registryQueue, registryLinger, presenceTtl, healthCache, registry);
  }

  private static String defaultServerId() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      host = "localhost";
    }
    return host + "-" + ManagementFactory.getRuntimeMXBean().getPid();
  }
}
