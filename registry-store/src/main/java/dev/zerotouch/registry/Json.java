package dev.zerotouch.registry;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KeyValue;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The JSON form of every value: snake_case field names, ISO-8601 instants in UTC, the
 * certificate status in lowercase. Unknown fields are ignored so that a newer writer's values
 * stay readable.
 */
final class Json {

  private static final ObjectMapper MAPPER = JsonMapper.builder()
      .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
      .addModule(new JavaTimeModule())
      .addModule(statusModule())
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
      .build();

  private Json() {
  }

  static ByteSequence encode(Object value) {
    try {
      return ByteSequence.from(MAPPER.writeValueAsBytes(value));
    } catch (IOException e) {
      throw new IllegalStateException("cannot write " + value.getClass().getSimpleName()
          + " as JSON", e);
    }
  }

  static <T> T decode(KeyValue kv, Class<T> type) {
    return decode(kv.getKey(), kv.getValue(), type);
  }

  static <T> T decode(ByteSequence key, ByteSequence value, Class<T> type) {
    try {
      T decoded = MAPPER.readValue(value.getBytes(), type);
      if (decoded == null) {
        throw new IOException("value is JSON null");
      }
      return decoded;
    } catch (IOException e) {
      throw new RegistryException(RegistryErrorCode.CORRUPT_VALUE, "value of "
          + key.toString(StandardCharsets.UTF_8) + " is not a " + type.getSimpleName()
          + " in JSON: " + e.getMessage(), e);
    }
  }

  private static SimpleModule statusModule() {
    SimpleModule module = new SimpleModule("certificate-status");
    module.addSerializer(CertificateStatus.class, new JsonSerializer<>() {
      @Override
      public void serialize(CertificateStatus status, JsonGenerator out,
          SerializerProvider provider) throws IOException {
        out.writeString(status.name().toLowerCase(Locale.ROOT));
      }
    });
    module.addDeserializer(CertificateStatus.class, new JsonDeserializer<>() {
      @Override
      public CertificateStatus deserialize(JsonParser in, DeserializationContext context)
          throws IOException {
        String text = in.getValueAsString();
        try {
          return CertificateStatus.valueOf(text.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
          throw context.weirdStringException(text, CertificateStatus.class,
              "expected active, superseded or revoked");
        }
      }
    });
    return module;
  }
}
