package dev.zerotouch.loadtest.device;

import dev.zerotouch.device.identity.DeviceIdentity;
import dev.zerotouch.loadtest.LoadTestErrorCode;
import dev.zerotouch.loadtest.LoadTestException;
import dev.zerotouch.protocol.pki.DirectIssuanceTrustManager;
import dev.zerotouch.protocol.pki.TlsContexts;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslProvider;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Client TLS contexts for many devices, cheaply: protocol-common's {@code TlsContexts.forClient}
 * (TLS 1.3 only, the server's host name checked, no key store on the way), with one trust
 * manager ({@link SharedServerTrust}) for every device of the same CA chain.
 */
final class DeviceTls {

  private final SslProvider provider;
  private final Map<List<X509Certificate>, SharedServerTrust> trust = new ConcurrentHashMap<>();

  DeviceTls(SslProvider provider) {
    this.provider = provider;
  }

  SslContext contextFor(DeviceIdentity identity) {
    try {
      return TlsContexts.forClient(identity.privateKey(), identity.presentedChain(),
          trust.computeIfAbsent(identity.caChain(), DeviceTls::trustOnly), provider);
    } catch (RuntimeException e) {
      throw new LoadTestException(LoadTestErrorCode.TLS_FAILED, "cannot build the TLS context"
          + " of " + identity.deviceId() + ": " + e.getMessage(), e);
    }
  }

  private static SharedServerTrust trustOnly(List<X509Certificate> cas) {
    try {
      return new SharedServerTrust(DirectIssuanceTrustManager.pkixFor(cas));
    } catch (IllegalStateException e) {
      throw new LoadTestException(LoadTestErrorCode.TLS_FAILED,
          "cannot trust the CA chain the CA returned: " + e.getMessage(), e);
    }
  }
}
