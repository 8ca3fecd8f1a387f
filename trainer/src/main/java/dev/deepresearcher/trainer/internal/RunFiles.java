package dev.deepresearcher.trainer.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deepresearcher.core.io.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** A run folder's files: metrics.jsonl and the checkpoint-N folders. */
public final class RunFiles {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern CHECKPOINT = Pattern.compile("checkpoint-(\\d+)");
  public static final String STATE = "grpo_state.json";

  private RunFiles() {}

  /** Appends one line to {@code metrics.jsonl}. */
  public static void appendMetrics(Path runDir, ObjectNode line) throws IOException {
    Files.writeString(
        runDir.resolve("metrics.jsonl"),
        JSON.writeValueAsString(line) + "\n",
        StandardCharsets.UTF_8,
        StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
  }

  /** The lines of {@code metrics.jsonl}, or none. */
  public static List<JsonNode> metrics(Path runDir) throws IOException {
    Path file = runDir.resolve("metrics.jsonl");
    List<JsonNode> out = new ArrayList<>();
    if (!Files.exists(file)) {
      return out;
    }
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      if (!line.isBlank()) {
        try {
          out.add(JSON.readTree(line));
        } catch (IOException e) {
          // a line cut by a crash: the rest is rewritten on resume
        }
      }
    }
    return out;
  }

  /** Keeps the metrics of steps up to {@code step} (a resume repeats what came after). */
  public static void truncateMetrics(Path runDir, long step) throws IOException {
    Path file = runDir.resolve("metrics.jsonl");
    if (!Files.exists(file)) {
      return;
    }
    StringBuilder kept = new StringBuilder();
    for (JsonNode line : metrics(runDir)) {
      if (line.path("step").asLong() <= step) {
        kept.append(JSON.writeValueAsString(line)).append('\n');
      }
    }
    AtomicFiles.writeString(file, kept.toString());
  }

  /** The newest whole checkpoint folder, or {@code null}. */
  public static Path newestCheckpoint(Path runDir) throws IOException {
    if (!Files.isDirectory(runDir)) {
      return null;
    }
    Path best = null;
    long bestStep = -1;
    try (Stream<Path> s = Files.list(runDir)) {
      for (Path p : s.toList()) {
        Matcher m = CHECKPOINT.matcher(p.getFileName().toString());
        if (m.matches() && Files.isDirectory(p)) {
          AtomicFiles.recoverFolder(p);
          if (Files.exists(p.resolve(STATE)) && Long.parseLong(m.group(1)) > bestStep) {
            bestStep = Long.parseLong(m.group(1));
            best = p;
          }
        }
      }
    }
    return best;
  }
}
