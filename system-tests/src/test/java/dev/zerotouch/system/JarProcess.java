package dev.zerotouch.system;

import java.io.IOException;
import java.io.UncheckedIOException;
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

/** One of the product's shaded jars run as a separate process, output captured to a file. */
final class JarProcess implements AutoCloseable {

  static final Path ROOT = Path.of(System.getProperty("zt.root", "..")).toAbsolutePath()
      .normalize();

  private static final HttpClient HTTP = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(2))
      .build();

  private final String name;
  private final Process process;
  private final Path output;

  private JarProcess(String name, Process process, Path output) {
    this.name = name;
    this.process = process;
    this.output = output;
  }

  /** The path of a module's shaded jar; fails clearly when it has not been packaged. */
  static Path jar(String module) {
    Path jar = ROOT.resolve(module).resolve("target").resolve(module + ".jar");
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(jar + " is missing: run 'mvn verify' (or ./test.sh) from "
          + "the repository root so that every jar is packaged before these tests");
    }
    return jar;
  }

  static JarProcess start(String module, Path workDir, Map<String, String> env, String... args) {
    List<String> command = new ArrayList<>(List.of(javaBinary(), "-Xmx256m", "-jar",
        jar(module).toString()));
    command.addAll(List.of(args));
    Path output = workDir.resolve(module + "-" + System.nanoTime() + ".log");

    ProcessBuilder builder = new ProcessBuilder(command)
        .directory(workDir.toFile())
        .redirectErrorStream(true)
        .redirectOutput(output.toFile());
    builder.environment().keySet().removeIf(key -> key.startsWith("ZT_"));
    builder.environment().putAll(env);
    try {
      return new JarProcess(module, builder.start(), output);
    } catch (IOException e) {
      throw new UncheckedIOException("could not start " + module, e);
    }
  }

  /** Runs a jar to completion and returns its exit code and output. */
  static Result run(String module, Path workDir, Map<String, String> env, Duration limit,
      String... args) throws InterruptedException {
    try (JarProcess process = start(module, workDir, env, args)) {
      if (!process.process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new AssertionError(module + " did not finish within " + limit + "; output:\n"
            + process.output());
      }
      return new Result(process.process.exitValue(), process.output());
    }
  }

  void awaitHealthy(int port, Duration limit) throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    URI uri = URI.create("http://127.0.0.1:" + port + "/health");
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new AssertionError(name + " exited with " + process.exitValue() + ":\n" + output());
      }
      if (status(uri) == 200) {
        return;
      }
      Thread.sleep(200);
    }
    throw new AssertionError(name + " was not healthy within " + limit + ":\n" + output());
  }

  static int status(URI uri) {
    try {
      HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).build();
      return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  static String body(URI uri) throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).build();
    return HTTP.send(request, HttpResponse.BodyHandlers.ofString()).body();
  }

  String output() {
    try {
      return Files.readString(output);
    } catch (IOException e) {
      return "(output unreadable: " + e + ")";
    }
  }

  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String javaBinary() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }

  record Result(int exitCode, String output) {
  }
}
