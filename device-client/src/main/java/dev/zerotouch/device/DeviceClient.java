package dev.zerotouch.device;

import static net.logstash.logback.argument.StructuredArguments.v;

import dev.zerotouch.device.config.DeviceClientConfig;
import dev.zerotouch.device.identity.DeviceIdentity;
import dev.zerotouch.device.identity.IdentityStore;
import dev.zerotouch.device.identity.PendingIdentity;
import dev.zerotouch.device.provisioning.IssuedCertificate;
import dev.zerotouch.device.provisioning.Provisioner;
import dev.zerotouch.device.retry.Backoff;
import dev.zerotouch.device.session.DeviceSession;
import dev.zerotouch.device.session.RegistrationClient;
import dev.zerotouch.device.session.SessionOptions;
import dev.zerotouch.device.session.SessionResult;
import dev.zerotouch.protocol.identity.DeviceIds;
import dev.zerotouch.protocol.pki.KeyType;
import dev.zerotouch.protocol.pki.Pem;
import dev.zerotouch.protocol.pki.PemException;
import dev.zerotouch.protocol.wire.Frames;
import dev.zerotouch.protocol.wire.Register;
import io.netty.handler.ssl.SslContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of the device: find or provision the identity, then register and heartbeat until
 * the heartbeat limit or an interrupt. Returns the process exit code ({@link ExitCodes}).
 */
final class DeviceClient {
  private static final Logger LOG = LoggerFactory.getLogger(DeviceClient.class);
  private static final long STOP_WAIT_SECONDS = 5;

  private final DeviceClientConfig config;
  private final IdentityStore store;
  private final ConsoleReporter reporter = new ConsoleReporter();
  private volatile DeviceSession session;
  private volatile boolean interrupted;

  DeviceClient(DeviceClientConfig config) {
    this.config = config;
    this.store = new IdentityStore(config.identityDir());
  }

  int run() {
    Thread shutdownHook = new Thread(this::stopOnShutdown, "device-client-shutdown");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
    try {
      DeviceIdentity identity = identity();
      SessionResult result = registerAndHeartbeat(identity);
      if (!interrupted) {
        logClosed(result);
      }
      return ExitCodes.SUCCESS;
    } catch (DeviceException e) {
      LOG.error("{}", v("reason", e.getMessage()));
      return e.code().exitCode();
    } finally {
      removeHook(shutdownHook);
    }
  }

  private DeviceIdentity identity() {
    IdentityStore.State state = store.state();
    if (state == IdentityStore.State.COMPLETE) {
      LOG.info("Identity found on disk, loading...");
      DeviceIdentity identity = store.load();
      checkRequestedId(identity.deviceId(), store.directory());
      LOG.info("Loaded identity of {} from {} (certificate serial {}, valid until {})",
          v("device", identity.deviceId()), store.directory(), v("serial", identity.serial()),
          identity.notAfter());
      return identity;
    }
    PendingIdentity pending;
    if (state == IdentityStore.State.PENDING) {
      pending = store.loadPending();
      checkRequestedId(pending.deviceId(), store.stagingDirectory());
      LOG.info("Resuming the unfinished provisioning of {} with the key saved in {}",
          v("device", pending.deviceId()), store.stagingDirectory());
    } else {
      pending = newKey();
    }
    return provision(pending);
  }

  private PendingIdentity newKey() {
    String deviceId = config.deviceId().orElseGet(DeviceIds::generate);
    LOG.info("No identity in {}: provisioning device {} ({})", store.directory(),
        v("device", deviceId), config.deviceId().isPresent() ? "from --device-id" : "generated");
    LOG.info("Generating {} key pair...", describe(config.keyType()));
    KeyPair keyPair = config.keyType().generate();
    PendingIdentity pending = store.stage(deviceId, keyPair);
    LOG.info("Private key saved to {} (owner-only)",
        store.stagingDirectory().resolve(IdentityStore.KEY_FILE));
    return pending;
  }

  private DeviceIdentity provision(PendingIdentity pending) {
    Provisioner provisioner = Provisioner.create(config.signCsrUrl(), backoff());
    IssuedCertificate issued = provisioner.provision(pending.deviceId(), pending.keyPair(),
        reporter);
    LOG.info("Certificate received: serial {}, valid until {}", v("serial", issued.serial()),
        v("not_after", issued.notAfter().toString()));

    DeviceIdentity identity = store.complete(pending, issued.certificate(), issued.caChain());
    LOG.info("Identity saved to {}", v("identity_dir", store.directory().toString()));
    return identity;
  }

  private SessionResult registerAndHeartbeat(DeviceIdentity identity) {
    List<X509Certificate> trusted = trustedCas(identity);
    Register register = new Register(Frames.PROTOCOL_VERSION, config.firmwareVersion(),
        config.attributes());
    SessionOptions options = new SessionOptions(config.server(), register, config.heartbeats(),
        backoff());
    try (RegistrationClient client = RegistrationClient.create()) {
      LOG.debug("tls provider {}", client.provider());
      SslContext tls = client.sslContext(identity, trusted);
      session = client.open(tls, options, reporter);
      return session.completion().join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof DeviceException failure) {
        throw failure;
      }
      throw e;
    }
  }

  private List<X509Certificate> trustedCas(DeviceIdentity identity) {
    if (config.caCert().isEmpty()) {
      return identity.caChain();
    }
    Path file = config.caCert().get();
    try {
      List<X509Certificate> trusted = Pem.readCertificates(Files.readString(file));
      if (trusted.isEmpty()) {
        throw new PemException("no certificate in it");
      }
      LOG.info("Trusting the registration server through {} (--ca-cert)", file);
      return trusted;
    } catch (IOException | PemException e) {
      throw new DeviceException(DeviceErrorCode.IDENTITY_IO,
          "--ca-cert " + file + " cannot be read as PEM certificates (" + e.getMessage() + ").",
          e);
    }
  }

  private void checkRequestedId(String onDisk, Path where) {
    if (config.deviceId().isPresent() && !config.deviceId().get().equals(onDisk)) {
      throw new DeviceException(DeviceErrorCode.IDENTITY_MISMATCH, "The identity in " + where
          + " belongs to device '" + onDisk + "', but --device-id asks for '"
          + config.deviceId().get() + "'. Leave --device-id out to use the identity on disk,"
          + " or give another --identity-dir for the other device"
          + (where.getFileName().toString().endsWith(".staging")
              ? " (or remove " + where + " to start this device over with a new id and key)"
              : "") + ".");
    }
  }

  private Backoff backoff() {
    return Backoff.giveUpAfter(config.retryFor());
  }

  private void stopOnShutdown() {
    DeviceSession current = session;
    if (current == null || current.completion().isDone()) {
      return;
    }
    interrupted = true;
    LOG.info("Interrupted: closing the connection...");
    try {
      SessionResult result = current.stop().get(STOP_WAIT_SECONDS, TimeUnit.SECONDS);
      logClosed(result);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      LOG.debug("the connection did not close cleanly", e);
    }
  }

  private static void logClosed(SessionResult result) {
    long acknowledged = result.heartbeatsAcknowledged();
    LOG.info("Connection closed after {} acknowledged heartbeat{}",
        v("heartbeats_acknowledged", acknowledged), acknowledged == 1 ? "" : "s");
  }

  private static void removeHook(Thread hook) {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // the JVM is already shutting down and runs the hook itself
    }
  }

  private static String describe(KeyType keyType) {
    return keyType == KeyType.EC_P256 ? "EC P-256" : "RSA-2048";
  }
}
