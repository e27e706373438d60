package dev.zerotouch.protocol.wire;

import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The field encodings of docs/PROTOCOL.md, shared by the message serializers: unsigned varints
 * (Kryo's), strings as a varint byte length then UTF-8, booleans as one byte 0 or 1, and 64-bit
 * integers as 8 bytes big-endian. Every length read is checked against the bytes left in the
 * payload before anything is allocated.
 */
final class WireFormat {

  private WireFormat() {
  }

  static void writeVarInt(Output out, int value) {
    out.writeVarInt(value, true);
  }

  /** An unsigned varint that must fit a non-negative Java int. */
  static int readVarInt(Input in, String field) {
    int value = in.readVarInt(true);
    if (value < 0) {
      throw new ProtocolException(ErrorCode.BAD_FRAME,
          field + " is " + Integer.toUnsignedString(value) + ", above 2147483647");
    }
    return value;
  }

  static void writeString(Output out, String value) {
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    out.writeVarInt(bytes.length, true);
    out.writeBytes(bytes);
  }

  /**
   * Reads a string of at most {@code maxBytes} UTF-8 bytes. A length beyond the payload or
   * malformed UTF-8 is {@link ErrorCode#BAD_FRAME}; a length above {@code maxBytes} is
   * {@code overLimit}.
   */
  static String readString(Input in, String field, int maxBytes, ErrorCode overLimit) {
    int length = readVarInt(in, field + " length");
    int left = remaining(in);
    if (length > left) {
      throw new ProtocolException(ErrorCode.BAD_FRAME,
          field + " announces " + length + " bytes but only " + left + " are left in the frame");
    }
    if (length > maxBytes) {
      throw new ProtocolException(overLimit,
          field + " is " + length + " bytes, above the limit of " + maxBytes);
    }

    byte[] bytes = in.readBytes(length);
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw new ProtocolException(ErrorCode.BAD_FRAME, field + " is not valid UTF-8", e);
    }
  }

  static void writeBoolean(Output out, boolean value) {
    out.writeByte(value ? 1 : 0);
  }

  static boolean readBoolean(Input in, String field) {
    int value = in.readByte() & 0xFF;
    if (value > 1) {
      throw new ProtocolException(ErrorCode.BAD_FRAME,
          field + " is byte " + value + ", expected 0 (false) or 1 (true)");
    }
    return value == 1;
  }

  static void writeInt64(Output out, long value) {
    for (int shift = 56; shift >= 0; shift -= 8) {
      out.writeByte((byte) (value >>> shift));
    }
  }

  static long readInt64(Input in) {
    long value = 0;
    for (int i = 0; i < Long.BYTES; i++) {
      value = (value << 8) | (in.readByte() & 0xFF);
    }
    return value;
  }

  static int remaining(Input in) {
    return in.limit() - in.position();
  }

  /** UTF-8 length of {@code value}, for the limits the message records enforce. */
  static int utf8Length(String value) {
    return value.getBytes(StandardCharsets.UTF_8).length;
  }
}
