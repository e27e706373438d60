package dev.zerotouch.protocol.pki;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * One client key and its chain, offered for every handshake. Handing Netty the key and chain
 * directly makes it build a PKCS#12 key store, protecting the key with 10,000 rounds of
 * PBKDF2, and read it back: about 20 ms of CPU per context, more than a whole handshake.
 *
 * <p>Like the JDK's own key manager, it offers the chain only when the server's list of
 * acceptable CAs (if it sent one) names an issuer of the chain; otherwise the client sends no
 * certificate and the server says "certificate required" rather than failing to verify it.
 */
final class FixedKeyManager extends X509ExtendedKeyManager {

  private static final String ALIAS = "client";

  private final PrivateKey key;
  private final X509Certificate[] chain;

  FixedKeyManager(PrivateKey key, X509Certificate[] chain) {
    this.key = key;
    this.chain = chain.clone();
  }

  @Override
  public String chooseEngineClientAlias(String[] keyTypes, Principal[] issuers,
      SSLEngine engine) {
    return acceptedBy(issuers) ? ALIAS : null;
  }

  @Override
  public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) {
    return acceptedBy(issuers) ? ALIAS : null;
  }

  @Override
  public String[] getClientAliases(String keyType, Principal[] issuers) {
    return acceptedBy(issuers) ? new String[] {ALIAS} : null;
  }

  private boolean acceptedBy(Principal[] issuers) {
    if (issuers == null || issuers.length == 0) {
      return true;
    }
    for (X509Certificate certificate : chain) {
      for (Principal issuer : issuers) {
        if (certificate.getIssuerX500Principal().equals(issuer)) {
          return true;
        }
      }
    }
    return false;
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
