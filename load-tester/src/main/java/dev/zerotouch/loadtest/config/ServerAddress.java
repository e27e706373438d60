package dev.zerotouch.loadtest.config;

import dev.zerotouch.loadtest.LoadTestErrorCode;
import dev.zerotouch.loadtest.LoadTestException;

/** The registration server's address, written {@code host:port}. */
public record ServerAddress(String host, int port) {

  public ServerAddress {
    if (host == null || host.isBlank()) {
      throw invalid(host + ":" + port, "the host is empty");
    }
    if (port < 1 || port > 65_535) {
      throw invalid(host + ":" + port, "the port is " + port + ", expected 1 to 65535");
    }
  }

  /** Parses {@code host:port} or {@code [ipv6]:port}. */
  public static ServerAddress parse(String text) {
    String value = text == null ? "" : text.trim();
    int colon = value.lastIndexOf(':');
    if (colon <= 0 || colon == value.length() - 1) {
      throw invalid(value, "expected host:port, such as localhost:8443");
    }

    String host = value.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    try {
      return new ServerAddress(host, Integer.parseInt(value.substring(colon + 1)));
    } catch (NumberFormatException e) {
      throw invalid(value, "the port is not a number");
    }
  }

  @Override
  public String toString() {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }

  private static LoadTestException invalid(String value, String why) {
    return new LoadTestException(LoadTestErrorCode.INVALID_CONFIG,
        "server address '" + value + "' is not usable: " + why);
  }
}
