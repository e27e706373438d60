package dev.zerotouch.loadtest.keys;

import dev.zerotouch.loadtest.LoadTestErrorCode;
import dev.zerotouch.loadtest.LoadTestException;
import dev.zerotouch.protocol.pki.Pem;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.util.Optional;
import java.util.Set;

/**
 * Keys kept on disk between runs: {@code <dir>/<key type>/key-000042.pem}, one PKCS#8 PEM
 * private key per device index. The directories are created 0700 and every file 0600 from
 * the moment it exists (written to a temporary name, then renamed), so a key is never
 * readable by others, not even for an instant. These keys are test keys: the certificates the
 * CA signs for them are throwaway too.
 */
public final class KeyCache {

  private static final Set<PosixFilePermission> OWNER_DIR =
      PosixFilePermissions.fromString("rwx------");
  private static final Set<PosixFilePermission> OWNER_FILE =
      PosixFilePermissions.fromString("rw-------");

  private final Path dir;

  /** A cache in {@code root}/{@code keyTypeLabel}; both are created owner-only if missing. */
  public KeyCache(Path root, String keyTypeLabel) {
    this.dir = root.resolve(keyTypeLabel);
    createOwnerOnly(root);
    createOwnerOnly(dir);
  }

  public Path dir() {
    return dir;
  }

  /** The key of device {@code index}, or empty when it is not cached yet. */
  public Optional<KeyPair> read(int index) {
    Path file = fileOf(index);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      String pem = Files.readString(file, StandardCharsets.US_ASCII);
      return Optional.of(PublicKeys.pairOf(Pem.readPrivateKey(pem)));
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      throw new LoadTestException(LoadTestErrorCode.KEY_FAILED, "cached key " + file
          + " cannot be read (" + e.getMessage() + "); delete it to have it generated again", e);
    }
  }

  /** Stores the key of device {@code index}, owner-only from creation. */
  public void write(int index, KeyPair keyPair) {
    Path file = fileOf(index);
    Path staging = dir.resolve(file.getFileName() + ".tmp-" + ProcessHandle.current().pid());
    byte[] pem = Pem.privateKey(keyPair.getPrivate()).getBytes(StandardCharsets.US_ASCII);
    try {
      Files.deleteIfExists(staging);
      try (SeekableByteChannel out = Files.newByteChannel(staging,
          Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
          PosixFilePermissions.asFileAttribute(OWNER_FILE))) {
        out.write(ByteBuffer.wrap(pem));
      }
      Files.move(staging, file, StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new LoadTestException(LoadTestErrorCode.KEY_FAILED,
          "cannot write the cached key " + file + ": " + e.getMessage(), e);
    }
  }

  Path fileOf(int index) {
    return dir.resolve(String.format("key-%06d.pem", index));
  }

  private static void createOwnerOnly(Path directory) {
    try {
      Files.createDirectories(directory.toAbsolutePath().getParent());
      Files.createDirectory(directory, PosixFilePermissions.asFileAttribute(OWNER_DIR));
    } catch (FileAlreadyExistsException exists) {
      requireOwnerOnly(directory);
    } catch (IOException e) {
      throw new LoadTestException(LoadTestErrorCode.KEY_FAILED,
          "cannot create the key cache directory " + directory + ": " + e.getMessage(), e);
    }
  }

  private static void requireOwnerOnly(Path directory) {
    try {
      if (!Files.isDirectory(directory)) {
        throw new LoadTestException(LoadTestErrorCode.KEY_FAILED,
            "key cache " + directory + " exists and is not a directory");
      }
      Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(directory);
      if (!OWNER_DIR.containsAll(permissions)) {
        throw new LoadTestException(LoadTestErrorCode.KEY_FAILED, "key cache " + directory
            + " is readable by others (" + PosixFilePermissions.toString(permissions)
            + "); run 'chmod 700 " + directory + "' or choose another --key-cache");
      }
    } catch (IOException e) {
      throw new LoadTestException(LoadTestErrorCode.KEY_FAILED,
          "cannot check the key cache directory " + directory + ": " + e.getMessage(), e);
    }
  }
}
