package dev.zerotouch.ca.http;

import static net.logstash.logback.argument.StructuredArguments.kv;

import dev.zerotouch.ca.CaErrorCode;
import dev.zerotouch.ca.CaException;
import dev.zerotouch.ca.issuance.Issuance;
import dev.zerotouch.ca.issuance.IssuanceService;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /sign-csr}: reads the body on the HTTP thread (bounded, see {@link JsonBodies}),
 * then hands the CSR to the {@link IssuanceService} and answers when its future completes, so
 * the HTTP thread is free while the CSR is checked, signed and committed.
 */
final class SignCsrHandler implements Handler {
  private static final Logger LOG = LoggerFactory.getLogger(SignCsrHandler.class);

  private final IssuanceService issuance;
  private final int maxBodyBytes;
  private final Duration retryAfter;

  SignCsrHandler(IssuanceService issuance, int maxBodyBytes, Duration retryAfter) {
    this.issuance = issuance;
    this.maxBodyBytes = maxBodyBytes;
    this.retryAfter = retryAfter;
  }

  @Override
  public void handle(Context ctx) {
    String remote = ctx.req().getRemoteAddr();
    String csrPem;
    try {
      csrPem = JsonBodies.csrPem(ctx, maxBodyBytes);
    } catch (CaException e) {
      LOG.warn("request refused {} {} {}", kv("code", e.code().wire()), kv("remote", remote),
          kv("reason", e.getMessage()));
      ErrorResponses.write(ctx, e, retryAfter);
      return;
    }

    ctx.future(() -> issuance.issue(csrPem, remote).handle((result, error) -> {
      respond(ctx, result, error);
      return null;
    }));
  }

  private void respond(Context ctx, Issuance result, Throwable error) {
    if (error == null) {
      ErrorResponses.json(ctx, 201, new SignResponse(result.certificate().pem(),
          result.caChainPem(), result.certificate().serial(),
          result.certificate().notAfter().toString()));
      return;
    }
    Throwable cause = error instanceof CompletionException && error.getCause() != null
        ? error.getCause() : error;
    CaException refusal = cause instanceof CaException ca ? ca
        : new CaException(CaErrorCode.INTERNAL_ERROR, "the CA failed unexpectedly", cause);
    ErrorResponses.write(ctx, refusal, retryAfter);
  }
}
