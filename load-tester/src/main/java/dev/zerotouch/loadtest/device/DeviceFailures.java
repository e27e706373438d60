package dev.zerotouch.loadtest.device;

import dev.zerotouch.device.DeviceException;
import dev.zerotouch.loadtest.LoadTestErrorCode;
import dev.zerotouch.loadtest.LoadTestException;
import dev.zerotouch.protocol.wire.ErrorMessage;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Turns device-client's failures into the tester's error kinds. device-client's
 * {@link DeviceException} carries its own code but not the peer's: the server's wire code is
 * taken from the {@link ErrorMessage} the session reported.
 */
public final class DeviceFailures {

  private DeviceFailures() {
  }

  /** The failure as a {@link LoadTestException}; {@code serverError} may be null. */
  public static LoadTestException translate(Throwable failure, ErrorMessage serverError) {
    Throwable cause = unwrap(failure);
    if (cause instanceof LoadTestException known) {
      return known;
    }
    if (isOutOfFiles(cause)) {
      return new LoadTestException(LoadTestErrorCode.TOO_MANY_OPEN_FILES,
          "the open-file limit was reached: " + cause.getMessage(), cause);
    }
    if (!(cause instanceof DeviceException device)) {
      return new LoadTestException(LoadTestErrorCode.UNEXPECTED,
          cause.getClass().getSimpleName(), String.valueOf(cause.getMessage()), cause);
    }

    LoadTestErrorCode code = switch (device.code()) {
      case CA_REFUSED -> LoadTestErrorCode.CA_REFUSED;
      case CA_UNAVAILABLE -> LoadTestErrorCode.CA_UNAVAILABLE;
      case CA_UNREACHABLE -> LoadTestErrorCode.CA_UNREACHABLE;
      case CA_BAD_RESPONSE -> LoadTestErrorCode.CA_BAD_RESPONSE;
      case SERVER_CERTIFICATE_REJECTED -> LoadTestErrorCode.SERVER_CERTIFICATE_REJECTED;
      case CLIENT_CERTIFICATE_REJECTED -> LoadTestErrorCode.CLIENT_CERTIFICATE_REJECTED;
      case TLS_FAILED -> LoadTestErrorCode.TLS_FAILED;
      case SERVER_REFUSED -> LoadTestErrorCode.SERVER_REFUSED;
      case SERVER_UNAVAILABLE -> LoadTestErrorCode.SERVER_UNAVAILABLE;
      case SERVER_UNREACHABLE -> LoadTestErrorCode.SERVER_UNREACHABLE;
      case PROTOCOL_VIOLATION -> LoadTestErrorCode.PROTOCOL_VIOLATION;
      default -> LoadTestErrorCode.UNEXPECTED;
    };
    return new LoadTestException(code, detail(code, device, serverError), device.getMessage(),
        device);
  }

  static Throwable unwrap(Throwable failure) {
    Throwable cause = failure;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException)
        && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }

  private static String detail(LoadTestErrorCode code, DeviceException device,
      ErrorMessage serverError) {
    if (code == LoadTestErrorCode.UNEXPECTED) {
      return device.code().name().toLowerCase(java.util.Locale.ROOT);
    }
    if (serverError != null && (code == LoadTestErrorCode.SERVER_REFUSED
        || code == LoadTestErrorCode.SERVER_UNAVAILABLE)) {
      return serverError.code();
    }
    return null;
  }

  private static boolean isOutOfFiles(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t.getMessage() != null && t.getMessage().contains("Too many open files")) {
        return true;
      }
    }
    return false;
  }
}
