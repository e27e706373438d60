package dev.zerotouch.protocol.wire;

import dev.zerotouch.protocol.identity.DeviceIds;

/**
 * Server to device: the registration is committed to the registry. Until this arrives a device
 * must not believe it is registered (in TLS 1.3 a refused certificate shows only on the first
 * read).
 *
 * @param deviceId the Common Name of the device's certificate, as the server saw it
 * @param firstRegistration whether this was the device's first registration ever
 * @param heartbeatIntervalSeconds how often the server wants a {@link Heartbeat}, 1 or more
 */
public record Registered(String deviceId, boolean firstRegistration, int heartbeatIntervalSeconds)
    implements Message {

  public Registered {
    if (!DeviceIds.isValid(deviceId)) {
      throw new IllegalArgumentException("deviceId '" + deviceId
          + "' is not a device id (1 to 64 letters, digits, '.', '_' or '-')");
    }
    if (heartbeatIntervalSeconds < 1) {
      throw new IllegalArgumentException("heartbeatIntervalSeconds is "
          + heartbeatIntervalSeconds + ", expected 1 or more");
    }
  }
}
