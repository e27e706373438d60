package dev.zerotouch.ca.http;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import dev.zerotouch.ca.CaErrorCode;
import dev.zerotouch.ca.CaException;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Locale;

/**
 * Reads a sign request without trusting its size: the declared Content-Length is checked
 * before anything is read, and the read itself stops one byte past the limit, so a chunked or
 * lying client cannot make the CA buffer more than {@code maxBytes}. Unknown JSON fields are
 * ignored (clients may send more than we read); duplicate fields are refused.
 */
final class JsonBodies {
  static final ObjectMapper MAPPER = new ObjectMapper()
      .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private JsonBodies() {
  }

  /** The {@code csr_pem} field of a JSON body of at most {@code maxBytes}. */
  static String csrPem(Context ctx, int maxBytes) {
    long declared = ctx.req().getContentLengthLong();
    if (declared > maxBytes) {
      throw tooLarge(maxBytes);
    }
    requireJson(ctx.header("Content-Type"));

    byte[] body = readCapped(ctx, maxBytes);
    JsonNode node;
    try {
      node = MAPPER.readTree(body);
    } catch (JsonProcessingException e) {
      // Jackson's own message quotes the offending token, which may be key material the
      // client sent by mistake: only its position goes into the answer and the log.
      throw new CaException(CaErrorCode.MALFORMED_BODY, "the body is not valid JSON (at "
          + position(e) + "); send {\"csr_pem\": \"-----BEGIN CERTIFICATE "
          + "REQUEST-----...\"}", e);
    } catch (IOException e) {
      throw new CaException(CaErrorCode.MALFORMED_BODY, "the body could not be read", e);
    }
    if (node == null || !node.isObject()) {
      throw new CaException(CaErrorCode.MALFORMED_BODY, "the body must be a JSON object "
          + "{\"csr_pem\": \"...\"}");
    }
    JsonNode csr = node.get("csr_pem");
    if (csr == null || !csr.isTextual() || csr.textValue().isBlank()) {
      throw new CaException(CaErrorCode.MALFORMED_BODY, "the body has no string field "
          + "csr_pem; send {\"csr_pem\": \"-----BEGIN CERTIFICATE REQUEST-----...\"}");
    }
    return csr.textValue();
  }

  private static String position(JsonProcessingException e) {
    return e.getLocation() == null ? "an unknown position"
        : "line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
  }

  private static void requireJson(String contentType) {
    String mediaType = contentType == null ? ""
        : contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    if (!mediaType.equals("application/json")) {
      throw new CaException(CaErrorCode.UNSUPPORTED_MEDIA_TYPE, "the body must be JSON; "
          + "send Content-Type: application/json (got '" + sanitize(contentType) + "')");
    }
  }

  private static byte[] readCapped(Context ctx, int maxBytes) {
    byte[] buffer = new byte[maxBytes + 1];
    int total = 0;
    try {
      InputStream in = ctx.req().getInputStream();
      while (total < buffer.length) {
        int read = in.read(buffer, total, buffer.length - total);
        if (read < 0) {
          break;
        }
        total += read;
      }
    } catch (IOException e) {
      throw new CaException(CaErrorCode.MALFORMED_BODY, "the body could not be read completely"
          + " (the client stopped sending or closed the connection)", e);
    }
    if (total > maxBytes) {
      throw tooLarge(maxBytes);
    }
    return Arrays.copyOf(buffer, total);
  }

  private static CaException tooLarge(int maxBytes) {
    return new CaException(CaErrorCode.BODY_TOO_LARGE, "the body is larger than " + maxBytes
        + " bytes; a CSR in PEM is about 1 KiB");
  }

  private static String sanitize(String value) {
    if (value == null) {
      return "none";
    }
    String printable = value.replaceAll("[^\\x20-\\x7e]", "?");
    return printable.length() > 80 ? printable.substring(0, 80) + "..." : printable;
  }
}
