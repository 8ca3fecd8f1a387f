package dev.deepresearcher.search.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deepresearcher.core.data.Datasets;
import dev.deepresearcher.core.data.QaExample;
import dev.deepresearcher.core.testing.TestPaths;
import dev.deepresearcher.search.SearchHit;
import dev.deepresearcher.search.internal.local.LocalBackend;
import dev.deepresearcher.search.internal.local.LuceneIndexes;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Retrieval quality of the local backend on hotpotqa-100: each question's text as the query, recall
 * of its supporting paragraphs in the top 5 and top 10. The floors are the measured values (see
 * docs/search-handler.md), rounded down, so a change that hurts retrieval fails here.
 */
class RetrievalRecallTest {
  static final double RECALL_AT_5_FLOOR = 0.76;
  static final double RECALL_AT_10_FLOOR = 0.92;

  @TempDir Path dir;

  @Test
  void supportingParagraphsAreFoundForHotpotQaQuestions() throws IOException {
    Path index = dir.resolve("index");
    LuceneIndexes.build(TestPaths.data("hotpotqa-100/corpus.jsonl"), index, 1, null);
    List<QaExample> questions = Datasets.readAll(TestPaths.data("hotpotqa-100/questions.jsonl"));
    double found5 = 0;
    double found10 = 0;
    int supporting = 0;
    try (LocalBackend backend = new LocalBackend(index, () -> "http://127.0.0.1:1")) {
      assertEquals(991, backend.size());
      for (QaExample q : questions) {
        @SuppressWarnings("unchecked")
        List<String> titles = (List<String>) q.extraInfo().get("supporting_titles");
        List<SearchHit> hits = backend.search(q.question(), 10);
        Set<String> top5 = hits.stream().limit(5).map(SearchHit::title).collect(Collectors.toSet());
        Set<String> top10 = hits.stream().map(SearchHit::title).collect(Collectors.toSet());
        for (String t : titles) {
          supporting++;
          found5 += top5.contains(t) ? 1 : 0;
          found10 += top10.contains(t) ? 1 : 0;
        }
      }
    }
    double recall5 = found5 / supporting;
    double recall10 = found10 / supporting;
    System.out.printf(
        Locale.ROOT,
        "hotpotqa-100: recall@5 %.3f recall@10 %.3f over %d supporting paragraphs%n",
        recall5,
        recall10,
        supporting);
    assertTrue(recall5 >= RECALL_AT_5_FLOOR, "recall@5 " + recall5);
    assertTrue(recall10 >= RECALL_AT_10_FLOOR, "recall@10 " + recall10);
  }
}
