package dev.zerotouch.registration.testing;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.logstash.logback.encoder.LogstashEncoder;
import org.slf4j.LoggerFactory;

/**
 * Captures the server's log events and renders them as the production JSON encoder would, so
 * that tests read the lines an operator reads.
 */
public final class LogCapture implements AutoCloseable {

  private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  /** Appends under the appender's own lock (AppenderBase.doAppend), so reads take it too. */
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
  private final LogstashEncoder encoder = new LogstashEncoder();

  public LogCapture() {
    encoder.setContext(root.getLoggerContext());
    encoder.start();
    appender.setContext(root.getLoggerContext());
    appender.start();
    root.addAppender(appender);
  }

  public List<String> jsonLines() {
    List<ILoggingEvent> events;
    synchronized (appender) {
      events = List.copyOf(appender.list);
    }
    return events.stream()
        .map(event -> new String(encoder.encode(event), StandardCharsets.UTF_8))
        .toList();
  }

  @Override
  public void close() {
    root.detachAppender(appender);
    appender.stop();
    encoder.stop();
  }
}
