package dev.zerotouch.registry;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The gathering half of a group commit: the requests that one {@link Registry} call records
 * together, taken from the queue the callers put them on.
 */
public final class GroupCommit {

  private GroupCommit() {
  }

  /**
   * {@code first}, whatever is queued behind it, and what arrives until
   * {@code deadlineNanos} (a {@link System#nanoTime} value), at most {@code max} in all. An
   * interrupt ends the wait but not the group: what was taken is answered, the interrupt flag
   * is set again, and the caller's next wait on the queue ends its loop.
   */
  public static <T> List<T> gather(BlockingQueue<T> queue, T first, int max,
      long deadlineNanos) {
    List<T> group = new ArrayList<>();
    group.add(first);
    queue.drainTo(group, max - 1);

    long left = deadlineNanos - System.nanoTime();
    while (group.size() < max && left > 0) {
      T next;
      try {
        next = queue.poll(left, TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      if (next == null) {
        break;
      }
      group.add(next);
      queue.drainTo(group, max - group.size());
      left = deadlineNanos - System.nanoTime();
    }
    return group;
  }
}
