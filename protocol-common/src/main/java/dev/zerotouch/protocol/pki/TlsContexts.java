package dev.zerotouch.protocol.pki;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.function.UnaryOperator;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.X509ExtendedTrustManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Netty {@link SslContext}s for mutual TLS: TLS 1.3 only unless 1.2 is asked for, the
 * OpenSSL-backed provider when it loads and the JDK's otherwise.
 *
 * <p>In TLS 1.3 the client finishes its handshake before the server has judged the client
 * certificate, so a refused certificate reaches the client as an alert on its first read, not
 * as a failed handshake. A client believes it is registered only after the server's
 * {@code registered} message.
 */
public final class TlsContexts {

  private static final Logger LOG = LoggerFactory.getLogger(TlsContexts.class);

  static final String TLS13 = "TLSv1.3";
  static final String TLS12 = "TLSv1.2";
  private static final String HOST_NAME_CHECK = "HTTPS";

  private TlsContexts() {
  }

  /**
   * {@link SslProvider#OPENSSL} when netty-tcnative loads here and speaks TLS 1.3, else
   * {@link SslProvider#JDK}.
   */
  public static SslProvider preferredProvider() {
    if (OpenSsl.isAvailable() && SslProvider.isTlsv13Supported(SslProvider.OPENSSL)) {
      return SslProvider.OPENSSL;
    }
    LOG.debug("openssl unavailable, using the jdk tls provider", OpenSsl.unavailabilityCause());
    return SslProvider.JDK;
  }

  /**
   * Server side: client certificate required, trusting only {@code trustedCas}, judged by a
   * {@link DirectIssuanceTrustManager} (PKIX for anything not issued directly by one of them).
   */
  public static SslContext forServer(PrivateKey key, List<X509Certificate> chain,
      List<X509Certificate> trustedCas, boolean allowTls12, SslProvider provider) {
    requireMaterial(key, chain, trustedCas);

    String[] protocols = allowTls12 ? new String[] {TLS13, TLS12} : new String[] {TLS13};
    try {
      return SslContextBuilder.forServer(key, chain)
          .sslProvider(provider)
          .protocols(protocols)
          .clientAuth(ClientAuth.REQUIRE)
          .trustManager(new DirectIssuanceTrustManager(trustedCas))
          .build();
    } catch (SSLException | RuntimeException e) {
      throw new IllegalArgumentException("TLS server context cannot be built from this key and "
          + "chain (" + provider + "): " + e.getMessage(), e);
    }
  }

  /**
   * Client side: presents {@code chain}, trusts only {@code trustedCas}. Host-name checking is
   * on: create the handler with {@link #clientHandler}, which passes the host it dials; a
   * handler made without a host name cannot verify any server and fails its handshake.
   */
  public static SslContext forClient(PrivateKey key, List<X509Certificate> chain,
      List<X509Certificate> trustedCas, SslProvider provider) {
    requireMaterial(key, chain, trustedCas);

    return client(key, chain, provider,
        builder -> builder.trustManager(trustedCas.toArray(X509Certificate[]::new)));
  }

  /**
   * As {@link #forClient(PrivateKey, List, List, SslProvider)}, with a trust manager of the
   * caller's (one shared by many clients of the same CA, for example); the server's host name
   * is still checked on top of it.
   */
  public static SslContext forClient(PrivateKey key, List<X509Certificate> chain,
      X509ExtendedTrustManager trustManager, SslProvider provider) {
    requireKey(key, chain);
    if (trustManager == null) {
      throw new IllegalArgumentException("trustManager is null, expected one that trusts the"
          + " server's CA");
    }

    return client(key, chain, provider, builder -> builder.trustManager(trustManager));
  }

  private static SslContext client(PrivateKey key, List<X509Certificate> chain,
      SslProvider provider, UnaryOperator<SslContextBuilder> trust) {
    try {
      return trust.apply(SslContextBuilder.forClient())
          .sslProvider(provider)
          .protocols(TLS13)
          .keyManager(new FixedKeyManager(key, chain.toArray(X509Certificate[]::new)))
          .endpointIdentificationAlgorithm(HOST_NAME_CHECK)
          .build();
    } catch (SSLException | RuntimeException e) {
      throw new IllegalArgumentException("TLS client context cannot be built from this key and "
          + "chain (" + provider + "): " + e.getMessage(), e);
    }
  }

  /**
   * An SslHandler that checks the server's name ("HTTPS" endpoint identification): the
   * server's certificate must name {@code host} (DNS or IP subject alternative name).
   */
  public static SslHandler clientHandler(SslContext context, ByteBufAllocator alloc, String host,
      int port) {
    SslHandler handler = context.newHandler(alloc, host, port);
    SSLEngine engine = handler.engine();
    SSLParameters parameters = engine.getSSLParameters();
    parameters.setEndpointIdentificationAlgorithm(HOST_NAME_CHECK);
    engine.setSSLParameters(parameters);
    return handler;
  }

  private static void requireMaterial(PrivateKey key, List<X509Certificate> chain,
      List<X509Certificate> trustedCas) {
    requireKey(key, chain);
    if (trustedCas == null || trustedCas.isEmpty()) {
      throw new IllegalArgumentException("trustedCas is empty, expected at least one CA"
          + " certificate: trusting nothing would refuse every peer");
    }
  }

  private static void requireKey(PrivateKey key, List<X509Certificate> chain) {
    if (key == null) {
      throw new IllegalArgumentException("key is null, expected the private key of chain[0]");
    }
    if (chain == null || chain.isEmpty()) {
      throw new IllegalArgumentException("chain is empty, expected the certificate of the key"
          + " first, then its issuers");
    }
  }
}
