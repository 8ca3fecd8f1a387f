package dev.deepresearcher.core.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;

/** Writes small parquet files of chosen (and broken) layouts for the dataset tests. */
final class ParquetFixtures {
  private ParquetFixtures() {}

  /** One row of string columns, in the map's iteration order (use an ordered map). */
  static void writeStrings(Path file, Map<String, String> row) throws IOException {
    StringBuilder schema = new StringBuilder("message m {");
    for (String column : List.of("question", "answer")) {
      schema.append(" required binary ").append(column).append(" (STRING);");
    }
    schema.append(" }");
    MessageType type = MessageTypeParser.parseMessageType(schema.toString());
    try (ParquetWriter<Group> writer = writer(file, type)) {
      Group g = new SimpleGroupFactory(type).newGroup();
      g.append("question", row.get("question")).append("answer", row.get("answer"));
      writer.write(g);
    }
  }

  /** The layout with prompt wrongly flattened to a string. */
  static void writeFlatLayout(Path file, String source, String question, String truth)
      throws IOException {
    MessageType type =
        MessageTypeParser.parseMessageType(
            "message m { optional binary data_source (STRING); optional binary prompt (STRING);"
                + " optional group reward_model { optional binary ground_truth (STRING); } }");
    try (ParquetWriter<Group> writer = writer(file, type)) {
      Group g = new SimpleGroupFactory(type).newGroup();
      g.append("data_source", source).append("prompt", question);
      g.addGroup("reward_model").append("ground_truth", truth);
      writer.write(g);
    }
  }

  /** verl's layout, one row per source, with the given ground truths. */
  static void writeLayout(Path file, List<String> sources, List<String> truths) throws IOException {
    MessageType type =
        MessageTypeParser.parseMessageType(
            """
            message schema {
              optional binary data_source (STRING);
              optional group prompt (LIST) {
                repeated group list {
                  optional group element {
                    optional binary content (STRING);
                    optional binary role (STRING);
                  }
                }
              }
              optional group reward_model {
                optional binary ground_truth (STRING);
                optional binary style (STRING);
              }
            }
            """);
    try (ParquetWriter<Group> writer = writer(file, type)) {
      for (int i = 0; i < sources.size(); i++) {
        Group g = new SimpleGroupFactory(type).newGroup();
        g.append("data_source", sources.get(i));
        g.addGroup("prompt")
            .addGroup("list")
            .addGroup("element")
            .append("content", "question " + i)
            .append("role", "user");
        g.addGroup("reward_model").append("ground_truth", truths.get(i)).append("style", "rule");
        writer.write(g);
      }
    }
  }

  private static ParquetWriter<Group> writer(Path file, MessageType type) throws IOException {
    return ExampleParquetWriter.builder(new LocalOutputFile(file))
        .withType(type)
        .withConf(new PlainParquetConfiguration())
        .withCompressionCodec(CompressionCodecName.UNCOMPRESSED)
        .build();
  }
}
