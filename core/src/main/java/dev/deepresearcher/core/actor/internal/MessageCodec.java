package dev.deepresearcher.core.actor.internal;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationConfig;
import com.fasterxml.jackson.databind.introspect.AnnotatedMember;
import com.fasterxml.jackson.databind.introspect.AnnotatedMethod;
import com.fasterxml.jackson.databind.introspect.JacksonAnnotationIntrospector;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.BeanSerializerModifier;
import com.fasterxml.jackson.databind.ser.std.BeanSerializerBase;
import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;

/**
 * Encodes actor messages and replies to bytes and back: records, strings, boxed primitives, enums,
 * {@code byte[]}, primitive arrays, and lists and maps of those, nested, possibly {@code null}.
 *
 * <p>CBOR rather than JSON because {@code byte[]} (weight payloads of several MB) travels as raw
 * bytes instead of base64, and floats keep NaN and their exact bits. Decoding needs the target type
 * ({@code List<Trajectory>} cannot be recovered from the bytes alone); callers take it from the
 * actor method's signature ({@link MethodTarget}).
 *
 * <p>Two rules keep what crosses equal to what was sent: a record is written as its components only
 * (not as whatever {@code getX()} or {@code isEmpty()} helpers it has, which could not be read
 * back), and any other class that Jackson would treat as a bean (a {@code Thread}, a lambda, a
 * mutable POJO) is refused with its name, so a message that cannot cross fails where it is made.
 */
public final class MessageCodec {
  /** What may cross, for error messages. */
  public static final String RULE =
      "messages and replies must be records, strings, boxed primitives, enums, durations, byte[] or"
          + " primitive arrays, or lists and maps of those";

  private static final ObjectMapper MAPPER = mapper();

  private MessageCodec() {}

  /** The mapper's view of a reflected type, e.g. a method's generic parameter type. */
  public static JavaType type(Type type) {
    return MAPPER.getTypeFactory().constructType(type);
  }

  /**
   * Encodes one value.
   *
   * @throws IllegalArgumentException naming the class that cannot be encoded and {@link #RULE}
   */
  public static byte[] encode(Object value) {
    try {
      return MAPPER.writeValueAsBytes(value);
    } catch (JacksonException e) {
      throw cannotEncode(value, e);
    }
  }

  /**
   * Encodes one value after a one-byte header, in one array: a reply's status travels without
   * copying a multi-MB payload again.
   *
   * @throws IllegalArgumentException as {@link #encode(Object)}
   */
  public static byte[] encode(byte header, Object value) {
    ByteArrayBuilder out = new ByteArrayBuilder();
    out.write(header);
    try {
      MAPPER.writeValue(out, value);
      return out.toByteArray();
    } catch (JacksonException e) {
      throw cannotEncode(value, e);
    } catch (IOException e) {
      throw new IllegalStateException("writing to memory failed", e);
    }
  }

  private static IllegalArgumentException cannotEncode(Object value, JacksonException e) {
    return new IllegalArgumentException(
        "cannot encode "
            + (value == null ? "null" : value.getClass().getName())
            + ": "
            + e.getOriginalMessage()
            + "; "
            + RULE,
        e);
  }

  /**
   * Decodes what {@link #encode(Object)} wrote as {@code type}.
   *
   * @throws IllegalArgumentException when the bytes do not hold a {@code type}
   */
  public static Object decode(byte[] bytes, JavaType type) {
    return decode(bytes, 0, type);
  }

  /**
   * Decodes what {@link #encode(byte, Object)} wrote from {@code offset} on, e.g. past a header.
   */
  public static Object decode(byte[] bytes, int offset, JavaType type) {
    try {
      return MAPPER.readValue(bytes, offset, bytes.length - offset, type);
    } catch (JacksonException e) {
      throw new IllegalArgumentException(
          "cannot decode a " + type.toCanonical() + " from the message: " + e.getOriginalMessage(),
          e);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "cannot decode a " + type.toCanonical() + " from the message: " + e, e);
    }
  }

  /** Encodes a typed object and decodes its bytes into another of the same type. */
  public static Object roundTrip(Object value, JavaType type) {
    return decode(encode(value), type);
  }

  private static ObjectMapper mapper() {
    SimpleModule recordsOnly = new SimpleModule("actor-messages");
    recordsOnly.setSerializerModifier(
        new BeanSerializerModifier() {
          @Override
          public JsonSerializer<?> modifySerializer(
              SerializationConfig config, BeanDescription description, JsonSerializer<?> found) {
            Class<?> type = description.getBeanClass();
            if (found instanceof BeanSerializerBase && !type.isRecord()) {
              throw new IllegalArgumentException(
                  type.getName() + " is not a record, so it cannot cross as a message");
            }
            return found;
          }
        });
    return CBORMapper.builder()
        .addModule(new JavaTimeModule())
        .addModule(recordsOnly)
        .annotationIntrospector(new RecordComponentsOnly())
        .build();
  }

  /** Hides a record's accessor-like methods that are not its components. */
  private static final class RecordComponentsOnly extends JacksonAnnotationIntrospector {
    private static final long serialVersionUID = 1L;

    @Override
    public boolean hasIgnoreMarker(AnnotatedMember member) {
      if (member instanceof AnnotatedMethod method
          && method.getDeclaringClass().isRecord()
          && method.getParameterCount() == 0
          && !isComponent(method.getDeclaringClass(), method.getName())) {
        return true;
      }
      return super.hasIgnoreMarker(member);
    }

    private static boolean isComponent(Class<?> record, String name) {
      for (RecordComponent c : record.getRecordComponents()) {
        if (c.getName().equals(name)) {
          return true;
        }
      }
      return false;
    }
  }
}
