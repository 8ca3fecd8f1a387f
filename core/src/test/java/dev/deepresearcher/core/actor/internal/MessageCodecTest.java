package dev.deepresearcher.core.actor.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JavaType;
import dev.deepresearcher.core.actor.ActorMethod;
import dev.deepresearcher.core.actor.TestActors.Echo;
import dev.deepresearcher.core.actor.TestActors.Holder;
import dev.deepresearcher.core.actor.TestActors.Item;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MessageCodecTest {
  private static final Item LEAF =
      new Item(
          "leaf",
          new int[] {7, -1},
          new float[] {Float.NaN, -0.0f, 3.4e38f},
          new byte[] {1, 2, 3},
          List.of("x"),
          Map.of("n", 5L),
          null);

  @Test
  void recordsWithArraysNaNsNestingAndNullsComeBackEqual() {
    Item root = new Item("root", new int[0], null, null, List.of(), Map.of(), LEAF);
    Item back = (Item) MessageCodec.roundTrip(root, MessageCodec.type(Item.class));
    assertNull(back.logprobs());
    assertArrayEquals(LEAF.ids(), back.child().ids());
    assertArrayEquals(LEAF.logprobs(), back.child().logprobs(), "NaN and -0.0 keep their bits");
    assertArrayEquals(LEAF.payload(), back.child().payload());
    assertEquals(LEAF.counts(), back.child().counts());
  }

  @Test
  void aRecordIsWrittenAsItsComponentsOnlyNotItsHelperMethods() {
    // Item has isLeaf(), which Jackson would write as "leaf" and then fail to read back.
    byte[] bytes = MessageCodec.encode(LEAF);
    @SuppressWarnings("unchecked")
    Map<String, Object> fields =
        (Map<String, Object>) MessageCodec.decode(bytes, MessageCodec.type(Map.class));
    assertEquals(
        List.of("id", "ids", "logprobs", "payload", "tags", "counts", "child"),
        List.copyOf(fields.keySet()));
  }

  @Test
  void bytesTravelRawNotAsBase64() {
    byte[] megabyte = new byte[1 << 20];
    assertTrue(MessageCodec.encode(megabyte).length < megabyte.length + 16);
  }

  @Test
  void genericListsDecodeToTheirElementRecordsFromTheMethodSignature() {
    MethodTarget items =
        MethodTarget.of((ActorMethod<Echo, List<Item>, List<Item>>) Echo::items, true);
    JavaType type = items.argType();
    Object back = MessageCodec.roundTrip(List.of(LEAF, LEAF), type);
    assertInstanceOf(Item.class, ((List<?>) back).get(1));
    assertEquals(type, items.replyType());
  }

  @Test
  void aClassThatIsNotARecordIsRefusedByNameWithTheRule() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> MessageCodec.encode(new Holder(Thread.currentThread())));
    assertTrue(e.getMessage().contains("java.lang.Thread is not a record"), e.getMessage());
    assertTrue(e.getMessage().contains(MessageCodec.RULE), e.getMessage());
  }

  @Test
  void aHeaderByteGoesInFrontOfTheValueInOneArray() {
    byte[] bytes = MessageCodec.encode((byte) 9, "text");
    assertEquals(9, bytes[0]);
    assertEquals("text", MessageCodec.decode(bytes, 1, MessageCodec.type(String.class)));
  }

  @Test
  void bytesOfAnotherTypeAreRefusedWithTheTargetType() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> MessageCodec.decode(MessageCodec.encode("text"), MessageCodec.type(Item.class)));
    assertTrue(e.getMessage().contains("Item"), e.getMessage());
  }
}
