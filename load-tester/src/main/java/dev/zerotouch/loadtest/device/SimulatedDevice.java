package dev.zerotouch.loadtest.device;

import dev.zerotouch.device.session.DeviceSession;
import dev.zerotouch.device.session.SessionListener;
import dev.zerotouch.device.session.SessionResult;
import dev.zerotouch.protocol.wire.ErrorMessage;
import dev.zerotouch.protocol.wire.Registered;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * One simulated device on the registration server: a device-client {@link DeviceSession}
 * and what the tester watches of it. It heartbeats at the interval the server asked for;
 * {@link #heartbeatsDone()} completes at the configured number of acknowledgements, or fails
 * when the session does.
 */
public final class SimulatedDevice implements SessionListener {

  private final String commonName;
  private final long heartbeatTarget;
  private final Consumer<Duration> roundTrips;
  private final AtomicLong acknowledged = new AtomicLong();
  private final CompletableFuture<Void> heartbeatsDone = new CompletableFuture<>();
  private volatile ErrorMessage serverError;
  private DeviceSession session;

  SimulatedDevice(String commonName, long heartbeatTarget, Consumer<Duration> roundTrips) {
    this.commonName = commonName;
    this.heartbeatTarget = heartbeatTarget;
    this.roundTrips = roundTrips;
  }

  void attach(DeviceSession deviceSession) {
    this.session = deviceSession;
    if (heartbeatTarget == 0) {
      heartbeatsDone.complete(null);
    }
    deviceSession.completion().whenComplete((result, failure) -> {
      if (failure != null) {
        heartbeatsDone.completeExceptionally(failure(failure));
      } else {
        heartbeatsDone.completeExceptionally(new IllegalStateException(
            "the session ended before " + heartbeatTarget + " heartbeats were acknowledged"));
      }
    });
  }

  public String commonName() {
    return commonName;
  }

  /** Completes when the server's registered answer arrives. */
  public CompletableFuture<Registered> registered() {
    return session.firstRegistration()
        .exceptionallyCompose(failure -> CompletableFuture.failedFuture(failure(failure)));
  }

  /** Completes at the target number of acknowledged heartbeats. */
  public CompletableFuture<Void> heartbeatsDone() {
    return heartbeatsDone;
  }

  /** Completes exceptionally, translated, when the session fails; normally after a stop. */
  public CompletableFuture<SessionResult> completion() {
    return session.completion()
        .exceptionallyCompose(failure -> CompletableFuture.failedFuture(failure(failure)));
  }

  /** Closes the connection cleanly and ends the session. */
  public CompletableFuture<SessionResult> stop() {
    return session.stop();
  }

  public long acknowledged() {
    return acknowledged.get();
  }

  @Override
  public void heartbeatAcknowledged(long sequence, Duration roundTrip, long count) {
    acknowledged.incrementAndGet();
    roundTrips.accept(roundTrip);
    if (count >= heartbeatTarget) {
      heartbeatsDone.complete(null);
    }
  }

  @Override
  public void serverError(ErrorMessage error) {
    serverError = error;
  }

  private RuntimeException failure(Throwable failure) {
    return DeviceFailures.translate(failure, serverError);
  }
}
