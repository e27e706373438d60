package dev.zerotouch.loadtest.device;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The JDK's trust manager for the CA chain (path validation and the server's host name
 * checked), with one shortcut for a crowd of simulated devices: a server chain already
 * validated for the same host within {@link #VALID_FOR} is accepted without validating it
 * again. Every device of a run meets the same server certificate, and validating it (an EC
 * signature in Java, the PKIX machinery) would otherwise be about a third of the tester's CPU
 * per connect. A chain or host never seen before, or seen too long ago, is validated in full.
 * Client-side checks only: nothing else is trusted.
 */
final class SharedServerTrust extends X509ExtendedTrustManager {

  static final Duration VALID_FOR = Duration.ofSeconds(60);

  private final X509ExtendedTrustManager delegate;
  private volatile Validated last;

  SharedServerTrust(X509ExtendedTrustManager delegate) {
    this.delegate = delegate;
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    String host = engine == null ? null : engine.getPeerHost();
    Validated known = last;
    long now = System.nanoTime();
    if (known != null && known.covers(chain, host, now)) {
      return;
    }

    delegate.checkServerTrusted(chain, authType, engine);
    last = new Validated(List.of(chain.clone()), host, now);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    delegate.checkServerTrusted(chain, authType, socket);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    delegate.checkServerTrusted(chain, authType);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    throw new CertificateException("a simulated device trusts no client");
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    throw new CertificateException("a simulated device trusts no client");
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    throw new CertificateException("a simulated device trusts no client");
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return delegate.getAcceptedIssuers();
  }

  /** A chain validated for a host at a moment. */
  private record Validated(List<X509Certificate> chain, String host, long atNanos) {

    boolean covers(X509Certificate[] candidate, String candidateHost, long nowNanos) {
      return host != null && Objects.equals(host, candidateHost)
          && nowNanos - atNanos < VALID_FOR.toNanos()
          && chain.equals(Arrays.asList(candidate));
    }
  }
}
