package dev.zerotouch.device.config;

import java.util.Objects;

/** Where the registration server listens: a host name or IP address and a TCP port. */
public record ServerAddress(String host, int port) {
  public ServerAddress {
    Objects.requireNonNull(host, "host");
    if (host.isBlank()) {
      throw new IllegalArgumentException("server host is empty; expected a name or an address");
    }
    if (port < 1 || port > 65_535) {
      throw new IllegalArgumentException(
          "server port " + port + " is out of range; expected 1 to 65535");
    }
  }

  /** Parses {@code host:port}, or {@code [v6-address]:port}. */
  public static ServerAddress parse(String text) {
    String value = text.trim();
    int colon = value.lastIndexOf(':');
    if (colon <= 0 || colon == value.length() - 1) {
      throw new IllegalArgumentException(
          "server '" + text + "' is not understood; expected host:port such as localhost:8443");
    }
    String host = value.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    } else if (host.contains(":")) {
      throw new IllegalArgumentException("server '" + text
          + "' is not understood; write an IPv6 address in brackets, such as [::1]:8443");
    }
    try {
      return new ServerAddress(host, Integer.parseInt(value.substring(colon + 1)));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("server port in '" + text
          + "' is not a number; expected host:port such as localhost:8443", e);
    }
  }

  @Override
  public String toString() {
    return host.contains(":") ? "[" + host + "]:" + port : host + ":" + port;
  }
}
