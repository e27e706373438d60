package dev.zerotouch.device.identity;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.RSAPublicKeySpec;
import org.bouncycastle.jcajce.provider.asymmetric.util.EC5Util;
import org.bouncycastle.math.ec.ECPoint;

/** The public half of a private key read from disk, so a stored key alone makes a CSR. */
final class KeyPairs {
  private KeyPairs() {
  }

  /** Throws {@link GeneralSecurityException} for a key type other than RSA (CRT) or EC. */
  static KeyPair of(PrivateKey privateKey) throws GeneralSecurityException {
    return new KeyPair(publicKeyOf(privateKey), privateKey);
  }

  static PublicKey publicKeyOf(PrivateKey privateKey) throws GeneralSecurityException {
    if (privateKey instanceof RSAPrivateCrtKey rsa) {
      RSAPublicKeySpec spec = new RSAPublicKeySpec(rsa.getModulus(), rsa.getPublicExponent());
      return KeyFactory.getInstance("RSA").generatePublic(spec);
    }
    if (privateKey instanceof ECPrivateKey ec) {
      ECParameterSpec params = ec.getParams();
      ECPoint q = EC5Util.convertSpec(params).getG().multiply(ec.getS()).normalize();
      BigInteger x = q.getAffineXCoord().toBigInteger();
      BigInteger y = q.getAffineYCoord().toBigInteger();
      ECPublicKeySpec spec = new ECPublicKeySpec(new java.security.spec.ECPoint(x, y), params);
      return KeyFactory.getInstance("EC").generatePublic(spec);
    }
    throw new GeneralSecurityException("a " + privateKey.getAlgorithm()
        + " private key without its public parameters; expected RSA or EC");
  }
}
