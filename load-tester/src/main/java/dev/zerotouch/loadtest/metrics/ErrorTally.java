package dev.zerotouch.loadtest.metrics;

import dev.zerotouch.loadtest.LoadTestErrorCode;
import dev.zerotouch.loadtest.LoadTestException;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;

/** Failures grouped by kind, each with a count and the first example. Thread-safe. */
public final class ErrorTally {

  private static final int MAX_EXAMPLE_CHARS = 300;

  private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();

  /** Records one failure of {@code device} in {@code phase}. */
  public void record(Phase phase, String device, Throwable failure) {
    Throwable cause = unwrap(failure);
    String kind = phase.label() + "/" + kindOf(cause);
    Entry entry = entries.computeIfAbsent(kind,
        key -> new Entry(example(device, cause)));
    entry.count.incrementAndGet();
  }

  /** The groups, most frequent first, then by kind. */
  public List<ErrorGroup> groups() {
    return entries.entrySet().stream()
        .map(e -> new ErrorGroup(e.getKey(), e.getValue().count.get(), e.getValue().example))
        .sorted(Comparator.comparingLong(ErrorGroup::count).reversed()
            .thenComparing(ErrorGroup::kind))
        .toList();
  }

  public long total() {
    return entries.values().stream().mapToLong(e -> e.count.get()).sum();
  }

  static String kindOf(Throwable cause) {
    if (cause instanceof LoadTestException e) {
      return e.detail() == null ? e.code().label() : e.code().label() + ":" + e.detail();
    }
    return LoadTestErrorCode.UNEXPECTED.label() + ":" + cause.getClass().getSimpleName();
  }

  static Throwable unwrap(Throwable failure) {
    Throwable cause = failure;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException)
        && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }

  private static String example(String device, Throwable cause) {
    String message = cause.getMessage() == null ? cause.getClass().getName() : cause.getMessage();
    String text = device + ": " + message.replaceAll("\\s+", " ").trim();
    return text.length() <= MAX_EXAMPLE_CHARS ? text : text.substring(0, MAX_EXAMPLE_CHARS) + "...";
  }

  private static final class Entry {

    final String example;
    final AtomicLong count = new AtomicLong();

    Entry(String example) {
      this.example = example;
    }
  }
}
