package dev.zerotouch.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class GroupCommitTest {

  private final BlockingQueue<String> queue = new ArrayBlockingQueue<>(100);

  @Test
  void aPassedDeadlineTakesWhatIsQueuedAndWaitsForNothing() {
    queue.addAll(List.of("b", "c"));

    List<String> group = GroupCommit.gather(queue, "a", 10, System.nanoTime());

    assertThat(group).containsExactly("a", "b", "c");
  }

  @Test
  void whatArrivesBeforeTheDeadlineJoinsUpToTheMaximum() throws Exception {
    CompletableFuture<Void> arrivals = CompletableFuture.runAsync(() -> {
      sleep(50);
      queue.addAll(List.of("b", "c", "d", "e"));
    });

    List<String> group = GroupCommit.gather(queue, "a", 3,
        System.nanoTime() + TimeUnit.SECONDS.toNanos(5));

    arrivals.join();
    assertThat(group).containsExactly("a", "b", "c");
    assertThat(queue).containsExactly("d", "e");
  }

  @Test
  void anInterruptEndsTheWaitButKeepsTheGroupAndTheFlag() {
    queue.add("b");
    Thread.currentThread().interrupt();

    List<String> group = GroupCommit.gather(queue, "a", 10,
        System.nanoTime() + TimeUnit.SECONDS.toNanos(5));

    assertThat(group).containsExactly("a", "b");
    assertThat(Thread.interrupted()).as("the interrupt flag, set again").isTrue();
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
