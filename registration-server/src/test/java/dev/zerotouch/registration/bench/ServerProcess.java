package dev.zerotouch.registration.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The registration server as a separate JVM, and what /proc and jcmd say about it. */
final class ServerProcess implements AutoCloseable {

  private final Process process;
  private final int port;
  private final int healthPort;
  private final long ticksPerSecond;

  private ServerProcess(Process process, int port, int healthPort) throws IOException {
    this.process = process;
    this.port = port;
    this.healthPort = healthPort;
    this.ticksPerSecond = Long.parseLong(run("getconf", "CLK_TCK").trim());
  }

  static ServerProcess start(Path jar, String heap, Map<String, String> env, Path log)
      throws IOException {
    int port = freePort();
    int healthPort = freePort();
    List<String> command = new ArrayList<>(List.of(javaBinary("java"),
        "-Xms" + heap, "-Xmx" + heap, "-XX:+AlwaysPreTouch", "-XX:NativeMemoryTracking=summary",
        "-XX:+UseZGC"));
    String extra = System.getenv().getOrDefault("SERVER_JAVA_OPTS", "").strip();
    if (!extra.isEmpty()) {
      command.addAll(List.of(extra.split("\\s+")));
    }
    command.addAll(List.of("-jar", jar.toString()));
    ProcessBuilder builder = new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(log.toFile());
    builder.environment().putAll(env);
    builder.environment().put("ZT_REG_BIND", "127.0.0.1");
    builder.environment().put("ZT_REG_PORT", Integer.toString(port));
    builder.environment().put("ZT_REG_HEALTH_PORT", Integer.toString(healthPort));
    return new ServerProcess(builder.start(), port, healthPort);
  }

  int port() {
    return port;
  }

  long pid() {
    return process.pid();
  }

  /** Waits until /health answers 200. */
  void awaitHealthy(Duration limit) throws IOException, InterruptedException {
    HttpClient http = HttpClient.newHttpClient();
    HttpRequest request = HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + healthPort + "/health"))
        .timeout(Duration.ofSeconds(2)).build();
    long deadline = System.nanoTime() + limit.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("server exited with " + process.exitValue());
      }
      try {
        if (http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("server not healthy within " + limit);
  }

  /** User plus system CPU time of the server so far, in milliseconds. */
  long cpuMillis() throws IOException {
    String stat = Files.readString(Path.of("/proc/" + pid() + "/stat"));
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    return ticks * 1000 / ticksPerSecond;
  }

  /** CPU milliseconds so far of each thread, with its group ({@link ThreadCpu}). */
  Map<String, ThreadCpu.Task> cpuMillisByThreads() throws IOException {
    return ThreadCpu.snapshot(pid(), ticksPerSecond);
  }

  /** Resident memory in KiB. */
  long rssKib() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/" + pid() + "/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    throw new IllegalStateException("no VmRSS for " + pid());
  }

  String jcmd(String... arguments) throws IOException {
    List<String> command = new ArrayList<>(List.of(javaBinary("jcmd"), Long.toString(pid())));
    command.addAll(List.of(arguments));
    return run(command.toArray(String[]::new));
  }

  private static String run(String... command) throws IOException {
    Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(child.getInputStream().readAllBytes());
    try {
      child.waitFor(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return output;
  }

  private static String javaBinary(String name) {
    return Path.of(System.getProperty("java.home"), "bin", name).toString();
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /** SIGTERM, as an orchestrator would stop it; SIGKILL if it does not stop in 15 s. */
  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(15, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
  }
}
