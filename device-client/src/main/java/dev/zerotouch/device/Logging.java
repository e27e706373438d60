package dev.zerotouch.device;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import dev.zerotouch.device.config.LogFormat;
import java.net.URL;
import org.slf4j.LoggerFactory;

/**
 * Switches the log between readable lines ({@code logback.xml}, the default for this CLI) and
 * one JSON object per line ({@value #JSON_CONFIG}).
 */
final class Logging {

  static final String JSON_CONFIG = "/device-client-logback-json.xml";

  private Logging() {
  }

  static void apply(LogFormat format) {
    if (format != LogFormat.JSON
        || !(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      return;
    }
    URL config = Logging.class.getResource(JSON_CONFIG);
    context.reset();
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    try {
      configurator.doConfigure(config);
    } catch (JoranException e) {
      throw new IllegalStateException("cannot read the log configuration " + JSON_CONFIG, e);
    }
  }
}
