package dev.zerotouch.registry;

import io.etcd.jetcd.common.exception.EtcdException;
import io.grpc.Status;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Waits for jetcd's futures with a deadline and turns every way etcd can be unreachable into
 * {@link RegistryErrorCode#UNAVAILABLE}. The gRPC deadline ({@link DeadlineInterceptor}) ends
 * each call on the wire; the wait here is a second bound a little later, so that no caller
 * can hang even if a future is never completed.
 */
final class EtcdCalls {

  /**
   * How much longer than the deadline the wait lasts: the first call in a JVM loads and
   * starts gRPC, Netty and Vert.x before its deadline starts, which takes a second or more
   * on a busy 2-core machine.
   */
  private static final Duration GRACE = Duration.ofMillis(1000);
  private static final Set<Status.Code> TRANSIENT = Set.of(Status.Code.UNAVAILABLE,
      Status.Code.DEADLINE_EXCEEDED, Status.Code.CANCELLED, Status.Code.ABORTED,
      Status.Code.RESOURCE_EXHAUSTED, Status.Code.UNKNOWN, Status.Code.INTERNAL);

  private final Duration timeout;
  private final Runnable onUnavailable;

  EtcdCalls(Duration timeout) {
    this(timeout, () -> { });
  }

  /** {@code onUnavailable} runs after each call that found etcd unavailable. */
  EtcdCalls(Duration timeout, Runnable onUnavailable) {
    this.timeout = timeout;
    this.onUnavailable = onUnavailable;
  }

  Duration timeout() {
    return timeout;
  }

  <T> T await(CompletableFuture<T> future, String what) {
    try {
      return future.get(timeout.plus(GRACE).toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      future.cancel(true);
      throw unavailable(what, "no answer within " + timeout.toMillis() + " ms", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      future.cancel(true);
      throw new RegistryException(RegistryErrorCode.UNAVAILABLE, "interrupted while waiting"
          + " for etcd to " + what, e);
    } catch (ExecutionException | CompletionException e) {
      throw translate(e, what);
    }
  }

  /**
   * The registry's view of a failed etcd call: a {@link RegistryException} when etcd is
   * unreachable or busy, an {@link IllegalStateException} when etcd refused the request itself
   * (a bug in this module, such as a transaction over etcd's limits).
   */
  RuntimeException translate(Throwable failure, String what) {
    Throwable cause = unwrap(failure);
    if (cause instanceof RegistryException registryException) {
      return registryException;
    }
    Status.Code code = statusCode(cause);
    if (code == null || TRANSIENT.contains(code)) {
      return unavailable(what, describe(cause), cause);
    }
    return new IllegalStateException("etcd refused to " + what + ": " + describe(cause), cause);
  }

  /** Whether etcd answered that a lease does not exist (it expired or was revoked). */
  static boolean isLeaseNotFound(Throwable failure) {
    Throwable cause = unwrap(failure);
    if (cause instanceof RegistryException) {
      return false;
    }
    String message = String.valueOf(cause.getMessage());
    return statusCode(cause) == Status.Code.NOT_FOUND && message.contains("lease not found");
  }

  private RegistryException unavailable(String what, String detail, Throwable cause) {
    onUnavailable.run();
    return new RegistryException(RegistryErrorCode.UNAVAILABLE, "etcd unavailable: could not "
        + what + " (" + detail + "); retry later", cause);
  }

  private static Status.Code statusCode(Throwable cause) {
    if (cause instanceof EtcdException etcd) {
      return Status.Code.valueOf(etcd.getErrorCode().name());
    }
    Status status = Status.fromThrowable(cause);
    return status.getCode() == Status.Code.UNKNOWN && status.getCause() != null ? null
        : status.getCode();
  }

  private static Throwable unwrap(Throwable failure) {
    Throwable cause = failure;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException)
        && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }

  private static String describe(Throwable cause) {
    String message = cause.getMessage();
    return message == null ? cause.getClass().getSimpleName() : message;
  }
}
