package dev.zerotouch.loadtest.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.zerotouch.loadtest.LoadTestException;
import dev.zerotouch.protocol.pki.KeyType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyCacheTest {

  @TempDir
  Path dir;

  @Test
  void generatedKeysAreCachedOwnerOnlyAndReadBackInTheNextRun() throws Exception {
    KeyCache cache = new KeyCache(dir.resolve("keys"), "ec256");
    AtomicInteger steps = new AtomicInteger();

    KeySet first = KeyPool.prepare(3, KeyType.EC_P256, Optional.of(cache),
        index -> steps.incrementAndGet());
    KeySet second = KeyPool.prepare(4, KeyType.EC_P256,
        Optional.of(new KeyCache(dir.resolve("keys"), "ec256")), index -> { });

    assertThat(first.generated()).isEqualTo(3);
    assertThat(first.fromCache()).isZero();
    assertThat(steps).hasValue(3);
    assertThat(second.fromCache()).isEqualTo(3);
    assertThat(second.generated()).isEqualTo(1);
    for (int i = 0; i < 3; i++) {
      assertThat(second.keys().get(i).getPrivate()).isEqualTo(first.keys().get(i).getPrivate());
      assertThat(second.keys().get(i).getPublic()).isEqualTo(first.keys().get(i).getPublic());
    }
    assertThat(permissions(dir.resolve("keys"))).isEqualTo("rwx------");
    assertThat(permissions(cache.dir())).isEqualTo("rwx------");
    assertThat(permissions(cache.fileOf(0))).isEqualTo("rw-------");
    assertThat(Files.readString(cache.fileOf(0))).startsWith("-----BEGIN PRIVATE KEY-----");
  }

  @Test
  void anRsaKeyReadFromTheCacheHasItsPublicHalfBack() {
    KeyCache cache = new KeyCache(dir, "rsa2048");
    KeySet first = KeyPool.prepare(1, KeyType.RSA_2048, Optional.of(cache), index -> { });

    Optional<java.security.KeyPair> read = cache.read(0);

    assertThat(read).hasValueSatisfying(pair -> assertThat(pair.getPublic())
        .isEqualTo(first.keys().get(0).getPublic()));
  }

  @Test
  void aCacheDirectoryOthersCanReadIsRefusedWithTheFix() throws Exception {
    Path open = Files.createDirectory(dir.resolve("open"));
    Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxr-xr-x"));

    assertThatThrownBy(() -> new KeyCache(open, "ec256"))
        .isInstanceOf(LoadTestException.class)
        .hasMessageContaining("readable by others (rwxr-xr-x)")
        .hasMessageContaining("chmod 700 " + open);
  }

  @Test
  void aDamagedCachedKeyIsReportedWithItsFileName() throws Exception {
    KeyCache cache = new KeyCache(dir, "ec256");
    Files.writeString(cache.fileOf(0), "not a key");

    assertThatThrownBy(() -> cache.read(0))
        .isInstanceOf(LoadTestException.class)
        .hasMessageContaining(cache.fileOf(0).toString())
        .hasMessageContaining("delete it to have it generated again");
  }

  @Test
  void withoutACacheEveryKeyIsGenerated() {
    KeySet keys = KeyPool.prepare(2, KeyType.EC_P256, Optional.empty(), index -> { });

    assertThat(keys.keys()).hasSize(2).doesNotContainNull();
    assertThat(keys.generated()).isEqualTo(2);
    assertThat(keys.keys().get(0).getPublic()).isNotEqualTo(keys.keys().get(1).getPublic());
  }

  private static String permissions(Path path) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
  }
}
