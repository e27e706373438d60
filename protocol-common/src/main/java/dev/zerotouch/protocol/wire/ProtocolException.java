package dev.zerotouch.protocol.wire;

import io.netty.handler.codec.DecoderException;

/** The peer broke the wire protocol: the connection is closed after an error message. */
public final class ProtocolException extends DecoderException {

  private static final long serialVersionUID = 1L;

  private final ErrorCode code;

  public ProtocolException(ErrorCode code, String message) {
    super(message);
    this.code = code;
  }

  public ProtocolException(ErrorCode code, String message, Throwable cause) {
    super(message, cause);
    this.code = code;
  }

  public ErrorCode code() {
    return code;
  }
}
