package dev.zerotouch.registry;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.MethodDescriptor;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Gives every unary etcd call (get, put, txn, lease grant and revoke, status) a gRPC
 * deadline, since jetcd sets none and waits for etcd forever by default. Streams (watch,
 * lease keep-alive) live as long as the registry and get none.
 */
final class DeadlineInterceptor implements ClientInterceptor {

  private final long timeoutMillis;

  DeadlineInterceptor(Duration timeout) {
    this.timeoutMillis = timeout.toMillis();
  }

  @Override
  public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method,
      CallOptions options, Channel next) {
    boolean unary = method.getType() == MethodDescriptor.MethodType.UNARY;
    if (unary && options.getDeadline() == null) {
      return next.newCall(method, options.withDeadlineAfter(timeoutMillis, TimeUnit.MILLISECONDS));
    }
    return next.newCall(method, options);
  }
}
