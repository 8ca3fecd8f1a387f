package dev.deepresearcher.evaluate.internal;

import dev.deepresearcher.core.cache.DiskCache;
import dev.deepresearcher.core.data.ChatMessage;
import dev.deepresearcher.core.llm.ChatClient;
import dev.deepresearcher.core.llm.ChatException;
import dev.deepresearcher.core.text.PythonRepr;
import dev.deepresearcher.evaluate.Judge;
import dev.deepresearcher.evaluate.Verdict;
import dev.deepresearcher.evaluate.Verdict.Outcome;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The MBE judge on an OpenAI-compatible chat model, as the paper evaluates: the judge sees the
 * question, the ground-truth list and the normalised predicted answer, gives a short rationale and
 * says {@code correct} or {@code incorrect}.
 *
 * <p>Verdicts are cached on disk by model, temperature and prompt, so a rerun sends no request. A
 * reply without a verdict is asked again up to {@code unparseableRetries} times, then counts as
 * incorrect (and is cached as such). A judge unreachable after the client's retries counts as
 * incorrect and is <em>not</em> cached, so a rerun tries again; an error retries cannot fix (a bad
 * key) stops the evaluation.
 */
public final class LlmJudge implements Judge {
  static final String NAMESPACE = "judge";

  private static final String SYSTEM = "You are a careful and fair grader of question answering.";

  private final ChatClient client;
  private final DiskCache cache;
  private final int unparseableRetries;

  /**
   * @param cache where verdicts are kept across runs, or {@code null} for none
   */
  public LlmJudge(ChatClient client, DiskCache cache, int unparseableRetries) {
    this.client = client;
    this.cache = cache;
    this.unparseableRetries = unparseableRetries;
  }

  @Override
  public String describe() {
    return client.endpoint().model() + " at " + client.endpoint().completionsUrl();
  }

  /** The prompt for one answer; ground truths are lower-cased, as DeepResearcher's script does. */
  static String prompt(String question, List<String> groundTruths, String answer) {
    List<String> lowered = groundTruths.stream().map(t -> t.toLowerCase(Locale.ROOT)).toList();
    return """
        Judge whether a predicted answer to a question is correct, given a list of ground-truth \
        answers. Any one item of the list is a correct answer.

        Criteria:
        1. The predicted answer need not match a ground-truth answer word for word, but it must \
        mean the same thing for this question.
        2. It is correct if it means the same as at least one item of the ground-truth list; \
        otherwise it is incorrect.

        question: %s
        ground truth answers: %s
        pred_answer: %s

        First give your rationale, then your judgement, as JSON in exactly this form:
        {"rationale": "your rationale for the judgement, as a text", \
        "judgement": "correct" or "incorrect"}
        """
        .formatted(question, PythonRepr.list(lowered), answer);
  }

  @Override
  public Verdict judge(String question, List<String> groundTruths, String answer) {
    String prompt = prompt(question, groundTruths, answer);
    String key = cacheKey(prompt);
    if (cache != null) {
      Optional<byte[]> hit = cache.get(NAMESPACE, key);
      if (hit.isPresent()) {
        String stored = new String(hit.get(), StandardCharsets.UTF_8);
        Outcome outcome = stored.equals("unparseable") ? Outcome.UNPARSEABLE : Outcome.JUDGED;
        return new Verdict(stored.equals("correct"), outcome, true);
      }
    }
    List<ChatMessage> messages =
        List.of(new ChatMessage("system", SYSTEM), ChatMessage.user(prompt));
    for (int attempt = 0; attempt <= unparseableRetries; attempt++) {
      String reply;
      try {
        reply = client.complete(messages).content();
      } catch (ChatException e) {
        if (!e.retryable()) {
          throw e; // a bad key or URL fails every request: stop the evaluation
        }
        return new Verdict(false, Outcome.FAILED, false);
      }
      Optional<Boolean> verdict = VerdictParser.parse(reply);
      if (verdict.isPresent()) {
        store(key, verdict.get() ? "correct" : "incorrect");
        return new Verdict(verdict.get(), Outcome.JUDGED, false);
      }
    }
    store(key, "unparseable");
    return new Verdict(false, Outcome.UNPARSEABLE, false);
  }

  private void store(String key, String value) {
    if (cache != null) {
      cache.put(NAMESPACE, key, value.getBytes(StandardCharsets.UTF_8), null);
    }
  }

  private String cacheKey(String prompt) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(client.endpoint().model().getBytes(StandardCharsets.UTF_8));
      sha.update((byte) 0);
      sha.update(Double.toString(client.endpoint().temperature()).getBytes(StandardCharsets.UTF_8));
      sha.update((byte) 0);
      sha.update(prompt.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(sha.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
