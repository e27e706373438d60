package dev.zerotouch.ca.pki;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;

/**
 * Writes PEM files without ever overwriting one, with their final permissions from the moment
 * they exist: the content goes to a new temporary sibling created with the mode, and is then
 * hard-linked to its name, which fails when the name is taken. A crash leaves at most a
 * {@code .tmp} file, never a half-written key under the real name.
 */
public final class KeyFiles {
  public static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString(
      "rw-------");
  public static final Set<PosixFilePermission> PUBLIC = PosixFilePermissions.fromString(
      "rw-r--r--");

  private static final Set<PosixFilePermission> GROUP_OR_OTHERS = EnumSet.of(
      PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE,
      PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_READ,
      PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

  private KeyFiles() {
  }

  /** Writes a private key readable by its owner only; fails if {@code target} exists. */
  public static void writeOwnerOnly(Path target, String pem) throws IOException {
    writeNew(target, pem, OWNER_ONLY);
  }

  /** Writes a certificate readable by everyone; fails if {@code target} exists. */
  public static void writePublic(Path target, String pem) throws IOException {
    writeNew(target, pem, PUBLIC);
  }

  /** Whether group or others have any permission on the file (POSIX file systems only). */
  public static boolean accessibleByOthers(Path file) throws IOException {
    Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
    return permissions.stream().anyMatch(GROUP_OR_OTHERS::contains);
  }

  private static void writeNew(Path target, String pem, Set<PosixFilePermission> mode)
      throws IOException {
    if (Files.exists(target)) {
      throw new FileAlreadyExistsException(target.toString());
    }
    Path temporary = target.resolveSibling(target.getFileName() + "." + ProcessHandle.current()
        .pid() + ".tmp");
    FileAttribute<Set<PosixFilePermission>> attribute = PosixFilePermissions.asFileAttribute(
        mode);

    try (FileChannel channel = FileChannel.open(temporary, Set.of(StandardOpenOption.CREATE_NEW,
        StandardOpenOption.WRITE), attribute)) {
      channel.write(ByteBuffer.wrap(pem.getBytes(StandardCharsets.US_ASCII)));
      channel.force(true);
    }

    try {
      Files.createLink(target, temporary);
    } finally {
      Files.deleteIfExists(temporary);
    }
  }
}
