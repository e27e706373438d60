package dev.zerotouch.device.testing;

import dev.zerotouch.device.DeviceClientMain;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The device client as a user runs it: its own JVM (this test's class path), its own
 * environment, its exit code and its output (stdout and stderr merged), read as it comes.
 */
public final class DeviceProcess implements AutoCloseable {
  private final Process process;
  private final List<String> lines = new ArrayList<>();
  private final Thread reader;

  private DeviceProcess(Process process) {
    this.process = process;
    this.reader = new Thread(this::readOutput, "device-output");
    reader.setDaemon(true);
    reader.start();
  }

  /** Starts the client with these variables (no ZT_* variable is inherited) and arguments. */
  public static DeviceProcess start(Map<String, String> env, String... args) {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xss512k",
        "-cp", System.getProperty("java.class.path"), DeviceClientMain.class.getName()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().keySet().removeIf(name -> name.startsWith("ZT_"));
    builder.environment().putAll(env);
    try {
      return new DeviceProcess(builder.start());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the device client", e);
    }
  }

  /** Runs the client to its end (at most {@code timeout}). */
  public static Result run(Duration timeout, Map<String, String> env, String... args) {
    try (DeviceProcess device = start(env, args)) {
      int exit = device.waitFor(timeout);
      return new Result(exit, device.output());
    }
  }

  /** Waits until a line containing {@code fragment} appears; fails with the output if not. */
  public void awaitLine(String fragment, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (lines) {
      while (lines.stream().noneMatch(line -> line.contains(fragment))) {
        long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (left <= 0 || !reader.isAlive()) {
          throw new AssertionError("no line with '" + fragment + "' within " + timeout
              + "; the output was:\n" + String.join("\n", lines));
        }
        try {
          lines.wait(Math.min(left, 200));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new AssertionError("interrupted", e);
        }
      }
    }
  }

  /** Waits for the exit (killing the client after {@code timeout}) and returns its code. */
  public int waitFor(Duration timeout) {
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor();
        throw new AssertionError("the device client did not end within " + timeout
            + "; the output was:\n" + output());
      }
      reader.join(TimeUnit.SECONDS.toMillis(5));
      return process.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /** Sends SIGTERM, as Ctrl-C or a service manager would. */
  public void interrupt() {
    process.toHandle().destroy();
  }

  public String output() {
    synchronized (lines) {
      return String.join("\n", lines);
    }
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroyForcibly();
    }
  }

  private void readOutput() {
    try (BufferedReader in = new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        synchronized (lines) {
          lines.add(line);
          lines.notifyAll();
        }
      }
    } catch (IOException e) {
      synchronized (lines) {
        lines.add("(output unreadable: " + e.getMessage() + ")");
      }
    }
    synchronized (lines) {
      lines.notifyAll();
    }
  }

  /** An exit code and the whole output. */
  public record Result(int exitCode, String output) {
  }
}
