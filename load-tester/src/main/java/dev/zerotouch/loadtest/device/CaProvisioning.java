package dev.zerotouch.loadtest.device;

import dev.zerotouch.device.identity.DeviceIdentity;
import dev.zerotouch.device.provisioning.Provisioner;
import dev.zerotouch.device.provisioning.ProvisioningListener;
import dev.zerotouch.loadtest.LoadTestException;
import java.net.URI;
import java.net.http.HttpClient;
import java.security.KeyPair;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Provisions simulated devices through device-client's {@link Provisioner}, sharing one
 * HTTP/1.1 client (kept-alive connections, callbacks on the given executor) among all of
 * them. Non-blocking: the caller bounds how many requests are in flight. One attempt per
 * device ({@link SingleAttempt}); a failure is a {@link LoadTestException}.
 */
public final class CaProvisioning {

  private static final String SIGN_PATH = "sign-csr";

  private final Provisioner provisioner;

  public CaProvisioning(URI caUrl, Duration timeout, Executor executor) {
    HttpClient http = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(timeout)
        .executor(executor)
        .build();
    this.provisioner = new Provisioner(http, signUri(caUrl), SingleAttempt.BACKOFF, timeout);
  }

  /** {@code <caUrl>/sign-csr}, whether or not the URL ends in '/'. */
  static URI signUri(URI caUrl) {
    String base = caUrl.toString();
    return URI.create(base.endsWith("/") ? base + SIGN_PATH : base + "/" + SIGN_PATH);
  }

  public URI signCsrUrl() {
    return provisioner.signCsrUrl();
  }

  /** Builds the CSR for {@code commonName}, sends it, and completes with the identity. */
  public CompletableFuture<DeviceIdentity> provision(String commonName, KeyPair keyPair) {
    return provisioner.provisionAsync(commonName, keyPair, ProvisioningListener.NONE)
        .thenApply(issued -> new DeviceIdentity(commonName, keyPair.getPrivate(),
            issued.certificate(), issued.caChain()))
        .exceptionallyCompose(failure -> CompletableFuture.failedFuture(
            DeviceFailures.translate(failure, null)));
  }
}
