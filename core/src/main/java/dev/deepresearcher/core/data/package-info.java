/**
 * Question-answering datasets in DeepResearcher's layout (verl parquet, or the same as JSON lines).
 *
 * <p>Each row has {@code data_source}, {@code prompt} (a list of {@code {role, content}}), {@code
 * reward_model.ground_truth} (answers joined by {@code <|answer_split|>}) and {@code extra_info}.
 * Files are streamed; a row that breaks the layout is a {@link
 * dev.deepresearcher.core.data.DatasetException} naming the file and the row.
 *
 * <pre>{@code
 * try (DatasetReader reader = Datasets.open(Path.of("dev.parquet"))) {
 *   for (QaExample example : reader) {
 *     System.out.println(example.question() + " -> " + example.groundTruths());
 *   }
 * }
 * }</pre>
 */
package dev.deepresearcher.core.data;
