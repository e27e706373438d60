package dev.zerotouch.loadtest.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.net.Socket;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Collections;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SharedServerTrustTest {

  private static X509Certificate first;
  private static X509Certificate second;

  private final Counting delegate = new Counting();
  private final SharedServerTrust trust = new SharedServerTrust(delegate);

  @BeforeAll
  static void someCertificates() throws Exception {
    KeyStore jdk = KeyStore.getInstance(new File(System.getProperty("java.home"),
        "lib/security/cacerts"), (char[]) null);
    List<String> aliases = Collections.list(jdk.aliases());
    first = (X509Certificate) jdk.getCertificate(aliases.get(0));
    second = (X509Certificate) jdk.getCertificate(aliases.get(1));
  }

  @Test
  void theSameChainForTheSameHostIsValidatedOnce() throws Exception {
    trust.checkServerTrusted(new X509Certificate[] {first}, "RSA", engine("localhost"));
    trust.checkServerTrusted(new X509Certificate[] {first}, "RSA", engine("localhost"));

    assertThat(delegate.calls).isEqualTo(1);
  }

  @Test
  void anotherHostOrAnotherChainIsValidatedInFull() throws Exception {
    trust.checkServerTrusted(new X509Certificate[] {first}, "RSA", engine("localhost"));

    trust.checkServerTrusted(new X509Certificate[] {first}, "RSA", engine("127.0.0.1"));
    trust.checkServerTrusted(new X509Certificate[] {second}, "RSA", engine("127.0.0.1"));

    assertThat(delegate.calls).isEqualTo(3);
  }

  @Test
  void aRefusedChainIsNeverRemembered() throws Exception {
    delegate.refuse = true;

    for (int i = 0; i < 2; i++) {
      assertThatThrownBy(() -> trust.checkServerTrusted(new X509Certificate[] {first}, "RSA",
          engine("localhost"))).isInstanceOf(CertificateException.class);
    }

    assertThat(delegate.calls).isEqualTo(2);
  }

  @Test
  void noClientIsEverTrusted() {
    assertThatThrownBy(() -> trust.checkClientTrusted(new X509Certificate[] {first}, "RSA",
        engine("localhost"))).isInstanceOf(CertificateException.class);
  }

  private static SSLEngine engine(String host) throws Exception {
    return SSLContext.getDefault().createSSLEngine(host, 443);
  }

  /** Counts validations; refuses when told to. */
  private static final class Counting extends X509ExtendedTrustManager {

    int calls;
    boolean refuse;

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
      calls++;
      if (refuse) {
        throw new CertificateException("refused");
      }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
      calls++;
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {
      calls++;
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
