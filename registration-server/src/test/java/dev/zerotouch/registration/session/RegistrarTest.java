package dev.zerotouch.registration.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.zerotouch.registry.Registry;
import dev.zerotouch.registry.RegistryErrorCode;
import dev.zerotouch.registry.RegistryException;
import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
    try (Registrar registrar = new Registrar(unavailable, 2, 10)) {
      Throwable first = catchThrowable(() -> registrar.register("1", "f", "r", Map.of()).join());
      Throwable second = catchThrowable(() -> registrar.register("2", "f", "r", Map.of()).join());

      assertThat(first).isInstanceOf(CompletionException.class)
          .hasCauseInstanceOf(RegistryException.class);
      assertThat(((RegistryException) second.getCause()).code())
          .isEqualTo(RegistryErrorCode.UNAVAILABLE);
      assertThat(second.getCause()).hasMessageContaining("not trying again yet");
      assertThat(calls).hasValue(1);
    }
  }

  @Test
  void afterTheFailFastPeriodEtcdIsTriedAgain() throws Exception {
    try (Registrar registrar = new Registrar(unavailable, 2, 10)) {
      catchThrowable(() -> registrar.register("1", "f", "r", Map.of()).join());
      Thread.sleep(Registrar.FAIL_FAST.toMillis() + 100);

      catchThrowable(() -> registrar.register("2", "f", "r", Map.of()).join());

      assertThat(calls).hasValue(2);
    }
  }
}
