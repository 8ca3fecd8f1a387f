package dev.deepresearcher.evaluate;

import dev.deepresearcher.core.cli.ProgressBar;
import dev.deepresearcher.core.llm.ChatException;
import dev.deepresearcher.reward.DeepResearcherAnswers;
import dev.deepresearcher.reward.RewardFunction;
import dev.deepresearcher.reward.Rewards;
import dev.deepresearcher.reward.Rewards.Metric;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;

/**
 * Computes F1, EM and (with a judge) MBE per data source, by DeepResearcher's evaluation rules.
 *
 * <p>MBE follows the same rules as DeepResearcher's script: a broken format scores 0 without asking
 * the judge, an exact match scores 1 without asking, anything else is the judge's verdict on the
 * normalised answer.
 */
public final class Metrics {
  private static final RewardFunction F1 = Rewards.deepResearcherEvaluation(Metric.F1);
  private static final RewardFunction EM = Rewards.deepResearcherEvaluation(Metric.EM);

  private Metrics() {}

  /**
   * Scores every item.
   *
   * @param judge the MBE judge, or {@code null} to leave MBE out
   * @param concurrency judge requests in flight at once
   * @param showProgress whether to show a progress bar on standard error while judging
   */
  public static MetricsReport compute(
      List<EvalItem> items, Judge judge, int concurrency, boolean showProgress) {
    int n = items.size();
    double[] f1 = new double[n];
    double[] em = new double[n];
    for (int i = 0; i < n; i++) {
      EvalItem item = items.get(i);
      f1[i] = F1.score(item.response(), item.groundTruths());
      em[i] = EM.score(item.response(), item.groundTruths());
    }
    double[] mbe = null;
    int[] stats = new int[4];
    if (judge != null) {
      mbe = judgeAll(items, em, judge, Math.max(1, concurrency), showProgress, stats);
    }
    Map<String, double[]> sums = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    for (int i = 0; i < n; i++) {
      double[] s = sums.computeIfAbsent(items.get(i).dataSource(), k -> new double[4]);
      // Sum in item order, as DeepResearcher's script sums its per-source lists.
      s[0] += f1[i];
      s[1] += em[i];
      s[2] += mbe == null ? 0 : mbe[i];
      s[3]++;
    }
    Map<String, SourceMetrics> perSource = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    double[] total = new double[4];
    boolean judged = mbe != null;
    sums.forEach(
        (source, s) -> {
          perSource.put(source, metrics(s, judged));
          for (int k = 0; k < 4; k++) {
            total[k] += s[k];
          }
        });
    JudgeStats judgeStats = judged ? new JudgeStats(stats[0], stats[1], stats[2], stats[3]) : null;
    return new MetricsReport(perSource, metrics(total, judged), judgeStats);
  }

  private static SourceMetrics metrics(double[] s, boolean judged) {
    int count = (int) s[3];
    if (count == 0) {
      return new SourceMetrics(0, 0, judged ? 0.0 : null, 0);
    }
    return new SourceMetrics(s[0] / count, s[1] / count, judged ? s[2] / count : null, count);
  }

  private static double[] judgeAll(
      List<EvalItem> items,
      double[] em,
      Judge judge,
      int concurrency,
      boolean showProgress,
      int[] stats) {
    int n = items.size();
    double[] mbe = new double[n];
    List<Integer> toAsk = new ArrayList<>();
    List<String> answers = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Optional<String> answer = DeepResearcherAnswers.finalAnswer(items.get(i).response());
      if (answer.isEmpty()) {
        mbe[i] = 0.0; // broken format: 0, no request
      } else if (em[i] == 1.0) {
        mbe[i] = 1.0; // exact match: 1, no request
      } else {
        toAsk.add(i);
        answers.add(answer.get());
      }
    }
    Semaphore permits = new Semaphore(concurrency);
    List<Future<Verdict>> futures = new ArrayList<>(toAsk.size());
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
        ProgressBar progress = showProgress ? ProgressBar.start("judging", toAsk.size()) : null) {
      for (int k = 0; k < toAsk.size(); k++) {
        EvalItem item = items.get(toAsk.get(k));
        String answer = answers.get(k);
        futures.add(
            pool.submit(
                () -> {
                  permits.acquire();
                  try {
                    return judge.judge(item.question(), item.groundTruths(), answer);
                  } finally {
                    permits.release();
                    if (progress != null) {
                      progress.step();
                    }
                  }
                }));
      }
      for (int k = 0; k < futures.size(); k++) {
        Verdict v = await(futures.get(k), futures);
        mbe[toAsk.get(k)] = v.correct() ? 1.0 : 0.0;
        stats[0]++;
        stats[1] += v.fromCache() ? 1 : 0;
        stats[2] += v.outcome() == Verdict.Outcome.UNPARSEABLE ? 1 : 0;
        stats[3] += v.outcome() == Verdict.Outcome.FAILED ? 1 : 0;
      }
    }
    return mbe;
  }

  private static Verdict await(Future<Verdict> future, List<Future<Verdict>> all) {
    try {
      return future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      all.forEach(f -> f.cancel(true));
      throw new EvaluateException("interrupted while judging", e);
    } catch (ExecutionException e) {
      all.forEach(f -> f.cancel(true));
      Throwable cause = e.getCause();
      if (cause instanceof ChatException chat) {
        throw new EvaluateException("the MBE judge cannot be used: " + chat.getMessage(), chat);
      }
      if (cause instanceof RuntimeException re) {
        throw re;
      }
      throw new EvaluateException("judging failed: " + cause, cause);
    }
  }
}
