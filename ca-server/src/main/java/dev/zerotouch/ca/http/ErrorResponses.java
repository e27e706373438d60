package dev.zerotouch.ca.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.zerotouch.ca.CaErrorCode;
import dev.zerotouch.ca.CaException;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** Writes the one JSON error body: {@code {"error": "<code>", "message": "..."}}. */
final class ErrorResponses {
  /** Retry-After for {@link CaErrorCode#OVERLOADED}: the queue drains in well under this. */
  static final Duration OVERLOADED_RETRY_AFTER = Duration.ofSeconds(1);

  private ErrorResponses() {
  }

  static void write(Context ctx, CaException error, Duration storeRetryAfter) {
    CaErrorCode code = error.code();
    if (code == CaErrorCode.STORE_UNAVAILABLE) {
      ctx.header("Retry-After", Long.toString(storeRetryAfter.toSeconds()));
    } else if (code == CaErrorCode.OVERLOADED) {
      ctx.header("Retry-After", Long.toString(OVERLOADED_RETRY_AFTER.toSeconds()));
    }
    if (code == CaErrorCode.BODY_TOO_LARGE) {
      ctx.header("Connection", "close");
    }
    Map<String, String> body = new LinkedHashMap<>();
    body.put("error", code.wire());
    body.put("message", error.getMessage());
    json(ctx, code.httpStatus(), body);
  }

  static void json(Context ctx, int status, Object body) {
    try {
      ctx.status(status).contentType("application/json")
          .result(JsonBodies.MAPPER.writeValueAsBytes(body));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a JSON response", e);
    }
  }
}
