package dev.zerotouch.protocol.wire;

/** Server to device: a refusal or failure with a stable machine code; the server then closes. */
public record ErrorMessage(String code, String message, boolean retryable) implements Message {
}
