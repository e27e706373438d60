package dev.zerotouch.registration.bench;

import dev.zerotouch.registration.testing.TestPki;
import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * The benchmark's device identities behind one client TLS context: the key manager presents,
 * for each TLS engine, the identity the engine was {@linkplain #assign assigned}, so that
 * thousands of devices share one OpenSSL context instead of one context each.
 */
final class BenchDevices extends X509ExtendedKeyManager {

  private final List<TestPki.Identity> identities;
  private final Map<SSLEngine, String> aliases = new ConcurrentHashMap<>();

  BenchDevices(List<TestPki.Identity> identities) {
    this.identities = identities;
  }

  TestPki.Identity get(int index) {
    return identities.get(index);
  }

  int size() {
    return identities.size();
  }

  /** The engine will present device {@code index}; call {@link #release} after the handshake. */
  void assign(SSLEngine engine, int index) {
    aliases.put(engine, Integer.toString(index));
  }

  void release(SSLEngine engine) {
    aliases.remove(engine);
  }

  @Override
  public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
    return aliases.get(engine);
  }

  @Override
  public X509Certificate[] getCertificateChain(String alias) {
    TestPki.Identity identity = identities.get(Integer.parseInt(alias));
    return new X509Certificate[] {identity.certificate(), identity.issuer()};
  }

  @Override
  public PrivateKey getPrivateKey(String alias) {
    return identities.get(Integer.parseInt(alias)).keys().getPrivate();
  }

  @Override
  public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
    return null;
  }

  @Override
  public String[] getClientAliases(String keyType, Principal[] issuers) {
    return new String[0];
  }

  @Override
  public String[] getServerAliases(String keyType, Principal[] issuers) {
    return new String[0];
  }

  @Override
  public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
    return null;
  }
}
