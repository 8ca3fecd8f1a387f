/**
 * Evaluation: scoring rollouts on a test set the way the paper reports them.
 *
 * <p>{@link dev.deepresearcher.evaluate.RolloutFiles} reads rollouts in DeepResearcher's format (a
 * JSON list of {@code {idx, question, message_str}} paired with the data by position) or ours (JSON
 * lines with {@code response}); {@link dev.deepresearcher.evaluate.Metrics} computes F1, EM and,
 * with an LLM {@link dev.deepresearcher.evaluate.Judge}, MBE per data source exactly as
 * DeepResearcher's evaluation script does: only the text after the last {@code
 * <|im_start|>assistant} counts, and a broken format scores 0.
 *
 * <pre>{@code
 * List<QaExample> data = Datasets.readAll(Path.of("dev.parquet"));
 * List<EvalItem> items = RolloutFiles.pair(RolloutFiles.read(Path.of("rollouts.json")), data);
 * MetricsReport report = Metrics.compute(items, null, 1);
 * System.out.print(report.toTable());
 * }</pre>
 *
 * <p>{@code scripts/calculate-metrics} is the command-line front end.
 */
package dev.deepresearcher.evaluate;
