package dev.zerotouch.protocol.wire;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.Registration;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.util.Pool;
import io.netty.buffer.ByteBuf;
import java.util.List;

/**
 * Turns one message into the bytes of one frame payload and back, with Kryo (registration
 * required, references off, explicit serializers, fixed class ids). Thread-safe: Kryo
 * instances are pooled.
 *
 * <p>A payload is Kryo's class id of the message, written as the unsigned varint
 * {@code id + 2} (Kryo keeps 0 for null and 1 for a class written by name), then the message's
 * fields. The ids are {@link #CLASS_ID_BASE} + n, above the ids 0 to 9 that Kryo gives its
 * default registrations. Decoding reads the class id itself and accepts only these five ids, so
 * no other class, and no class name, is ever resolved from the wire.
 */
public final class MessageCodec {

  /** The first message class id; Kryo's own default registrations use 0 to 9. */
  public static final int CLASS_ID_BASE = 100;
  public static final int REGISTER_ID = CLASS_ID_BASE;
  public static final int REGISTERED_ID = CLASS_ID_BASE + 1;
  public static final int HEARTBEAT_ID = CLASS_ID_BASE + 2;
  public static final int HEARTBEAT_ACK_ID = CLASS_ID_BASE + 3;
  public static final int ERROR_ID = CLASS_ID_BASE + 4;

  /** What Kryo adds to a registered id when it writes it (0 is null, 1 a class name). */
  static final int KRYO_ID_OFFSET = 2;

  private static final int POOL_CAPACITY = 64;
  private static final int INITIAL_BUFFER_BYTES = 256;
  private static final byte[] EMPTY = new byte[0];

  private static final List<Entry> MESSAGES = List.of(
      new Entry(REGISTER_ID, Register.class, new MessageSerializers.RegisterSerializer()),
      new Entry(REGISTERED_ID, Registered.class, new MessageSerializers.RegisteredSerializer()),
      new Entry(HEARTBEAT_ID, Heartbeat.class, new MessageSerializers.HeartbeatSerializer()),
      new Entry(HEARTBEAT_ACK_ID, HeartbeatAck.class,
          new MessageSerializers.HeartbeatAckSerializer()),
      new Entry(ERROR_ID, ErrorMessage.class, new MessageSerializers.ErrorMessageSerializer()));

  public static final MessageCodec INSTANCE = new MessageCodec();

  private final int maxPayloadBytes;
  private final Pool<Session> sessions;

  /** A codec with the protocol's limit; {@link #INSTANCE} is one and is all anyone needs. */
  public MessageCodec() {
    this(Frames.MAX_PAYLOAD_BYTES);
  }

  /** A codec with a smaller payload limit, for tests of the limit itself. */
  MessageCodec(int maxPayloadBytes) {
    this.maxPayloadBytes = maxPayloadBytes;
    this.sessions = new Pool<>(true, false, POOL_CAPACITY) {
      @Override
      protected Session create() {
        int initial = Math.min(INITIAL_BUFFER_BYTES, maxPayloadBytes);
        return new Session(newKryo(), new Output(initial, maxPayloadBytes));
      }
    };
  }

  /** The payload of one frame holding {@code message}. */
  public byte[] encode(Message message) {
    Session session = sessions.obtain();
    try {
      Output output = write(session, message);
      return output.toBytes();
    } finally {
      sessions.free(session);
    }
  }

  /** Writes the payload of one frame holding {@code message} (not the length prefix). */
  public void encode(Message message, ByteBuf out) {
    Session session = sessions.obtain();
    try {
      Output output = write(session, message);
      out.writeBytes(output.getBuffer(), 0, output.position());
    } finally {
      sessions.free(session);
    }
  }

  /** Decodes exactly one message filling the whole payload, or throws {@link ProtocolException}. */
  public Message decode(byte[] payload) {
    if (payload.length == 0 || payload.length > maxPayloadBytes) {
      throw new ProtocolException(ErrorCode.BAD_FRAME, "payload is " + payload.length
          + " bytes, expected 1 to " + maxPayloadBytes);
    }

    Session session = sessions.obtain();
    try {
      Input input = session.input;
      input.setBuffer(payload);
      Message message = read(session.kryo, input);
      int trailing = WireFormat.remaining(input);
      if (trailing != 0) {
        throw new ProtocolException(ErrorCode.BAD_FRAME, trailing + " bytes follow the "
            + message.getClass().getSimpleName() + " message in its frame");
      }
      return message;
    } catch (KryoException e) {
      throw new ProtocolException(ErrorCode.BAD_FRAME, "payload of " + payload.length
          + " bytes ends inside a message", e);
    } finally {
      session.input.setBuffer(EMPTY);
      sessions.free(session);
    }
  }

  /** Decodes the readable bytes of {@code payload} as one message; see {@link #decode(byte[])}. */
  public Message decode(ByteBuf payload) {
    byte[] bytes = new byte[payload.readableBytes()];
    payload.readBytes(bytes);
    return decode(bytes);
  }

  private Output write(Session session, Message message) {
    if (message == null) {
      throw new IllegalArgumentException("message is null");
    }

    Output output = session.output;
    output.reset();
    try {
      session.kryo.writeClassAndObject(output, message);
    } catch (KryoException e) {
      throw new IllegalArgumentException(message.getClass().getSimpleName()
          + " encodes to more than the maximum payload of " + maxPayloadBytes + " bytes", e);
    }
    return output;
  }

  private static Message read(Kryo kryo, Input input) {
    int written = input.readVarInt(true);
    int classId = written - KRYO_ID_OFFSET;
    Registration registration = written >= KRYO_ID_OFFSET ? registrationOf(kryo, classId) : null;
    if (registration == null) {
      throw new ProtocolException(ErrorCode.UNKNOWN_MESSAGE, "class id "
          + Integer.toUnsignedString(written) + " (varint, id + 2) is not a message of protocol "
          + Frames.PROTOCOL_VERSION);
    }
    return (Message) kryo.readObject(input, registration.getType());
  }

  private static Registration registrationOf(Kryo kryo, int classId) {
    for (Entry entry : MESSAGES) {
      if (entry.classId == classId) {
        return kryo.getRegistration(entry.type);
      }
    }
    return null;
  }

  private static Kryo newKryo() {
    Kryo kryo = new Kryo();
    kryo.setRegistrationRequired(true);
    kryo.setReferences(false);
    for (Entry entry : MESSAGES) {
      kryo.register(entry.type, entry.serializer, entry.classId);
    }
    return kryo;
  }

  private record Entry(int classId, Class<? extends Message> type,
      Serializer<? extends Message> serializer) {
  }

  private static final class Session {

    final Kryo kryo;
    final Output output;
    final Input input = new Input();

    Session(Kryo kryo, Output output) {
      this.kryo = kryo;
      this.output = output;
    }
  }
}
