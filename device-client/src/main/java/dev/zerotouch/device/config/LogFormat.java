package dev.zerotouch.device.config;

import java.util.Locale;

/** How the client writes its log: readable lines (the default for this CLI) or JSON objects. */
public enum LogFormat {
  TEXT,
  JSON;

  public static LogFormat parse(String text) {
    try {
      return valueOf(text.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "log format '" + text + "' is not known; expected text or json", e);
    }
  }
}
