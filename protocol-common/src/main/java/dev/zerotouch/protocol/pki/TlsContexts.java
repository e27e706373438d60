package dev.zerotouch.protocol.pki;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslProvider;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * Netty {@link SslContext}s for mutual TLS: TLS 1.3 only unless 1.2 is asked for, the
 * OpenSSL-backed provider when it loads and the JDK's otherwise.
 */
public final class TlsContexts {

  private TlsContexts() {
  }

  /** {@link SslProvider#OPENSSL} when netty-tcnative loads here, else {@link SslProvider#JDK}. */
  public static SslProvider preferredProvider() {
    throw new UnsupportedOperationException("skeleton");
  }

  /** Server side: client certificate required, trusting only {@code trustedCas}. */
  public static SslContext forServer(PrivateKey key, List<X509Certificate> chain,
      List<X509Certificate> trustedCas, boolean allowTls12, SslProvider provider) {
    throw new UnsupportedOperationException("skeleton");
  }

  /**
   * Client side: presents {@code chain}, trusts only {@code trustedCas}. Host-name checking is
   * on the handler: create it with {@link #clientHandler}.
   */
  public static SslContext forClient(PrivateKey key, List<X509Certificate> chain,
      List<X509Certificate> trustedCas, SslProvider provider) {
    throw new UnsupportedOperationException("skeleton");
  }

  /** An SslHandler that checks the server's name ("HTTPS" endpoint identification). */
  public static io.netty.handler.ssl.SslHandler clientHandler(SslContext context,
      io.netty.buffer.ByteBufAllocator alloc, String host, int port) {
    throw new UnsupportedOperationException("skeleton");
  }
}
