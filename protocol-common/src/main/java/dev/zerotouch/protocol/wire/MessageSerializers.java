package dev.zerotouch.protocol.wire;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import dev.zerotouch.protocol.identity.DeviceIds;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * One hand-written Kryo serializer per message, writing the fields in the order and encoding
 * docs/PROTOCOL.md gives. Stateless, so one instance serves every Kryo.
 */
final class MessageSerializers {

  /** Smallest encoded attribute on the wire: two 1-byte lengths (key and value). */
  private static final int MIN_ATTRIBUTE_BYTES = 2;

  private MessageSerializers() {
  }

  /** Register: protocol version (varint), firmware version (string), attributes (map). */
  static final class RegisterSerializer extends Serializer<Register> {

    RegisterSerializer() {
      super(false, true);
    }

    @Override
    public void write(Kryo kryo, Output output, Register message) {
      WireFormat.writeVarInt(output, message.protocolVersion());
      WireFormat.writeString(output, message.firmwareVersion());

      Map<String, String> sorted = new TreeMap<>(message.attributes());
      WireFormat.writeVarInt(output, sorted.size());
      sorted.forEach((key, value) -> {
        WireFormat.writeString(output, key);
        WireFormat.writeString(output, value);
      });
    }

    @Override
    public Register read(Kryo kryo, Input input, Class<? extends Register> type) {
      int protocolVersion = WireFormat.readVarInt(input, "register.protocol_version");
      String firmware = WireFormat.readString(input, "register.firmware_version",
          Register.MAX_FIRMWARE_VERSION_BYTES, ErrorCode.INVALID_REGISTER);
      Map<String, String> attributes = readAttributes(input);
      try {
        return new Register(protocolVersion, firmware, attributes);
      } catch (IllegalArgumentException e) {
        throw new ProtocolException(ErrorCode.INVALID_REGISTER, "register: " + e.getMessage(), e);
      }
    }

    private static Map<String, String> readAttributes(Input input) {
      int count = WireFormat.readVarInt(input, "register.attributes count");
      int left = WireFormat.remaining(input);
      if ((long) count * MIN_ATTRIBUTE_BYTES > left) {
        throw new ProtocolException(ErrorCode.BAD_FRAME, "register.attributes announces "
            + count + " entries but only " + left + " bytes are left in the frame");
      }
      if (count > Register.MAX_ATTRIBUTES) {
        throw new ProtocolException(ErrorCode.INVALID_REGISTER, "register.attributes has "
            + count + " entries, above the limit of " + Register.MAX_ATTRIBUTES);
      }

      Map<String, String> attributes = new HashMap<>();
      for (int i = 0; i < count; i++) {
        String key = WireFormat.readString(input, "register.attributes key",
            Register.MAX_ATTRIBUTE_KEY_BYTES, ErrorCode.INVALID_REGISTER);
        String value = WireFormat.readString(input, "register.attributes value",
            Register.MAX_ATTRIBUTE_VALUE_BYTES, ErrorCode.INVALID_REGISTER);
        if (attributes.put(key, value) != null) {
          throw new ProtocolException(ErrorCode.INVALID_REGISTER,
              "register.attributes repeats the key '" + key + "'");
        }
      }
      return attributes;
    }
  }

  /** Registered: device id (string), first registration (bool), heartbeat interval (varint). */
  static final class RegisteredSerializer extends Serializer<Registered> {

    RegisteredSerializer() {
      super(false, true);
    }

    @Override
    public void write(Kryo kryo, Output output, Registered message) {
      WireFormat.writeString(output, message.deviceId());
      WireFormat.writeBoolean(output, message.firstRegistration());
      WireFormat.writeVarInt(output, message.heartbeatIntervalSeconds());
    }

    @Override
    public Registered read(Kryo kryo, Input input, Class<? extends Registered> type) {
      String deviceId = WireFormat.readString(input, "registered.device_id",
          DeviceIds.MAX_LENGTH, ErrorCode.BAD_FRAME);
      boolean first = WireFormat.readBoolean(input, "registered.first_registration");
      int interval = WireFormat.readVarInt(input, "registered.heartbeat_interval_seconds");
      return build(() -> new Registered(deviceId, first, interval), "registered");
    }
  }

  /** Heartbeat: sequence (int64 big-endian). */
  static final class HeartbeatSerializer extends Serializer<Heartbeat> {

    HeartbeatSerializer() {
      super(false, true);
    }

    @Override
    public void write(Kryo kryo, Output output, Heartbeat message) {
      WireFormat.writeInt64(output, message.sequence());
    }

    @Override
    public Heartbeat read(Kryo kryo, Input input, Class<? extends Heartbeat> type) {
      long sequence = WireFormat.readInt64(input);
      return build(() -> new Heartbeat(sequence), "heartbeat");
    }
  }

  /** HeartbeatAck: sequence (int64 big-endian), server time in ms (int64 big-endian). */
  static final class HeartbeatAckSerializer extends Serializer<HeartbeatAck> {

    HeartbeatAckSerializer() {
      super(false, true);
    }

    @Override
    public void write(Kryo kryo, Output output, HeartbeatAck message) {
      WireFormat.writeInt64(output, message.sequence());
      WireFormat.writeInt64(output, message.serverTimeMillis());
    }

    @Override
    public HeartbeatAck read(Kryo kryo, Input input, Class<? extends HeartbeatAck> type) {
      long sequence = WireFormat.readInt64(input);
      long serverTime = WireFormat.readInt64(input);
      return build(() -> new HeartbeatAck(sequence, serverTime), "heartbeat_ack");
    }
  }

  /** Error: code (string), message (string), retryable (bool). */
  static final class ErrorMessageSerializer extends Serializer<ErrorMessage> {

    ErrorMessageSerializer() {
      super(false, true);
    }

    @Override
    public void write(Kryo kryo, Output output, ErrorMessage message) {
      WireFormat.writeString(output, message.code());
      WireFormat.writeString(output, message.message());
      WireFormat.writeBoolean(output, message.retryable());
    }

    @Override
    public ErrorMessage read(Kryo kryo, Input input, Class<? extends ErrorMessage> type) {
      String code = WireFormat.readString(input, "error.code", ErrorMessage.MAX_CODE_BYTES,
          ErrorCode.BAD_FRAME);
      String text = WireFormat.readString(input, "error.message", ErrorMessage.MAX_MESSAGE_BYTES,
          ErrorCode.BAD_FRAME);
      boolean retryable = WireFormat.readBoolean(input, "error.retryable");
      return build(() -> new ErrorMessage(code, text, retryable), "error");
    }
  }

  private static <T> T build(Supplier<T> constructor, String name) {
    try {
      return constructor.get();
    } catch (IllegalArgumentException e) {
      throw new ProtocolException(ErrorCode.BAD_FRAME, name + ": " + e.getMessage(), e);
    }
  }
}
