package dev.zerotouch.loadtest.config;

import dev.zerotouch.loadtest.LoadTestErrorCode;
import dev.zerotouch.loadtest.LoadTestException;
import java.util.Locale;

/** How log lines are written: readable text (the default for this CLI) or one JSON object. */
public enum LogFormat {
  TEXT,
  JSON;

  public static LogFormat parse(String text) {
    String value = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
    return switch (value) {
      case "text" -> TEXT;
      case "json" -> JSON;
      default -> throw new LoadTestException(LoadTestErrorCode.INVALID_CONFIG,
          "log format '" + text + "' is not known, expected text or json");
    };
  }
}
