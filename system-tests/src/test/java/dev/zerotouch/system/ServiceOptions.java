package dev.zerotouch.system;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/** The ZT_* variables a program's options read, taken from its picocli model. */
final class ServiceOptions {

  static final Map<String, String> MAIN_CLASSES = Map.of(
      "ca-server", "dev.zerotouch.ca.CaServerMain",
      "registration-server", "dev.zerotouch.registration.RegistrationServerMain",
      "device-client", "dev.zerotouch.device.DeviceClientMain",
      "load-tester", "dev.zerotouch.loadtest.LoadTesterMain");

  private static final Pattern ENV_DEFAULT =
      Pattern.compile("\\$\\{env:([A-Z0-9_]+)(?::-([^}]*))?}");

  private ServiceOptions() {
  }

  /** Variable name to its default ("" when it has none), over every subcommand. */
  static Map<String, String> variablesRead(String module) throws ReflectiveOperationException {
    Object command = Class.forName(MAIN_CLASSES.get(module)).getDeclaredConstructor()
        .newInstance();
    CommandLine commandLine = new CommandLine(command).setInterpolateVariables(false);
    Map<String, String> variables = new HashMap<>();
    collect(commandLine.getCommandSpec(), variables, new HashSet<>());
    return variables;
  }

  private static void collect(CommandSpec spec, Map<String, String> variables,
      Set<CommandSpec> seen) {
    if (!seen.add(spec)) {
      return;
    }
    for (OptionSpec option : spec.options()) {
      String defaultValue = option.defaultValue();
      Matcher matcher = ENV_DEFAULT.matcher(defaultValue == null ? "" : defaultValue);
      while (matcher.find()) {
        variables.put(matcher.group(1), matcher.group(2) == null ? "" : matcher.group(2));
      }
    }
    for (CommandLine sub : spec.subcommands().values()) {
      collect(sub.getCommandSpec(), variables, seen);
    }
  }
}
