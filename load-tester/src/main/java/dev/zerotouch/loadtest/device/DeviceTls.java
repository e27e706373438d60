package dev.zerotouch.loadtest.device;

import dev.zerotouch.device.identity.DeviceIdentity;
import dev.zerotouch.loadtest.LoadTestErrorCode;
import dev.zerotouch.loadtest.LoadTestException;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Client TLS contexts for many devices, cheaply. The settings are those of protocol-common's
 * {@code TlsContexts.forClient} (TLS 1.3 only, the server's host name checked, only the
 * device's CA trusted), built differently for speed: that method hands Netty the key and
 * chain, which Netty puts into a PKCS#12 key store, protecting the key with 10,000 rounds of
 * PBKDF2, and then reads back through a key manager factory — about 20 ms of CPU per device,
 * more than the whole handshake. Here the key manager hands out the key and chain as they
 * are, and one trust manager ({@link SharedServerTrust}) serves every device of the same CA
 * chain.
 */
final class DeviceTls {

  private static final String TLS13 = "TLSv1.3";
  private static final String HOST_NAME_CHECK = "HTTPS";
  private static final String ALIAS = "device";

  private final SslProvider provider;
  private final Map<List<X509Certificate>, SharedServerTrust> trust = new ConcurrentHashMap<>();

  DeviceTls(SslProvider provider) {
    this.provider = provider;
  }

  SslContext contextFor(DeviceIdentity identity) {
    try {
      return SslContextBuilder.forClient()
          .sslProvider(provider)
          .protocols(TLS13)
          .keyManager(new FixedKeyManager(identity.privateKey(),
              identity.presentedChain().toArray(X509Certificate[]::new)))
          .trustManager(trust.computeIfAbsent(identity.caChain(), DeviceTls::trustOnly))
          .endpointIdentificationAlgorithm(HOST_NAME_CHECK)
          .build();
    } catch (SSLException | RuntimeException e) {
      throw new LoadTestException(LoadTestErrorCode.TLS_FAILED, "cannot build the TLS context"
          + " of " + identity.deviceId() + ": " + e.getMessage(), e);
    }
  }

  private static SharedServerTrust trustOnly(List<X509Certificate> cas) {
    try {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      for (int i = 0; i < cas.size(); i++) {
        store.setCertificateEntry("ca-" + i, cas.get(i));
      }
      TrustManagerFactory factory = TrustManagerFactory.getInstance(
          TrustManagerFactory.getDefaultAlgorithm());
      factory.init(store);
      for (TrustManager manager : factory.getTrustManagers()) {
        if (manager instanceof X509ExtendedTrustManager x509) {
          return new SharedServerTrust(x509);
        }
      }
      throw new LoadTestException(LoadTestErrorCode.TLS_FAILED,
          "the JDK offers no X509ExtendedTrustManager for the CA chain");
    } catch (GeneralSecurityException | java.io.IOException e) {
      throw new LoadTestException(LoadTestErrorCode.TLS_FAILED,
          "cannot trust the CA chain the CA returned: " + e.getMessage(), e);
    }
  }

  /** One key and its chain, offered for every client handshake. */
  private static final class FixedKeyManager extends X509ExtendedKeyManager {

    private final PrivateKey key;
    private final X509Certificate[] chain;

    FixedKeyManager(PrivateKey key, X509Certificate[] chain) {
      this.key = key;
      this.chain = chain;
    }

    @Override
    public String chooseEngineClientAlias(String[] keyTypes, Principal[] issuers,
        SSLEngine engine) {
      return ALIAS;
    }

    @Override
    public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) {
      return ALIAS;
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
      return new String[] {ALIAS};
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
      return ALIAS.equals(alias) ? chain.clone() : null;
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
      return ALIAS.equals(alias) ? key : null;
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
      return null;
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
      return null;
    }
  }
}
