package dev.zerotouch.protocol.wire;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

/**
 * The stable codes an {@link ErrorMessage} carries; {@link #wireCode()} is what travels.
 * docs/PROTOCOL.md lists them for device implementers.
 */
public enum ErrorCode {
  /** A frame or payload that is malformed: bad length, truncated, trailing bytes, bad field. */
  BAD_FRAME(false),
  /** A frame whose class id is not a message of this protocol. */
  UNKNOWN_MESSAGE(false),
  /** The register message asks for a protocol version the server does not speak. */
  UNSUPPORTED_VERSION(false),
  /** The register message breaks a limit (firmware version, attributes). */
  INVALID_REGISTER(false),
  /** A heartbeat or other message arrived before register. */
  NOT_REGISTERED(false),
  /** A second register on a connection that is already registered. */
  ALREADY_REGISTERED(false),
  /** The client certificate is not one the registry has issued. */
  CERTIFICATE_UNKNOWN(false),
  /** The client certificate has been revoked. */
  CERTIFICATE_REVOKED(false),
  /** The client certificate was replaced by a newer one for the same device. */
  CERTIFICATE_SUPERSEDED(false),
  /** No heartbeat arrived within the allowed misses; reconnect and register again. */
  HEARTBEAT_TIMEOUT(true),
  /** The server cannot reach the registry (etcd) right now. */
  REGISTRY_UNAVAILABLE(true),
  /** The server has reached its connection limit. */
  SERVER_BUSY(true),
  /** The server is stopping; another instance behind the same address may take the device. */
  SHUTTING_DOWN(true),
  /** An unexpected failure on the server. */
  INTERNAL_ERROR(true);

  private final boolean retryable;

  ErrorCode(boolean retryable) {
    this.retryable = retryable;
  }

  public boolean retryable() {
    return retryable;
  }

  /** The code as it travels, the constant's name in lowercase: {@code bad_frame}. */
  public String wireCode() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * An error message with this code and its retryable flag. A text longer than
   * {@link ErrorMessage#MAX_MESSAGE_BYTES} UTF-8 bytes is cut to fit, ending in "...".
   */
  public ErrorMessage message(String text) {
    return new ErrorMessage(wireCode(), fit(text), retryable);
  }

  /** The constant whose {@link #wireCode()} is {@code wireCode}, or empty when none is. */
  public static Optional<ErrorCode> fromWireCode(String wireCode) {
    for (ErrorCode code : values()) {
      if (code.wireCode().equals(wireCode)) {
        return Optional.of(code);
      }
    }
    return Optional.empty();
  }

  private static String fit(String text) {
    String value = text == null ? "" : text;
    if (value.getBytes(StandardCharsets.UTF_8).length <= ErrorMessage.MAX_MESSAGE_BYTES) {
      return value;
    }

    int budget = ErrorMessage.MAX_MESSAGE_BYTES - 3;
    StringBuilder cut = new StringBuilder();
    int used = 0;
    for (int i = 0; i < value.length(); ) {
      int codePoint = value.codePointAt(i);
      int size = new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8).length;
      if (used + size > budget) {
        break;
      }
      cut.appendCodePoint(codePoint);
      used += size;
      i += Character.charCount(codePoint);
    }
    return cut.append("...").toString();
  }
}
