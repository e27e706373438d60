package dev.zerotouch.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The README's configuration table names every variable any program reads. */
class ReadmeConfigurationTest {

  @Test
  void readmeListsEveryVariableTheProgramsRead() throws Exception {
    String readme = Files.readString(JarProcess.ROOT.resolve("README.md"));
    List<String> missing = new ArrayList<>();

    for (String module : ServiceOptions.MAIN_CLASSES.keySet()) {
      for (String variable : ServiceOptions.variablesRead(module).keySet()) {
        if (!readme.contains("`" + variable + "`")) {
          missing.add(module + ": " + variable);
        }
      }
    }

    assertThat(missing).as("variables read by the programs but absent from README.md").isEmpty();
  }

  @Test
  void readmeStatesEachVariablesDefaultAsTheProgramHasIt() throws Exception {
    String readme = Files.readString(JarProcess.ROOT.resolve("README.md"));
    List<String> wrong = new ArrayList<>();

    for (String module : ServiceOptions.MAIN_CLASSES.keySet()) {
      for (Map.Entry<String, String> variable : ServiceOptions.variablesRead(module).entrySet()) {
        Matcher row = Pattern.compile("(?m)^\\| `" + Pattern.quote(variable.getKey())
            + "` \\|[^|]*\\|[^|]*\\| ([^|]*) \\|").matcher(readme);
        String stated = row.find() ? row.group(1).strip() : "(no row)";
        String expected = variable.getValue().isEmpty() ? "—" : "`" + variable.getValue() + "`";
        // contains, not equals: a variable several programs read with different defaults
        // (ZT_LOG_FORMAT) has one cell naming each.
        if (!stated.contains(expected)) {
          wrong.add(module + ": " + variable.getKey() + " is " + expected + ", README says "
              + stated);
        }
      }
    }

    assertThat(wrong).as("defaults in README.md's configuration table").isEmpty();
  }

  @Test
  void noProgramReadsAnEtcdVariable() throws Exception {
    for (String module : ServiceOptions.MAIN_CLASSES.keySet()) {
      assertThat(ServiceOptions.variablesRead(module).keySet()).as(module)
          .allSatisfy(variable -> assertThat(variable).startsWith("ZT_"));
    }
  }
}
