package dev.deepresearcher.evaluate.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deepresearcher.core.data.QaExample;
import dev.deepresearcher.core.io.TextFiles;
import dev.deepresearcher.evaluate.EvaluateException;
import dev.deepresearcher.evaluate.RolloutFiles.Entry;
import dev.deepresearcher.evaluate.RolloutFiles.Format;
import dev.deepresearcher.evaluate.RolloutFiles.Loaded;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads both rollout layouts, streaming, with errors that say where. */
public final class RolloutReader {
  private static final ObjectMapper JSON = new ObjectMapper();

  private RolloutReader() {}

  public static Loaded read(Path file) throws IOException {
    int first = TextFiles.firstSignificantByte(file);
    if (first == '[') {
      return new Loaded(file, Format.DEEPRESEARCHER_JSON, readDeepResearcher(file));
    }
    if (first == '{') {
      return new Loaded(file, Format.JSONL, readJsonl(file));
    }
    throw new EvaluateException(
        file
            + ": unknown rollout format"
            + (first < 0 ? " (the file is empty)" : "")
            + "; expected DeepResearcher's JSON list of {idx, question, message_str}, or JSON"
            + " lines with 'response'");
  }

  private static List<Entry> readDeepResearcher(Path file) throws IOException {
    List<Entry> entries = new ArrayList<>();
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
        JsonParser parser = new JsonFactory(JSON).createParser(reader)) {
      try {
        parser.nextToken(); // [
        int index = 0;
        JsonToken token;
        while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
          if (token == null) {
            throw new EvaluateException(file + ": the JSON list is not closed (truncated file?)");
          }
          String where =
              file + " entry " + index + " (line " + parser.currentLocation().getLineNr() + ")";
          if (token != JsonToken.START_OBJECT) {
            throw new EvaluateException(
                where + ": expected an object {idx, question, message_str}");
          }
          JsonNode node = parser.readValueAsTree();
          JsonNode message = node.get("message_str");
          if (message == null || !message.isTextual()) {
            throw new EvaluateException(where + ": needs a string field 'message_str'");
          }
          entries.add(
              new Entry(
                  where,
                  node.has("idx") && node.get("idx").canConvertToLong()
                      ? node.get("idx").asLong()
                      : null,
                  null,
                  null,
                  text(node, "question"),
                  message.asText(),
                  null));
          index++;
        }
      } catch (JsonProcessingException e) {
        throw new EvaluateException(
            file
                + " line "
                + e.getLocation().getLineNr()
                + " column "
                + e.getLocation().getColumnNr()
                + ": not valid JSON ("
                + e.getOriginalMessage()
                + ")",
            e);
      }
    }
    return entries;
  }

  private static List<Entry> readJsonl(Path file) throws IOException {
    List<Entry> entries = new ArrayList<>();
    try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String line;
      long number = 0;
      while ((line = reader.readLine()) != null) {
        number++;
        if (line.isBlank()) {
          continue;
        }
        String where = file + ":" + number;
        JsonNode node;
        try {
          node = JSON.readTree(line);
        } catch (JsonProcessingException e) {
          throw new EvaluateException(
              where + ": not valid JSON (" + e.getOriginalMessage() + ")", e);
        }
        if (node == null || !node.isObject()) {
          throw new EvaluateException(where + ": each line must be a JSON object");
        }
        JsonNode response = node.get("response");
        if (response == null || !response.isTextual()) {
          throw new EvaluateException(where + ": needs a string field 'response'");
        }
        entries.add(
            new Entry(
                where,
                longOrNull(node.get("idx"), where, "idx"),
                node.has("id") && !node.get("id").isNull() ? node.get("id").asText() : null,
                text(node, "data_source"),
                text(node, "question"),
                response.asText(),
                groundTruths(node.get("ground_truth"), where)));
      }
    }
    return entries;
  }

  private static Long longOrNull(JsonNode node, String where, String field) {
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.canConvertToLong() || !node.isIntegralNumber()) {
      throw new EvaluateException(where + ": '" + field + "' must be an integer, got " + node);
    }
    return node.asLong();
  }

  private static List<String> groundTruths(JsonNode node, String where) {
    if (node == null || node.isNull()) {
      return null;
    }
    try {
      return QaExample.answersOf(node);
    } catch (IllegalArgumentException e) {
      throw new EvaluateException(where + ": " + e.getMessage(), e);
    }
  }

  private static String text(JsonNode node, String field) {
    JsonNode v = node.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }
}
