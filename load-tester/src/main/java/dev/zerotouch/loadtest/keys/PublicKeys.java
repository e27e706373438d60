package dev.zerotouch.loadtest.keys;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.RSAPublicKeySpec;
import org.bouncycastle.jcajce.provider.asymmetric.util.EC5Util;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;

/** Recomputes the public half of a cached private key (PKCS#8 holds only the private one). */
final class PublicKeys {

  private PublicKeys() {
  }

  static KeyPair pairOf(PrivateKey key) throws GeneralSecurityException {
    if (key instanceof RSAPrivateCrtKey rsa) {
      RSAPublicKeySpec spec = new RSAPublicKeySpec(rsa.getModulus(), rsa.getPublicExponent());
      return new KeyPair(KeyFactory.getInstance("RSA").generatePublic(spec), key);
    }
    if (key instanceof ECPrivateKey ec) {
      org.bouncycastle.math.ec.ECPoint q = new FixedPointCombMultiplier()
          .multiply(EC5Util.convertSpec(ec.getParams()).getG(), ec.getS()).normalize();
      ECPoint w = new ECPoint(q.getAffineXCoord().toBigInteger(),
          q.getAffineYCoord().toBigInteger());
      PublicKey publicKey = KeyFactory.getInstance("EC")
          .generatePublic(new ECPublicKeySpec(w, ec.getParams()));
      return new KeyPair(publicKey, key);
    }
    throw new GeneralSecurityException("a cached " + key.getAlgorithm()
        + " key is neither RSA (with CRT parameters) nor EC");
  }
}
