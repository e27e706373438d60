package dev.zerotouch.registry;

import com.google.common.util.concurrent.MoreExecutors;
import io.etcd.jetcd.Client;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * Builds the jetcd client with the settings that keep every call bounded: a gRPC deadline
 * per unary call, a connect timeout, and jetcd's own retries of safe calls limited to the
 * same deadline.
 */
final class EtcdClients {

  private static final Duration KEEPALIVE_TIME = Duration.ofSeconds(10);
  private static final Duration KEEPALIVE_TIMEOUT = Duration.ofSeconds(5);
  private static final long RETRY_DELAY_MS = 100;
  private static final long RETRY_MAX_DELAY_MS = 500;

  private EtcdClients() {
  }

  static Client build(List<String> endpoints, Duration timeout) {
    routeJavaUtilLoggingToSlf4j();
    URI[] uris = endpoints.stream().map(EtcdClients::endpoint).toArray(URI[]::new);
    return Client.builder()
        .endpoints(uris)
        .connectTimeout(timeout)
        .keepaliveTime(KEEPALIVE_TIME)
        .keepaliveTimeout(KEEPALIVE_TIMEOUT)
        // etcd answers pings on a connection with no call in flight with GOAWAY
        // "too_many_pings" (its default keep-alive policy does not permit them).
        .keepaliveWithoutCalls(false)
        .retryDelay(RETRY_DELAY_MS)
        .retryMaxDelay(RETRY_MAX_DELAY_MS)
        .retryMaxDuration(timeout)
        .interceptor(new DeadlineInterceptor(timeout))
        // jetcd hands every call to this executor before gRPC sends it, which on a thread
        // pool is one more hand-off between threads per call; the call itself does not block
        // (it returns a future), so the calling thread may as well start it.
        .executorService(MoreExecutors.newDirectExecutorService())
        .build();
  }

  /**
   * gRPC and Netty inside jetcd log through java.util.logging, which would print plain text
   * lines into the servers' JSON logs; this sends them through SLF4J like every other line.
   */
  private static synchronized void routeJavaUtilLoggingToSlf4j() {
    if (!SLF4JBridgeHandler.isInstalled()) {
      SLF4JBridgeHandler.removeHandlersForRootLogger();
      SLF4JBridgeHandler.install();
    }
  }

  private static URI endpoint(String endpoint) {
    URI uri;
    try {
      uri = URI.create(endpoint.strip());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("etcd endpoint '" + endpoint + "' is not a URL such as"
          + " http://127.0.0.1:2379", e);
    }
    if (!"http".equals(uri.getScheme()) || uri.getHost() == null || uri.getPort() < 0) {
      throw new IllegalArgumentException("etcd endpoint '" + endpoint + "' is not a URL such as"
          + " http://127.0.0.1:2379 (scheme http, host and port)");
    }
    return uri;
  }
}
