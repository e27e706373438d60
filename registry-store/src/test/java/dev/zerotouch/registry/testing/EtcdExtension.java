package dev.zerotouch.registry.testing;

import dev.zerotouch.registry.EtcdRegistry;
import dev.zerotouch.registry.Registry;
import dev.zerotouch.registry.RegistryConfig;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts a real {@code etcd} process on free loopback ports with a temporary data dir for a
 * test class, and stops it afterwards. Use as
 * {@code @RegisterExtension static final EtcdExtension ETCD = new EtcdExtension();}.
 * {@link #stop()} and {@link #start()} stop and restart the same member (same ports, same
 * data) to simulate an outage.
 *
 * <p>The binary is {@code etcd} from the PATH (Debian package {@code etcd-server}); the
 * command line uses only flags that etcd 3.4 and 3.5 both accept. etcd's own log goes to
 * {@code etcd.log} in the data dir and its tail is quoted when etcd does not become healthy.
 */
public final class EtcdExtension implements BeforeAllCallback, AfterAllCallback {

  /** The deadline {@link #registryConfig} gives every registry call. */
  public static final Duration CALL_TIMEOUT = Duration.ofSeconds(2);

  private static final Duration HEALTHY_WITHIN = Duration.ofSeconds(30);
  private static final Duration STOP_WITHIN = Duration.ofSeconds(10);
  private static final String MEMBER = "zt-test";
  private static final int LAUNCH_ATTEMPTS = 3;
  private static final AtomicBoolean CLIENT_WARM = new AtomicBoolean();
  private static final AtomicInteger PREFIXES = new AtomicInteger();

  private final String binaryName;
  private Path binary;
  private Path dataDir;
  private int clientPort;
  private int peerPort;
  private Process process;
  private String ownerId;
  private Thread shutdownHook;

  public EtcdExtension() {
    this("etcd");
  }

  /** For a binary of another name or an absolute path to one. */
  public EtcdExtension(String binaryName) {
    this.binaryName = binaryName;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    if (ownerId != null) {
      return;
    }
    ownerId = context.getUniqueId();
    launch();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (!context.getUniqueId().equals(ownerId)) {
      return;
    }
    ownerId = null;
    shutdown();
  }

  /**
   * Starts etcd outside JUnit's lifecycle (for a main method or a benchmark). Another process
   * may take a free port between the probe and etcd's bind; then etcd is started again on
   * other ports, up to {@link #LAUNCH_ATTEMPTS} times.
   */
  public synchronized void launch() {
    try {
      binary = findBinary(binaryName, System.getenv("PATH"));
      dataDir = Files.createTempDirectory("zt-etcd-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot make a data dir for etcd", e);
    }
    shutdownHook = new Thread(this::killQuietly, "etcd-extension-shutdown");
    Runtime.getRuntime().addShutdownHook(shutdownHook);

    for (int attempt = 1; ; attempt++) {
      try {
        clientPort = freePort();
        peerPort = freePort();
        start();
        warmUpClient();
        return;
      } catch (PortTakenException e) {
        if (attempt == LAUNCH_ATTEMPTS) {
          throw e;
        }
        deleteRecursively(dataDir.resolve("member"));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot find free ports for etcd", e);
      }
    }
  }

  /** Stops etcd and deletes its data dir. */
  public synchronized void shutdown() {
    try {
      stop();
    } finally {
      deleteRecursively(dataDir);
      if (shutdownHook != null) {
        try {
          Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
          // the JVM is already exiting and runs the hook itself
        }
      }
    }
  }

  /** The client URL, such as {@code http://127.0.0.1:41234}. */
  public String endpoint() {
    requireLaunched();
    return "http://127.0.0.1:" + clientPort;
  }

  /** A config for this etcd with the given key prefix and a call deadline of 2 s. */
  public RegistryConfig registryConfig(String keyPrefix) {
    return new RegistryConfig(List.of(endpoint()), keyPrefix, CALL_TIMEOUT);
  }

  /**
   * A config with a fresh key prefix such as {@code /zt-test-4711-7/} (process id, then a
   * counter), so that no two callers share keys even if they reach the same etcd.
   */
  public RegistryConfig registryConfig() {
    long pid = ProcessHandle.current().pid();
    return registryConfig("/zt-test-" + pid + "-" + PREFIXES.incrementAndGet() + "/");
  }

  /** Whether the process is currently running. */
  public synchronized boolean running() {
    return process != null && process.isAlive();
  }

  /** Stops the member (SIGTERM, waits until the port is closed). */
  public synchronized void stop() {
    if (process == null) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(STOP_WITHIN.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor(STOP_WITHIN.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
    process = null;
    awaitPortClosed();
  }

  /** Starts the same member again and waits until it is healthy. */
  public synchronized void start() {
    requireLaunched();
    if (running()) {
      return;
    }
    ProcessBuilder builder = new ProcessBuilder(command())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile().toFile()));
    builder.environment().keySet().removeIf(name -> name.startsWith("ETCD_"));
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new IllegalStateException("cannot start " + binary + ": " + e.getMessage(), e);
    }

    awaitHealthy();
  }

  /**
   * Finds an executable named {@code name} in the directories of {@code path} (or takes
   * {@code name} as it is when it contains a '/'); fails saying what to install.
   */
  static Path findBinary(String name, String path) {
    if (name.contains("/")) {
      Path given = Path.of(name);
      if (Files.isExecutable(given)) {
        return given;
      }
      throw new IllegalStateException("etcd binary " + name + " is not an executable file");
    }
    List<String> dirs = path == null ? List.of() : List.of(path.split(File.pathSeparator));
    for (String dir : dirs) {
      Path candidate = Path.of(dir.isEmpty() ? "." : dir, name);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException("no '" + name + "' executable on the PATH (" + path
        + "): the storage tests need a real etcd 3.4 or 3.5; on Debian or Ubuntu install it"
        + " with 'apt-get install etcd-server' (or put an etcd release binary on the PATH)");
  }

  private List<String> command() {
    String client = "http://127.0.0.1:" + clientPort;
    String peer = "http://127.0.0.1:" + peerPort;
    List<String> command = new ArrayList<>();
    command.add(binary.toString());
    command.addAll(List.of("--name", MEMBER, "--data-dir", dataDir.resolve("member").toString()));
    command.addAll(List.of("--listen-client-urls", client, "--advertise-client-urls", client));
    command.addAll(List.of("--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer));
    command.addAll(List.of("--initial-cluster", MEMBER + "=" + peer));
    command.addAll(List.of("--initial-cluster-state", "new", "--initial-cluster-token", MEMBER));
    command.addAll(List.of("--logger", "zap", "--log-outputs", "stderr", "--log-level", "warn"));
    return command;
  }

  /**
   * Makes the first registry calls of this JVM, with a generous deadline, so that loading
   * gRPC, Netty, Vert.x and Jackson does not count against the short deadline of the tests'
   * own first call (it can take seconds on a busy 2-core machine).
   */
  private void warmUpClient() {
    if (!CLIENT_WARM.compareAndSet(false, true)) {
      return;
    }
    RegistryConfig config = new RegistryConfig(List.of(endpoint()), "/zt-warm-up/",
        HEALTHY_WITHIN);
    try (Registry registry = EtcdRegistry.connect(config)) {
      registry.checkHealth();
      registry.findDevice("warm-up");
    } catch (RuntimeException e) {
      CLIENT_WARM.set(false);
    }
  }

  private void awaitHealthy() {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();
    HttpRequest request = HttpRequest.newBuilder(URI.create(endpoint() + "/health"))
        .timeout(Duration.ofSeconds(1))
        .build();
    long deadline = System.nanoTime() + HEALTHY_WITHIN.toNanos();
    String last = "no answer yet";
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        String tail = logTail();
        String message = "etcd exited with status " + process.exitValue()
            + " before it became healthy; its log ends with:\n" + tail;
        process = null;
        throw tail.contains("address already in use") ? new PortTakenException(message)
            : new IllegalStateException(message);
      }
      try {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        last = response.statusCode() + " " + response.body();
        if (response.statusCode() == 200 && response.body().contains("\"true\"")) {
          return;
        }
      } catch (IOException e) {
        last = e.toString();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for etcd", e);
      }
      sleep(Duration.ofMillis(50));
    }
    throw new IllegalStateException("etcd at " + endpoint() + " was not healthy within "
        + HEALTHY_WITHIN.toSeconds() + " s (last answer: " + last + "); its log ends with:\n"
        + logTail());
  }

  private void awaitPortClosed() {
    long deadline = System.nanoTime() + STOP_WITHIN.toNanos();
    while (System.nanoTime() < deadline) {
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", clientPort), 200);
      } catch (IOException closed) {
        return;
      }
      sleep(Duration.ofMillis(50));
    }
    throw new IllegalStateException("etcd port " + clientPort + " still open after stop");
  }

  private String logTail() {
    try {
      List<String> lines = Files.readAllLines(logFile(), StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    } catch (IOException e) {
      return "(log " + logFile() + " unreadable: " + e.getMessage() + ")";
    }
  }

  private Path logFile() {
    return dataDir.resolve("etcd.log");
  }

  private void requireLaunched() {
    if (dataDir == null) {
      throw new IllegalStateException("etcd is not launched: register the EtcdExtension with"
          + " @RegisterExtension on a static field, or call launch()");
    }
  }

  private void killQuietly() {
    Process running = process;
    if (running != null) {
      running.destroyForcibly();
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress("127.0.0.1", 0));
      return socket.getLocalPort();
    }
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for etcd", e);
    }
  }

  private static void deleteRecursively(Path dir) {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      Optional.ofNullable(dir.toFile()).ifPresent(File::deleteOnExit);
    }
  }

  /** etcd could not bind a port that was free when it was chosen. */
  private static final class PortTakenException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    PortTakenException(String message) {
      super(message);
    }
  }
}
