package dev.zerotouch.ca;

import static net.logstash.logback.argument.StructuredArguments.kv;

import dev.zerotouch.registry.CertificateRecord;
import dev.zerotouch.registry.CnRecord;
import dev.zerotouch.registry.EtcdOptions;
import dev.zerotouch.registry.EtcdRegistry;
import dev.zerotouch.registry.Registry;
import dev.zerotouch.registry.RegistryException;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code revoke --serial HEX | --cn DEVICE_ID}: marks a certificate revoked in the registry.
 * Registration servers watching the registry close the device's live connection within
 * seconds and refuse it from then on; the CA will not certify that key for the CN again.
 */
@Command(name = "revoke", mixinStandardHelpOptions = true,
    description = "Revoke a device certificate, by serial or by the device's current one. "
        + "Exit codes: 0 revoked (or already revoked), 1 not found or refused, "
        + "4 etcd unreachable.")
final class RevokeCommand implements Callable<Integer> {
  private static final Logger AUDIT = LoggerFactory.getLogger("audit");

  @ArgGroup(multiplicity = "1")
  Target target;

  @Mixin
  EtcdOptions etcd;

  @Option(names = "--log-format", defaultValue = "${env:ZT_LOG_FORMAT:-text}",
      description = "json or text (ZT_LOG_FORMAT, default ${DEFAULT-VALUE})")
  String logFormat;

  static final class Target {
    @Option(names = "--serial", required = true,
        description = "the certificate's serial, lowercase hex as in certs/<serial>")
    String serial;

    @Option(names = "--cn", required = true,
        description = "revoke the device's current certificate (cns/<cn>)")
    String cn;
  }

  @Override
  public Integer call() {
    try (Registry registry = EtcdRegistry.connect(etcd.registryConfig())) {
      Optional<String> serial = serialToRevoke(registry);
      if (serial.isEmpty()) {
        System.err.println("ca-server revoke: no certificate found for "
            + (target.cn != null ? "device " + target.cn : "serial " + target.serial));
        return 1;
      }

      CertificateRecord revoked = registry.revoke(serial.get());
      AUDIT.info("certificate revoked {} {} {}", kv("event", "revoke"),
          kv("cn", revoked.cn()), kv("serial", revoked.serial()));
      System.out.println("revoked certificate " + revoked.serial() + " of " + revoked.cn());
      return 0;
    } catch (RegistryException e) {
      System.err.println("ca-server revoke: " + e.getMessage());
      return e.retryable() ? 4 : 1;
    } catch (IllegalArgumentException e) {
      System.err.println("ca-server revoke: " + e.getMessage());
      return 1;
    }
  }

  private Optional<String> serialToRevoke(Registry registry) {
    if (target.serial != null) {
      return registry.findCertificate(target.serial).map(CertificateRecord::serial);
    }
    return registry.findCn(target.cn).map(CnRecord::serial);
  }
}
