package dev.zerotouch.loadtest.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zerotouch.loadtest.LoadTestErrorCode;
import dev.zerotouch.loadtest.LoadTestException;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class ErrorTallyTest {

  @Test
  void failuresOfOneKindAreCountedTogetherWithTheFirstAsExample() {
    ErrorTally tally = new ErrorTally();

    tally.record(Phase.PROVISION, "dev-1", refusal("cn_taken", "held by another key"));
    tally.record(Phase.PROVISION, "dev-2", refusal("cn_taken", "held again"));
    tally.record(Phase.REGISTER, "dev-3", new LoadTestException(
        LoadTestErrorCode.SERVER_UNREACHABLE, "the server closed the connection"));

    assertThat(tally.groups()).containsExactly(
        new ErrorGroup("provision/ca_refused:cn_taken", 2, "dev-1: held by another key"),
        new ErrorGroup("register/server_unreachable", 1,
            "dev-3: the server closed the connection"));
    assertThat(tally.total()).isEqualTo(3);
  }

  @Test
  void aWrappedFailureIsGroupedByItsCause() {
    ErrorTally tally = new ErrorTally();

    tally.record(Phase.HEARTBEAT, "dev-9", new CompletionException(refusal("x", "boom")));

    assertThat(tally.groups()).extracting(ErrorGroup::kind)
        .containsExactly("heartbeat/ca_refused:x");
  }

  @Test
  void anUnknownExceptionIsGroupedAsUnexpectedByItsClass() {
    ErrorTally tally = new ErrorTally();

    tally.record(Phase.HOLD, "dev-4", new IllegalStateException("odd"));

    assertThat(tally.groups()).containsExactly(
        new ErrorGroup("hold/unexpected:IllegalStateException", 1, "dev-4: odd"));
  }

  @Test
  void aLongMessageIsCutInTheExampleAndWhitespaceFolded() {
    ErrorTally tally = new ErrorTally();

    tally.record(Phase.PROVISION, "dev-5", new LoadTestException(
        LoadTestErrorCode.CA_UNREACHABLE, "line one\n   line two " + "x".repeat(500)));

    String example = tally.groups().get(0).example();
    assertThat(example).startsWith("dev-5: line one line two x").endsWith("...");
    assertThat(example.length()).isLessThanOrEqualTo(303);
  }

  @Test
  void groupsAreOrderedMostFrequentFirst() {
    ErrorTally tally = new ErrorTally();

    tally.record(Phase.REGISTER, "a", refusal("one", "m"));
    tally.record(Phase.REGISTER, "b", refusal("two", "m"));
    tally.record(Phase.REGISTER, "c", refusal("two", "m"));

    assertThat(tally.groups()).extracting(ErrorGroup::kind)
        .containsExactly("register/ca_refused:two", "register/ca_refused:one");
  }

  private static LoadTestException refusal(String detail, String message) {
    return new LoadTestException(LoadTestErrorCode.CA_REFUSED, detail, message, null);
  }
}
