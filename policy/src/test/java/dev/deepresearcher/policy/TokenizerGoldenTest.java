package dev.deepresearcher.policy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The tokenizer against tokenizer_golden.json: 61 tricky strings, ids, tokens, offsets, decodes.
 */
class TokenizerGoldenTest {
  @Test
  void everyGoldenStringEncodesAndDecodesLikePython() throws IOException {
    JsonNode golden =
        new ObjectMapper()
            .readTree(Files.readAllBytes(GoldenFixture.resource("tokenizer_golden.json")));
    List<String> mismatches = new ArrayList<>();
    try (Tokenizer tok = Tokenizer.load(GoldenFixture.resource("tokenizer"))) {
      for (JsonNode c : golden.get("cases")) {
        String text = c.get("text").asText();
        Tokenizer.Encoded e = tok.encodeWithOffsets(text);
        int[] ids = ints(c.get("ids"));
        if (!Arrays.equals(ids, e.ids())) {
          mismatches.add(
              "ids of "
                  + repr(text)
                  + ": "
                  + Arrays.toString(e.ids())
                  + " != "
                  + Arrays.toString(ids));
          continue;
        }
        List<String> tokens = new ArrayList<>();
        c.get("tokens").forEach(t -> tokens.add(t.asText()));
        if (!tokens.equals(e.tokens())) {
          mismatches.add("tokens of " + repr(text) + ": " + e.tokens() + " != " + tokens);
        }
        for (int i = 0; i < ids.length; i++) {
          int[] want = ints(c.get("offsets").get(i));
          if (!Arrays.equals(want, e.offsets()[i])) {
            mismatches.add(
                "offset "
                    + i
                    + " of "
                    + repr(text)
                    + ": "
                    + Arrays.toString(e.offsets()[i])
                    + " != "
                    + Arrays.toString(want));
            break;
          }
        }
        if (!tok.decode(ids, false).equals(c.get("decoded").asText())) {
          mismatches.add("decode of " + repr(text) + ": " + repr(tok.decode(ids, false)));
        }
        if (!tok.decode(ids, true).equals(c.get("decoded_skip_special").asText())) {
          mismatches.add(
              "decode (skip special) of " + repr(text) + ": " + repr(tok.decode(ids, true)));
        }
      }
      assertEquals(1001, tok.tokenId("<|im_start|>"));
      assertEquals(1003, tok.tokenId("<tool_call>"));
    }
    assertEquals(List.of(), mismatches);
  }

  static int[] ints(JsonNode array) {
    int[] out = new int[array.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = array.get(i).asInt();
    }
    return out;
  }

  static String repr(String s) {
    return "\"" + s.replace("\n", "\\n").replace("\r", "\\r") + "\"";
  }

  @Test
  void aFolderWithoutTokenizerJsonIsAClearError() {
    PolicyException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            PolicyException.class,
            () -> Tokenizer.load(GoldenFixture.resource("qwen2_tiny_tied/model")));
    assertEquals(
        GoldenFixture.resource("qwen2_tiny_tied/model")
            + " has no tokenizer.json; the policy needs the model's own tokenizer",
        e.getMessage());
    assertArrayEquals(new int[0], new int[0]);
  }
}
