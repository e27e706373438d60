package dev.zerotouch.ca.issuance;

import static net.logstash.logback.argument.StructuredArguments.kv;

import dev.zerotouch.ca.CaErrorCode;
import dev.zerotouch.ca.CaException;
import dev.zerotouch.ca.signing.CertificateSigner;
import dev.zerotouch.ca.signing.CsrPolicy;
import dev.zerotouch.ca.signing.SignedCertificate;
import dev.zerotouch.registry.IssueResult;
import dev.zerotouch.registry.RegistryException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One issuance from CSR to committed certificate: the {@link CsrPolicy} checks and the
 * {@link CertificateSigner} signs on the bounded signing pool, then the {@link CommitBatcher}
 * records the certificate in etcd. The returned future fails with a {@link CaException} for
 * every refusal; nothing is written to etcd for a refused request. Each outcome leaves one log
 * line (refusals at WARN with their code), each issued certificate one audit event on the
 * logger {@code audit}, and the meters {@code ca.issuances} (by outcome) and
 * {@code ca.sign.duration} / {@code ca.issue.duration}.
 */
public final class IssuanceService {
  private static final Logger LOG = LoggerFactory.getLogger(IssuanceService.class);
  private static final Logger AUDIT = LoggerFactory.getLogger("audit");

  private final CsrPolicy policy;
  private final CertificateSigner signer;
  private final CommitBatcher batcher;
  private final ExecutorService signPool;
  private final String caChainPem;
  private final Clock clock;
  private final MeterRegistry meters;
  private final Timer signTimer;
  private final Timer issueTimer;

  public IssuanceService(CsrPolicy policy, CertificateSigner signer, CommitBatcher batcher,
      ExecutorService signPool, String caChainPem, Clock clock, MeterRegistry meters) {
    this.policy = policy;
    this.signer = signer;
    this.batcher = batcher;
    this.signPool = signPool;
    this.caChainPem = caChainPem;
    this.clock = clock;
    this.meters = meters;
    this.signTimer = Timer.builder("ca.sign.duration")
        .description("time to check and sign a CSR").register(meters);
    this.issueTimer = Timer.builder("ca.issue.duration")
        .description("time from accepting a request to the committed certificate")
        .publishPercentiles(0.5, 0.99).register(meters);
  }

  /** Checks, signs and records one CSR; {@code remote} is the client address, for logs. */
  public CompletableFuture<Issuance> issue(String csrPem, String remote) {
    long start = System.nanoTime();
    AtomicReference<String> cn = new AtomicReference<>();

    CompletableFuture<SignedCertificate> signed;
    try {
      signed = CompletableFuture.supplyAsync(() -> sign(csrPem, cn), signPool);
    } catch (RejectedExecutionException e) {
      signed = CompletableFuture.failedFuture(new CaException(CaErrorCode.OVERLOADED,
          "the CA has too many requests waiting; try again in a moment", e));
    }

    return signed
        .thenCompose(certificate -> batcher.submit(certificate.toRecord(clock.instant()))
            .thenApply(result -> toIssuance(certificate, result)))
        .handle((issuance, error) -> finish(issuance, error, cn.get(), remote, start));
  }

  private SignedCertificate sign(String csrPem, AtomicReference<String> cn) {
    long start = System.nanoTime();
    var csr = policy.check(csrPem);
    cn.set(csr.cn());
    SignedCertificate certificate = signer.sign(csr);
    signTimer.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
    return certificate;
  }

  private Issuance toIssuance(SignedCertificate certificate, IssueResult result) {
    return new Issuance(certificate, caChainPem, result.supersededSerial());
  }

  private Issuance finish(Issuance issuance, Throwable error, String cn, String remote,
      long start) {
    long nanos = System.nanoTime() - start;
    long durationMs = TimeUnit.NANOSECONDS.toMillis(nanos);
    if (error == null) {
      issueTimer.record(nanos, TimeUnit.NANOSECONDS);
      logIssued(issuance, remote, durationMs);
      return issuance;
    }

    CaException refusal = toCaException(unwrap(error), cn);
    count(refusal.code().wire());
    if (refusal.code().httpStatus() >= 500 && !refusal.code().retryable()) {
      LOG.error("issuance failed {} {} {} {}", kv("cn", cn), kv("code", refusal.code().wire()),
          kv("remote", remote), kv("duration_ms", durationMs), refusal);
    } else {
      LOG.warn("request refused {} {} {} {} {}", kv("code", refusal.code().wire()),
          kv("cn", cn), kv("remote", remote), kv("duration_ms", durationMs),
          kv("reason", refusal.getMessage()));
    }
    throw refusal;
  }

  private void logIssued(Issuance issuance, String remote, long durationMs) {
    SignedCertificate certificate = issuance.certificate();
    String outcome = issuance.reissue() ? "reissued" : "issued";
    count(outcome);
    LOG.info("certificate {} {} {} {} {} {}", outcome, kv("cn", certificate.cn()),
        kv("serial", certificate.serial()), kv("key_type", certificate.keyType()),
        kv("outcome", outcome), kv("duration_ms", durationMs));
    AUDIT.info("ca certificate {} {} {} {} {} {} {}", outcome,
        kv("event", "certificate_" + outcome), kv("cn", certificate.cn()),
        kv("serial", certificate.serial()), kv("fingerprint", certificate.fingerprint()),
        kv("not_after", certificate.notAfter().toString()),
        kv("superseded_serial", issuance.supersededSerial().orElse(null)),
        kv("remote", remote));
  }

  private void count(String outcome) {
    Counter.builder("ca.issuances").description("sign-csr requests by outcome")
        .tag("outcome", outcome).register(meters).increment();
  }

  private static Throwable unwrap(Throwable error) {
    Throwable cause = error;
    while (cause instanceof CompletionException && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }

  private static CaException toCaException(Throwable error, String cn) {
    if (error instanceof CaException ca) {
      return ca;
    }
    if (error instanceof RegistryException registry) {
      return switch (registry.code()) {
        case CN_CONFLICT -> new CaException(CaErrorCode.CN_CONFLICT, "the device id '" + cn
            + "' is held by an active certificate for another key; use a new device id, or "
            + "send a CSR made with the key that holds it", registry);
        case CERTIFICATE_REVOKED -> new CaException(CaErrorCode.CN_REVOKED, "the device id '"
            + cn + "' was revoked and is never certified again, whatever the key; provision "
            + "this device under a new device id", registry);
        case UNAVAILABLE, CONTENTION -> new CaException(CaErrorCode.STORE_UNAVAILABLE,
            "the certificate store did not answer in time; try again later (sending the "
            + "same CSR again is safe: the same key is a re-issue, not a conflict)",
            registry);
        default -> new CaException(CaErrorCode.INTERNAL_ERROR, "the certificate store "
            + "refused the certificate unexpectedly; nothing was issued", registry);
      };
    }
    return new CaException(CaErrorCode.INTERNAL_ERROR, "the CA failed unexpectedly; "
        + "nothing was issued", error);
  }
}
