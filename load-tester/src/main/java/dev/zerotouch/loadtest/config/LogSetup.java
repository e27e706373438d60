package dev.zerotouch.loadtest.config;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import java.net.URL;
import org.slf4j.LoggerFactory;

/** Switches Logback to the configuration of a {@link LogFormat} once the options are read. */
public final class LogSetup {

  private LogSetup() {
  }

  public static void apply(LogFormat format) {
    if (format == LogFormat.TEXT
        || !(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      return;
    }
    URL json = LogSetup.class.getResource("/logback-json.xml");
    if (json == null) {
      return;
    }
    context.reset();
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    try {
      configurator.doConfigure(json);
    } catch (JoranException e) {
      System.err.println("cannot switch the logs to JSON: " + e.getMessage());
    }
  }
}
