package dev.zerotouch.protocol.wire;

import java.util.Map;

/**
 * Device to server: the first message on a connection. The attributes are free-form device
 * facts (model, hardware revision...) stored with the device record; the device's identity is
 * not among them, it comes from the TLS client certificate.
 *
 * @param protocolVersion the version the device speaks, 1 or more ({@link Frames#PROTOCOL_VERSION})
 * @param firmwareVersion at most {@value #MAX_FIRMWARE_VERSION_BYTES} UTF-8 bytes, may be empty
 * @param attributes at most {@value #MAX_ATTRIBUTES} entries; keys 1 to
 *     {@value #MAX_ATTRIBUTE_KEY_BYTES} UTF-8 bytes, values at most
 *     {@value #MAX_ATTRIBUTE_VALUE_BYTES}
 */
public record Register(int protocolVersion, String firmwareVersion, Map<String, String> attributes)
    implements Message {

  public static final int MAX_FIRMWARE_VERSION_BYTES = 64;
  public static final int MAX_ATTRIBUTES = 32;
  public static final int MAX_ATTRIBUTE_KEY_BYTES = 64;
  public static final int MAX_ATTRIBUTE_VALUE_BYTES = 256;

  public Register {
    if (protocolVersion < 1) {
      throw new IllegalArgumentException(
          "protocolVersion is " + protocolVersion + ", expected 1 or more");
    }
    if (firmwareVersion == null) {
      throw new IllegalArgumentException("firmwareVersion is null, expected a string");
    }
    if (WireFormat.utf8Length(firmwareVersion) > MAX_FIRMWARE_VERSION_BYTES) {
      throw new IllegalArgumentException("firmwareVersion is "
          + WireFormat.utf8Length(firmwareVersion) + " UTF-8 bytes, expected at most "
          + MAX_FIRMWARE_VERSION_BYTES);
    }
    if (attributes == null) {
      throw new IllegalArgumentException("attributes is null, expected a map (may be empty)");
    }
    if (attributes.size() > MAX_ATTRIBUTES) {
      throw new IllegalArgumentException("attributes has " + attributes.size()
          + " entries, expected at most " + MAX_ATTRIBUTES);
    }
    attributes.forEach(Register::checkAttribute);
    attributes = Map.copyOf(attributes);
  }

  /** A register message for the protocol version this code speaks. */
  public static Register current(String firmwareVersion, Map<String, String> attributes) {
    return new Register(Frames.PROTOCOL_VERSION, firmwareVersion, attributes);
  }

  private static void checkAttribute(String key, String value) {
    if (key == null || key.isEmpty()) {
      throw new IllegalArgumentException("attribute key is '" + key + "', expected 1 to "
          + MAX_ATTRIBUTE_KEY_BYTES + " UTF-8 bytes");
    }
    if (WireFormat.utf8Length(key) > MAX_ATTRIBUTE_KEY_BYTES) {
      throw new IllegalArgumentException("attribute key '" + abbreviate(key) + "' is "
          + WireFormat.utf8Length(key) + " UTF-8 bytes, expected at most "
          + MAX_ATTRIBUTE_KEY_BYTES);
    }
    if (value == null) {
      throw new IllegalArgumentException("attribute '" + key + "' has a null value");
    }
    if (WireFormat.utf8Length(value) > MAX_ATTRIBUTE_VALUE_BYTES) {
      throw new IllegalArgumentException("attribute '" + key + "' is "
          + WireFormat.utf8Length(value) + " UTF-8 bytes, expected at most "
          + MAX_ATTRIBUTE_VALUE_BYTES);
    }
  }

  private static String abbreviate(String text) {
    return text.length() <= 32 ? text : text.substring(0, 32) + "...";
  }
}
