package dev.zerotouch.ca;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Chooses {@code json} or {@code text} logs before the first logger exists: logback.xml reads
 * the system property {@value #PROPERTY}. The choice is {@code --log-format} if given, else
 * {@code ZT_LOG_FORMAT}, else {@code text} for {@code init} and {@code revoke} (commands a
 * person runs) and
 * {@code json} for the server.
 */
final class LogFormat {
  static final String PROPERTY = "zt.log.format";
  private static final List<String> FORMATS = List.of("json", "text");

  private LogFormat() {
  }

  /** Sets the property; returns an error message when the format is not known, else null. */
  static String apply(String[] args, Map<String, String> env) {
    String chosen = fromArgs(args);
    if (chosen == null) {
      chosen = env.get("ZT_LOG_FORMAT");
    }
    if (chosen == null || chosen.isBlank()) {
      List<String> words = Arrays.asList(args);
      chosen = words.contains("init") || words.contains("revoke") ? "text" : "json";
    }
    if (!FORMATS.contains(chosen)) {
      return "log format '" + chosen + "' is not known; use json or text";
    }
    System.setProperty(PROPERTY, chosen);
    return null;
  }

  private static String fromArgs(String[] args) {
    for (int i = 0; i < args.length; i++) {
      if (args[i].startsWith("--log-format=")) {
        return args[i].substring("--log-format=".length());
      }
      if (args[i].equals("--log-format") && i + 1 < args.length) {
        return args[i + 1];
      }
    }
    return null;
  }
}
