package dev.zerotouch.device;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import dev.zerotouch.device.config.LogFormat;
import java.net.URL;
import org.slf4j.LoggerFactory;

/**
 * Sets the command line's log format: readable lines ({@value #TEXT_CONFIG}, the default for
 * this CLI) or one JSON object per line ({@value #JSON_CONFIG}). The configuration is loaded
 * from these resources explicitly, so that another {@code logback.xml} on the class path
 * cannot change what the person running the device sees.
 */
final class Logging {
  static final String TEXT_CONFIG = "/device-client-logback-text.xml";
  static final String JSON_CONFIG = "/device-client-logback-json.xml";

  private Logging() {
  }

  static void apply(LogFormat format) {
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      return;
    }
    String name = format == LogFormat.JSON ? JSON_CONFIG : TEXT_CONFIG;
    URL config = Logging.class.getResource(name);
    context.reset();
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    try {
      configurator.doConfigure(config);
    } catch (JoranException e) {
      throw new IllegalStateException("cannot read the log configuration " + name, e);
    }
  }
}
