package dev.zerotouch.registration.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The server's CPU time split by what its threads do, read from {@code /proc/<pid>/task}:
 * a freshly started JVM spends much of its CPU compiling, and a figure per connection that
 * mixes the JIT in says little about what a connection costs once the server has run a while.
 * Threads are grouped by name and compared thread by thread, since the JVM starts and stops
 * compiler threads as it needs them; a thread that ended between two snapshots is missing
 * from the later one, so its time in between shows up in {@link #OTHER} (total minus the
 * named groups).
 */
final class ThreadCpu {

  static final String EVENT_LOOPS = "event loops (TLS, protocol)";
  static final String ETCD = "etcd client and commits";
  static final String JIT = "JIT compilers";
  static final String GC = "GC and VM";
  static final String OTHER = "other";

  /** Thread name prefixes ({@code comm} is cut at 15 characters) and their group. */
  private static final List<Map.Entry<String, String>> GROUPS = List.of(
      Map.entry("epollEventLoop", EVENT_LOOPS), Map.entry("nioEventLoop", EVENT_LOOPS),
      Map.entry("vert.x-", ETCD), Map.entry("jetcd-", ETCD), Map.entry("grpc-", ETCD),
      Map.entry("zt-registrar", ETCD), Map.entry("zt-presence", ETCD),
      Map.entry("zt-lastseen", ETCD), Map.entry("registry-", ETCD),
      Map.entry("C1 Compiler", JIT), Map.entry("C2 Compiler", JIT),
      Map.entry("Z", GC), Map.entry("GC ", GC), Map.entry("G1 ", GC), Map.entry("VM ", GC));

  private ThreadCpu() {
  }

  /** One thread's CPU milliseconds so far, and the group its name puts it in. */
  record Task(String group, long millis) {
  }

  /** CPU milliseconds so far of each named thread, by thread id. */
  static Map<String, Task> snapshot(long pid, long ticksPerSecond) throws IOException {
    Map<String, Task> tasks = new LinkedHashMap<>();
    try (Stream<Path> listed = Files.list(Path.of("/proc/" + pid + "/task"))) {
      for (Path task : listed.toList()) {
        try {
          String stat = Files.readString(task.resolve("stat"));
          String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
          String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
          groupOf(name).ifPresent(group -> tasks.put(task.getFileName().toString(),
              new Task(group, ticks * 1000 / ticksPerSecond)));
        } catch (NoSuchFileException ended) {
          // the thread ended while we listed them
        }
      }
    }
    return tasks;
  }

  /**
   * Milliseconds per group between two snapshots, taken thread by thread (a thread started
   * since {@code before} counts from zero), with {@link #OTHER} the rest of the process's
   * {@code totalMillis} over the same interval: the part of threads that ended meanwhile.
   */
  static Map<String, Long> between(Map<String, Task> before, Map<String, Task> after,
      long totalMillis) {
    Map<String, Long> used = new LinkedHashMap<>();
    List.of(EVENT_LOOPS, ETCD, JIT, GC).forEach(group -> used.put(group, 0L));
    after.forEach((tid, task) -> {
      Task earlier = before.get(tid);
      long since = earlier == null ? 0 : earlier.millis();
      used.merge(task.group(), Math.max(0, task.millis() - since), Long::sum);
    });

    long named = used.values().stream().mapToLong(Long::longValue).sum();
    used.put(OTHER, Math.max(0, totalMillis - named));
    return used;
  }

  private static Optional<String> groupOf(String threadName) {
    return GROUPS.stream().filter(g -> threadName.startsWith(g.getKey()))
        .map(Map.Entry::getValue).findFirst();
  }
}
