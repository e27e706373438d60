package dev.zerotouch.loadtest.device;

/** Recognises failures by their cause chain. */
final class Failures {

  private Failures() {
  }

  /** Whether the operating system refused a file descriptor (EMFILE or ENFILE). */
  static boolean isOutOfFiles(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      String message = t.getMessage();
      if (message != null && (message.contains("Too many open files")
          || message.contains("Too many open files in system"))) {
        return true;
      }
    }
    return false;
  }

  /** The first cause of type {@code type}, or null. */
  static <T extends Throwable> T find(Throwable failure, Class<T> type) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
    }
    return null;
  }
}
