package dev.deepresearcher.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * GRPO's numbers against DeepResearcher's verl ({@code grpo_cases.json}: advantages, pg_loss, clip
 * fraction, approx KL, entropy, kl_loss, total loss) within 1e-5. Extra case files of the same
 * layout are read from the system property {@code grpo.extraCases} (comma-separated paths).
 */
class GrpoParityTest {
  static final double TOLERANCE = 1e-5;
  static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void everyReferenceCaseMatchesVerlWithinOneInOneHundredThousand() throws IOException {
    List<JsonNode> cases = new ArrayList<>();
    try (InputStream in = GrpoParityTest.class.getResourceAsStream("/grpo/grpo_cases.json")) {
      JSON.readTree(in).get("cases").forEach(cases::add);
    }
    String extra = System.getProperty("grpo.extraCases", "");
    for (String file : extra.split(",")) {
      if (!file.isBlank()) {
        JSON.readTree(Path.of(file.strip()).toFile()).get("cases").forEach(cases::add);
      }
    }
    assertTrue(cases.size() >= 40, "the reference file holds 40 cases");
    for (JsonNode c : cases) {
      check(c);
    }
  }

  private static void check(JsonNode c) {
    String name = "case seed " + c.get("seed");
    float[][] mask = matrix(c.get("response_mask"));
    int b = mask.length;
    int l = mask[0].length;
    double[] scores = new double[b];
    List<String> groups = new ArrayList<>();
    for (int i = 0; i < b; i++) {
      scores[i] = c.get("scores").get(i).asDouble();
      groups.add(c.get("group_index").get(i).asText());
    }
    float[] adv = Grpo.advantages(scores, groups);
    float[][] expectedAdv = matrix(c.get("advantages"));
    for (int i = 0; i < b; i++) {
      for (int j = 0; j < l; j++) {
        close(expectedAdv[i][j], adv[i] * mask[i][j], name + " advantage [" + i + "," + j + "]");
      }
    }
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray maskArray = array(m, mask);
      NDArray logits = logits(m, c.get("logits")); // [b, L, V]
      NDArray lp = logits.logSoftmax(-1);
      NDArray entropy = lp.exp().mul(lp).sum(new int[] {2}).neg(); // [b, L]
      Grpo.Settings s =
          new Grpo.Settings(
              c.get("clip_ratio").asDouble(),
              c.get("kl_coef").asDouble(),
              c.get("entropy_coeff").asDouble());
      assertEquals("low_var_kl", c.get("kl_type").asText());
      Grpo.Terms t =
          Grpo.terms(
              array(m, matrix(c.get("log_prob"))),
              array(m, matrix(c.get("old_log_prob"))),
              array(m, matrix(c.get("ref_log_prob"))),
              m.create(adv, new Shape(b, 1)),
              maskArray,
              entropy,
              s);
      close(c.get("pg_loss").asDouble(), t.pgLoss().getFloat(), name + " pg_loss");
      close(c.get("pg_clipfrac").asDouble(), t.clipFraction().getFloat(), name + " clip fraction");
      close(c.get("ppo_kl").asDouble(), t.approxKl().getFloat(), name + " approx kl");
      close(c.get("entropy").asDouble(), t.entropy().getFloat(), name + " entropy");
      close(c.get("kl_loss").asDouble(), t.klLoss().getFloat(), name + " kl_loss");
      close(c.get("total_loss").asDouble(), t.total().getFloat(), name + " total loss");
    }
  }

  private static void close(double expected, double actual, String what) {
    assertTrue(
        Math.abs(expected - actual) <= TOLERANCE * Math.max(1, Math.abs(expected)),
        what + ": expected " + expected + ", got " + actual);
  }

  private static float[][] matrix(JsonNode rows) {
    float[][] out = new float[rows.size()][];
    for (int i = 0; i < rows.size(); i++) {
      JsonNode r = rows.get(i);
      out[i] = new float[r.size()];
      for (int j = 0; j < r.size(); j++) {
        out[i][j] = (float) r.get(j).asDouble();
      }
    }
    return out;
  }

  private static NDArray array(NDManager m, float[][] values) {
    int b = values.length;
    int l = values[0].length;
    float[] flat = new float[b * l];
    for (int i = 0; i < b; i++) {
      System.arraycopy(values[i], 0, flat, i * l, l);
    }
    return m.create(flat, new Shape(b, l));
  }

  private static NDArray logits(NDManager m, JsonNode node) {
    int b = node.size();
    int l = node.get(0).size();
    int v = node.get(0).get(0).size();
    float[] flat = new float[b * l * v];
    int k = 0;
    for (JsonNode row : node) {
      for (JsonNode tok : row) {
        for (JsonNode x : tok) {
          flat[k++] = (float) x.asDouble();
        }
      }
    }
    return m.create(flat, new Shape(b, l, v));
  }
}
