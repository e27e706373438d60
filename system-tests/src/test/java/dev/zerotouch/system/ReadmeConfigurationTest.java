package dev.zerotouch.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
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
  void noProgramReadsAnEtcdVariable() throws Exception {
    for (String module : ServiceOptions.MAIN_CLASSES.keySet()) {
      assertThat(ServiceOptions.variablesRead(module).keySet()).as(module)
          .allSatisfy(variable -> assertThat(variable).startsWith("ZT_"));
    }
  }
}
