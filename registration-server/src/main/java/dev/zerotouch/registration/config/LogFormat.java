package dev.zerotouch.registration.config;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import java.net.URL;
import java.util.Locale;
import org.slf4j.LoggerFactory;

/**
 * Chooses the log format after the command line is read: logback.xml picks its appender from
 * the {@code zt.log.format} system property (else {@code ZT_LOG_FORMAT}, else json), so the
 * flag sets that property and logback reads its configuration again.
 */
public final class LogFormat {

  private LogFormat() {
  }

  public static void apply(String format) {
    String normalised = format == null ? "json" : format.trim().toLowerCase(Locale.ROOT);
    if (!normalised.equals("json") && !normalised.equals("text")) {
      throw new IllegalArgumentException("log format must be json or text, got '" + format + "'");
    }
    System.setProperty("zt.log.format", normalised);

    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      return;
    }
    URL configuration = LogFormat.class.getResource("/logback.xml");
    if (configuration == null) {
      return;
    }
    context.reset();
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    try {
      configurator.doConfigure(configuration);
    } catch (JoranException e) {
      throw new IllegalStateException("logback.xml cannot be applied", e);
    }
  }
}
