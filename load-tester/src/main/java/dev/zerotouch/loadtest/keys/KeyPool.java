package dev.zerotouch.loadtest.keys;

import static net.logstash.logback.argument.StructuredArguments.kv;

import dev.zerotouch.loadtest.LoadTestErrorCode;
import dev.zerotouch.loadtest.LoadTestException;
import dev.zerotouch.protocol.pki.KeyType;
import java.security.KeyPair;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes every device's key before the timed phases, on all cores: RSA-2048 generation costs
 * the client about 90 ms per key and is not the system's cost. With a {@link KeyCache} the
 * keys of earlier runs are read back and only the missing ones generated.
 */
public final class KeyPool {

  private static final Logger LOG = LoggerFactory.getLogger(KeyPool.class);

  private KeyPool() {
  }

  /**
   * Returns {@code count} keys of {@code type}. {@code progress} is called once per key, from
   * any thread.
   */
  public static KeySet prepare(int count, KeyType type, Optional<KeyCache> cache,
      IntConsumer progress) {
    long start = System.nanoTime();
    KeyPair[] keys = new KeyPair[count];
    AtomicInteger generated = new AtomicInteger();
    int threads = Runtime.getRuntime().availableProcessors();

    ForkJoinPool pool = new ForkJoinPool(threads);
    try {
      pool.submit(() -> IntStream.range(0, count).parallel().forEach(index -> {
        Optional<KeyPair> cached = cache.flatMap(c -> c.read(index));
        keys[index] = cached.orElseGet(() -> {
          KeyPair fresh = generate(type);
          cache.ifPresent(c -> c.write(index, fresh));
          generated.incrementAndGet();
          return fresh;
        });
        progress.accept(index);
      })).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LoadTestException(LoadTestErrorCode.KEY_FAILED, "key generation interrupted", e);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof LoadTestException known ? known
          : new LoadTestException(LoadTestErrorCode.KEY_FAILED,
              "key generation failed: " + e.getCause(), e.getCause());
    } finally {
      pool.shutdown();
    }

    long durationMs = (System.nanoTime() - start) / 1_000_000;
    int made = generated.get();
    LOG.info("keys ready", kv("keys", count), kv("generated", made),
        kv("from_cache", count - made), kv("duration_ms", durationMs));
    return new KeySet(List.copyOf(Arrays.asList(keys)), made, count - made, durationMs);
  }

  private static KeyPair generate(KeyType type) {
    try {
      return type.generate();
    } catch (RuntimeException e) {
      throw new LoadTestException(LoadTestErrorCode.KEY_FAILED,
          "cannot generate a " + type + " key: " + e.getMessage(), e);
    }
  }
}
