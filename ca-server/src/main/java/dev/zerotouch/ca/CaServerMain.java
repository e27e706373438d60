package dev.zerotouch.ca;

import dev.zerotouch.ca.config.ServeOptions;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code java -jar ca-server.jar [serve] [options]} runs the CA; {@code init --out DIR} makes
 * a development PKI. No logger here: the log format must be chosen before the first one.
 */
@Command(name = "ca-server", mixinStandardHelpOptions = true,
    subcommands = {ServeCommand.class, InitCommand.class, RevokeCommand.class},
    description = "The zerotouch online CA. Without a subcommand it serves (see 'serve').")
public final class CaServerMain implements Callable<Integer> {
  @Mixin
  ServeOptions options;

  @Option(names = "--log-format", defaultValue = "${env:ZT_LOG_FORMAT:-json}",
      description = "json or text (ZT_LOG_FORMAT, default ${DEFAULT-VALUE})")
  String logFormat;

  public static void main(String[] args) {
    String error = LogFormat.apply(args, System.getenv());
    if (error != null) {
      System.err.println("ca-server: " + error);
      System.exit(2);
    }
    int code = new CommandLine(new CaServerMain()).execute(args);
    if (code != 0) {
      System.exit(code);
    }
  }

  @Override
  public Integer call() {
    return ServeCommand.serve(options);
  }
}
