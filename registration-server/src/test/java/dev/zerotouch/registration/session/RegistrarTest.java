package dev.zerotouch.registration.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.zerotouch.registry.RegistrationResult;
import dev.zerotouch.registry.Registry;
import dev.zerotouch.registry.RegistryErrorCode;
import dev.zerotouch.registry.RegistryException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class RegistrarTest {

  private final AtomicInteger calls = new AtomicInteger();

  /** A registry whose every registration finds etcd unavailable. */
  private final Registry unavailable = (Registry) Proxy.newProxyInstance(
      Registry.class.getClassLoader(), new Class<?>[] {Registry.class}, (proxy, method, args) -> {
        if (method.getName().startsWith("register")) {
          calls.incrementAndGet();
          throw new RegistryException(RegistryErrorCode.UNAVAILABLE, "etcd unavailable: test");
        }
        return null;
      });

  @Test
  void registrationsRightAfterAnUnavailableEtcdFailAtOnceWithoutCallingIt() {
    try (Registrar registrar = new Registrar(unavailable, 2, 10, Duration.ZERO)) {
      Throwable first = catchThrowable(
          () -> registrar.register("dev-1", "1", "f", "r", Map.of()).join());
      Throwable second = catchThrowable(
          () -> registrar.register("dev-1", "2", "f", "r", Map.of()).join());

      assertThat(first).isInstanceOf(CompletionException.class)
          .hasCauseInstanceOf(RegistryException.class);
      assertThat(((RegistryException) second.getCause()).code())
          .isEqualTo(RegistryErrorCode.UNAVAILABLE);
      assertThat(second.getCause()).hasMessageContaining("not trying again yet");
      assertThat(calls).hasValue(1);
    }
  }

  @Test
  void registrationsThatQueueWhileACommitIsInFlightAreCommittedTogether() throws Exception {
    CountDownLatch firstCallStarted = new CountDownLatch(1);
    CountDownLatch releaseFirstCall = new CountDownLatch(1);
    List<Integer> batchSizes = new CopyOnWriteArrayList<>();
    Registry batching = registeringEach(requests -> {
      batchSizes.add(requests.size());
      firstCallStarted.countDown();
      releaseFirstCall.await(5, TimeUnit.SECONDS);
    });

    try (Registrar registrar = new Registrar(batching, 1, 100, Duration.ZERO)) {
      List<CompletableFuture<RegistrationResult>> results = new ArrayList<>();
      results.add(registrar.register("dev-1", "a1", "f", "r", Map.of()));
      assertThat(firstCallStarted.await(5, TimeUnit.SECONDS)).isTrue();
      for (int i = 0; i < 20; i++) {
        results.add(registrar.register("dev-1", "b" + i, "f", "r", Map.of()));
      }
      releaseFirstCall.countDown();

      for (CompletableFuture<RegistrationResult> result : results) {
        assertThat(result.get(5, TimeUnit.SECONDS).firstRegistration()).isTrue();
      }
      assertThat(batchSizes).containsExactly(1, 20);
    }
  }

  @Test
  void registrationsArrivingWithinTheLingerOfTheFirstAreCommittedWithIt() throws Exception {
    List<Integer> batchSizes = new CopyOnWriteArrayList<>();
    Registry recording = registeringEach(requests -> batchSizes.add(requests.size()));

    try (Registrar registrar = new Registrar(recording, 1, 100, Duration.ofMillis(500))) {
      long started = System.nanoTime();
      List<CompletableFuture<RegistrationResult>> results = new ArrayList<>();
      results.add(registrar.register("dev-1", "a1", "f", "r", Map.of()));
      Thread.sleep(100);
      for (int i = 0; i < 5; i++) {
        results.add(registrar.register("dev-1", "b" + i, "f", "r", Map.of()));
      }

      for (CompletableFuture<RegistrationResult> result : results) {
        assertThat(result.get(5, TimeUnit.SECONDS).firstRegistration()).isTrue();
      }
      assertThat(batchSizes).containsExactly(6);
      assertThat(Duration.ofNanos(System.nanoTime() - started))
          .isGreaterThanOrEqualTo(Duration.ofMillis(500));

      registrar.register("dev-1", "c1", "f", "r", Map.of()).get(5, TimeUnit.SECONDS);
      assertThat(batchSizes).containsExactly(6, 1);
    }
  }

  @Test
  void aCommitterInterruptedWhileLingeringCommitsWhatItTook() throws Exception {
    AtomicReference<Thread> committer = new AtomicReference<>();
    Registry recording = registeringEach(
        requests -> committer.compareAndSet(null, Thread.currentThread()));

    try (Registrar registrar = new Registrar(recording, 1, 100, Duration.ofSeconds(1))) {
      registrar.register("dev-1", "a1", "f", "r", Map.of()).get(5, TimeUnit.SECONDS);
      CompletableFuture<RegistrationResult> lingering =
          registrar.register("dev-1", "b1", "f", "r", Map.of());
      Thread.sleep(100);
      committer.get().interrupt();

      assertThat(lingering.get(500, TimeUnit.MILLISECONDS).firstRegistration()).isTrue();
    }
  }

  @Test
  void afterTheFailFastPeriodEtcdIsTriedAgain() throws Exception {
    try (Registrar registrar = new Registrar(unavailable, 2, 10, Duration.ZERO)) {
      catchThrowable(() -> registrar.register("dev-1", "1", "f", "r", Map.of()).join());
      Thread.sleep(Registrar.FAIL_FAST.toMillis() + 100);

      catchThrowable(() -> registrar.register("dev-1", "2", "f", "r", Map.of()).join());

      assertThat(calls).hasValue(2);
    }
  }

  /** What {@link #registeringEach} tells of each {@code registerAll} call before answering. */
  private interface CallSeen {
    void accept(List<?> requests) throws Exception;
  }

  /**
   * A registry whose {@code registerAll} first tells {@code seen} of the call, then registers
   * every request (for the first time).
   */
  private static Registry registeringEach(CallSeen seen) {
    return (Registry) Proxy.newProxyInstance(Registry.class.getClassLoader(),
        new Class<?>[] {Registry.class}, (proxy, method, args) -> {
          if (!method.getName().equals("registerAll")) {
            return null;
          }
          List<?> requests = (List<?>) args[0];
          seen.accept(requests);
          return requests.stream().map(r -> Registry.Outcome.ok(new RegistrationResult(
              null, true))).toList();
        });
  }
}
