package dev.zerotouch.protocol.wire;

import java.util.Optional;

/**
 * Server to device: a refusal or failure with a stable machine code; the server then closes.
 * Build one with {@link ErrorCode#message(String)}. A device should act on {@code retryable}
 * rather than on codes it knows, so that codes added later still work.
 *
 * @param code an {@link ErrorCode#wireCode()}, 1 to {@value #MAX_CODE_BYTES} UTF-8 bytes
 * @param message for people, at most {@value #MAX_MESSAGE_BYTES} UTF-8 bytes
 * @param retryable whether trying again later may succeed
 */
public record ErrorMessage(String code, String message, boolean retryable) implements Message {

  public static final int MAX_CODE_BYTES = 64;
  public static final int MAX_MESSAGE_BYTES = 1024;

  public ErrorMessage {
    if (code == null || code.isEmpty() || WireFormat.utf8Length(code) > MAX_CODE_BYTES) {
      throw new IllegalArgumentException(
          "code is '" + code + "', expected 1 to " + MAX_CODE_BYTES + " UTF-8 bytes");
    }
    if (message == null) {
      throw new IllegalArgumentException("message is null, expected a string (may be empty)");
    }
    if (WireFormat.utf8Length(message) > MAX_MESSAGE_BYTES) {
      throw new IllegalArgumentException("message is " + WireFormat.utf8Length(message)
          + " UTF-8 bytes, expected at most " + MAX_MESSAGE_BYTES);
    }
  }

  /** The known code this message carries, or empty when it is one this code does not know. */
  public Optional<ErrorCode> errorCode() {
    return ErrorCode.fromWireCode(code);
  }
}
