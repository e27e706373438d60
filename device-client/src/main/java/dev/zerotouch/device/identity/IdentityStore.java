package dev.zerotouch.device.identity;

import static net.logstash.logback.argument.StructuredArguments.kv;

import dev.zerotouch.device.DeviceErrorCode;
import dev.zerotouch.device.DeviceException;
import dev.zerotouch.protocol.identity.DeviceIds;
import dev.zerotouch.protocol.pki.Pem;
import dev.zerotouch.protocol.pki.PemException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A device identity kept in one directory (0700): {@value #KEY_FILE} (the private key, PKCS#8
 * PEM, 0600 from the moment it is created), {@value #CERT_FILE} (the certificate),
 * {@value #CHAIN_FILE} (the CA chain) and {@value #ID_FILE} (the device id).
 *
 * <p>The identity is written so that a crash never leaves half of one in place. Provisioning
 * works in a sibling staging directory, {@code <dir>.staging}: the device id and the key are
 * written and flushed there before the CSR is sent ({@link #stage}); once the CA answers, the
 * certificate and chain join them, everything is flushed, and the staging directory is
 * renamed to the identity directory in one atomic step ({@link #complete}). So:
 * <ul>
 *   <li>the identity directory exists only when it is complete;
 *   <li>a staging directory holding {@value #KEY_FILE} means a CSR may have been sent with
 *       that key: the next run resumes with the same key, which the CA treats as a re-issue
 *       ({@link State#PENDING});
 *   <li>a staging directory without {@value #KEY_FILE} means no CSR was sent: it is cleared
 *       and provisioning starts over.
 * </ul>
 * A directory that does not hold a complete, consistent identity is reported with what is
 * wrong and what to do, and never replaced. The identity directory's parent must be writable
 * and on the same file system as the staging directory; an identity directory that is itself
 * a mount point cannot be renamed into place, so mount its parent instead.
 */
public final class IdentityStore {
  public static final String KEY_FILE = "device.key";
  public static final String CERT_FILE = "device.pem";
  public static final String CHAIN_FILE = "ca.pem";
  public static final String ID_FILE = "device-id";

  private static final Logger LOG = LoggerFactory.getLogger(IdentityStore.class);
  private static final String PARTIAL_SUFFIX = ".partial";
  private static final Set<PosixFilePermission> OWNER_ONLY_DIR =
      PosixFilePermissions.fromString("rwx------");
  private static final Set<PosixFilePermission> OWNER_ONLY_FILE =
      PosixFilePermissions.fromString("rw-------");
  private static final Set<PosixFilePermission> PUBLIC_FILE =
      PosixFilePermissions.fromString("rw-r--r--");
  private static final Set<PosixFilePermission> GROUP_OR_OTHERS = EnumSet.of(
      PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE,
      PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE);

  private final Clock clock;
  private final Path directory;
  private final Path staging;

  public IdentityStore(Path directory) {
    this(directory, Clock.systemUTC());
  }

  /** With the clock that decides whether the stored certificate has expired. */
  public IdentityStore(Path directory, Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.directory = directory.toAbsolutePath().normalize();
    if (this.directory.getParent() == null) {
      throw new IllegalArgumentException(
          "identity directory " + directory + " is a file system root; expected a sub-directory");
    }
    this.staging = this.directory.resolveSibling(this.directory.getFileName() + ".staging");
  }

  /** What the store holds. */
  public enum State {
    /** Nothing yet: provision from scratch. */
    ABSENT,
    /** A key was saved and the CSR may have been sent: resume with {@link #loadPending()}. */
    PENDING,
    /** An identity directory: {@link #load()} it (which checks that it is complete). */
    COMPLETE
  }

  public Path directory() {
    return directory;
  }

  public Path stagingDirectory() {
    return staging;
  }

  public State state() {
    if (Files.exists(directory) && !isEmptyDirectory(directory)) {
      return State.COMPLETE;
    }
    if (Files.exists(staging.resolve(KEY_FILE))) {
      return State.PENDING;
    }
    return State.ABSENT;
  }

  /**
   * Loads and cross-checks a complete identity; every inconsistency, and an expired
   * certificate, is IDENTITY_CORRUPT. An expired certificate is not renewed automatically:
   * the CA re-issues only while a certificate is active, so the identity is provisioned again.
   */
  public DeviceIdentity load() {
    if (!Files.isDirectory(directory)) {
      throw corrupt(directory, "it is not a directory");
    }
    String deviceId = readDeviceId(directory);
    PrivateKey key = readKey(directory);
    X509Certificate certificate = readCertificate(directory);
    List<X509Certificate> chain = readChain(directory);

    checkKeyMatches(directory, key, certificate);
    String commonName = commonName(certificate);
    if (!deviceId.equals(commonName)) {
      throw corrupt(directory, CERT_FILE + " is for device '" + commonName + "' but "
          + ID_FILE + " says '" + deviceId + "'");
    }
    Instant notAfter = certificate.getNotAfter().toInstant();
    if (notAfter.isBefore(clock.instant())) {
      throw corrupt(directory, CERT_FILE + " expired at " + notAfter);
    }
    warnIfKeyReadableByOthers(directory.resolve(KEY_FILE));
    return new DeviceIdentity(deviceId, key, certificate, chain);
  }

  /** Loads the device id and key saved by {@link #stage} before a CSR was sent. */
  public PendingIdentity loadPending() {
    String deviceId = readDeviceId(staging);
    PrivateKey key = readKey(staging);
    try {
      return new PendingIdentity(deviceId, KeyPairs.of(key));
    } catch (GeneralSecurityException e) {
      throw corrupt(staging, KEY_FILE + " holds a key this client cannot use: " + e.getMessage());
    }
  }

  /**
   * Saves the device id and the key pair's private key in the staging directory, flushed to
   * disk, so that a CSR sent afterwards can always be resumed with the same key.
   */
  public PendingIdentity stage(String deviceId, KeyPair keyPair) {
    if (!DeviceIds.isValid(deviceId)) {
      throw new IllegalArgumentException("deviceId '" + deviceId + "' is not a safe device id");
    }
    try {
      clearUnusedStaging();
      Files.createDirectories(directory.getParent());
      Files.createDirectory(staging, PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIR));
      writeNew(staging.resolve(ID_FILE), deviceId + "\n", PUBLIC_FILE);

      Path partialKey = staging.resolve(KEY_FILE + PARTIAL_SUFFIX);
      writeNew(partialKey, Pem.privateKey(keyPair.getPrivate()), OWNER_ONLY_FILE);
      Files.move(partialKey, staging.resolve(KEY_FILE), StandardCopyOption.ATOMIC_MOVE);
      syncDirectory(staging);
      syncDirectory(directory.getParent());
    } catch (IOException e) {
      throw io("cannot save the new key in " + staging, e);
    }
    LOG.debug("key saved before sending the csr", kv("device", deviceId), kv("dir", staging));
    return new PendingIdentity(deviceId, keyPair);
  }

  /**
   * Adds the certificate and chain to the staged identity and renames the staging directory
   * into place. Returns the complete identity.
   */
  public DeviceIdentity complete(PendingIdentity pending, X509Certificate certificate,
      List<X509Certificate> caChain) {
    DeviceIdentity identity =
        new DeviceIdentity(pending.deviceId(), pending.keyPair().getPrivate(), certificate,
            caChain);
    try {
      Files.deleteIfExists(staging.resolve(CERT_FILE));
      Files.deleteIfExists(staging.resolve(CHAIN_FILE));
      writeNew(staging.resolve(CERT_FILE), Pem.certificate(certificate), PUBLIC_FILE);
      writeNew(staging.resolve(CHAIN_FILE), Pem.certificates(caChain), PUBLIC_FILE);
      syncDirectory(staging);

      Files.move(staging, directory, StandardCopyOption.ATOMIC_MOVE);
      syncDirectory(directory.getParent());
    } catch (AtomicMoveNotSupportedException e) {
      throw io("cannot rename " + staging + " to " + directory + " in one step (different"
          + " file systems or a mount point); the complete identity is in " + staging, e);
    } catch (IOException e) {
      throw io("cannot save the identity in " + directory + "; the key and certificate are in "
          + staging + " and the next run resumes from there", e);
    }
    return identity;
  }

  private void clearUnusedStaging() throws IOException {
    if (!Files.exists(staging)) {
      return;
    }
    LOG.info("Removing {}, left by a run that stopped before sending any CSR", staging);
    for (String name : List.of(ID_FILE, KEY_FILE + PARTIAL_SUFFIX, CERT_FILE, CHAIN_FILE)) {
      Files.deleteIfExists(staging.resolve(name));
    }
    try {
      Files.delete(staging);
    } catch (java.nio.file.DirectoryNotEmptyException e) {
      throw io(staging + " holds files this client did not write; move them away and run"
          + " again", e);
    }
  }

  private String readDeviceId(Path dir) {
    String deviceId = readText(dir, ID_FILE).trim();
    if (!DeviceIds.isValid(deviceId)) {
      throw corrupt(dir, ID_FILE + " does not hold a valid device id");
    }
    return deviceId;
  }

  private PrivateKey readKey(Path dir) {
    try {
      return Pem.readPrivateKey(readText(dir, KEY_FILE));
    } catch (PemException e) {
      throw corrupt(dir, KEY_FILE + " is not a readable private key (" + e.getMessage() + ")");
    }
  }

  private X509Certificate readCertificate(Path dir) {
    try {
      return Pem.readCertificate(readText(dir, CERT_FILE));
    } catch (PemException e) {
      throw corrupt(dir, CERT_FILE + " is not a readable certificate (" + e.getMessage() + ")");
    }
  }

  private List<X509Certificate> readChain(Path dir) {
    List<X509Certificate> chain;
    try {
      chain = Pem.readCertificates(readText(dir, CHAIN_FILE));
    } catch (PemException e) {
      throw corrupt(dir, CHAIN_FILE + " is not a readable CA chain (" + e.getMessage() + ")");
    }
    if (chain.isEmpty()) {
      throw corrupt(dir, CHAIN_FILE + " holds no certificate");
    }
    return chain;
  }

  private void checkKeyMatches(Path dir, PrivateKey key, X509Certificate certificate) {
    try {
      byte[] fromKey = KeyPairs.publicKeyOf(key).getEncoded();
      if (!Arrays.equals(fromKey, certificate.getPublicKey().getEncoded())) {
        throw corrupt(dir, CERT_FILE + " was not issued for the key in " + KEY_FILE);
      }
    } catch (GeneralSecurityException e) {
      throw corrupt(dir, KEY_FILE + " holds a key this client cannot use: " + e.getMessage());
    }
  }

  private String readText(Path dir, String name) {
    Path file = dir.resolve(name);
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw corrupt(dir, name + " is missing");
    } catch (java.nio.charset.MalformedInputException e) {
      throw corrupt(dir, name + " is not text");
    } catch (IOException e) {
      throw io("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  private static String commonName(X509Certificate certificate) {
    X500Name subject = X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded());
    RDN[] names = subject.getRDNs(BCStyle.CN);
    return names.length == 0 ? "" : IETFUtils.valueToString(names[0].getFirst().getValue());
  }

  private static void warnIfKeyReadableByOthers(Path keyFile) {
    try {
      Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(keyFile);
      if (permissions.stream().anyMatch(GROUP_OR_OTHERS::contains)) {
        LOG.warn("{} can be read by other users ({}); run chmod 600 on it", keyFile,
            PosixFilePermissions.toString(permissions));
      }
    } catch (IOException | UnsupportedOperationException e) {
      LOG.debug("cannot check the key file's permissions", kv("file", keyFile), e);
    }
  }

  private static void writeNew(Path file, String text, Set<PosixFilePermission> permissions)
      throws IOException {
    try (FileChannel channel = FileChannel.open(file,
        Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
        PosixFilePermissions.asFileAttribute(permissions))) {
      ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
      while (bytes.hasRemaining()) {
        channel.write(bytes);
      }
      channel.force(true);
    } catch (FileAlreadyExistsException e) {
      throw new IOException(file + " already exists and is not replaced", e);
    }
  }

  private static void syncDirectory(Path dir) throws IOException {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    }
  }

  private static boolean isEmptyDirectory(Path dir) {
    if (!Files.isDirectory(dir)) {
      return false;
    }
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.findAny().isEmpty();
    } catch (IOException e) {
      return false;
    }
  }

  private DeviceException corrupt(Path dir, String what) {
    String advice = dir.equals(staging)
        ? " Nothing was changed. Remove " + staging + " and run again to start provisioning"
            + " over with a new key."
        : " Nothing was changed. Move " + directory + " away (or remove it) and run again to"
            + " provision a new identity.";
    return new DeviceException(DeviceErrorCode.IDENTITY_CORRUPT,
        "The identity in " + dir + " is not usable: " + what + "." + advice);
  }

  private static DeviceException io(String message, IOException cause) {
    return new DeviceException(DeviceErrorCode.IDENTITY_IO, message, cause);
  }
}
