package dev.deepresearcher.policy.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deepresearcher.policy.PolicyException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A model folder's weights: {@code model.safetensors}, or shards listed by {@code
 * model.safetensors.index.json}'s {@code weight_map}.
 */
public final class Checkpoint implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Map<String, Safetensors> byTensor = new LinkedHashMap<>();
  private final List<Safetensors> files;

  private Checkpoint(List<Safetensors> files) {
    this.files = files;
    for (Safetensors f : files) {
      for (String name : f.entries().keySet()) {
        byTensor.putIfAbsent(name, f);
      }
    }
  }

  /** Opens every weight file of {@code dir}. */
  public static Checkpoint open(Path dir) {
    Path index = dir.resolve("model.safetensors.index.json");
    Path single = dir.resolve("model.safetensors");
    if (Files.exists(index)) {
      JsonNode weightMap;
      try {
        weightMap = JSON.readTree(Files.readAllBytes(index)).get("weight_map");
      } catch (IOException e) {
        throw new PolicyException("cannot read " + index + ": " + e.getMessage(), e);
      }
      if (weightMap == null || !weightMap.isObject()) {
        throw new PolicyException(index + " has no weight_map");
      }
      Set<String> shardNames = new LinkedHashSet<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = weightMap.fields(); it.hasNext(); ) {
        shardNames.add(it.next().getValue().asText());
      }
      List<Safetensors> shards = new ArrayList<>();
      try {
        for (String shard : shardNames) {
          Path p = dir.resolve(shard);
          if (!Files.exists(p)) {
            throw new PolicyException(
                index
                    + " lists "
                    + shard
                    + ", which is missing from "
                    + dir
                    + " (incomplete download?)");
          }
          shards.add(Safetensors.open(p));
        }
      } catch (RuntimeException e) {
        shards.forEach(Safetensors::close);
        throw e;
      }
      return new Checkpoint(shards);
    }
    if (Files.exists(single)) {
      return new Checkpoint(List.of(Safetensors.open(single)));
    }
    throw new PolicyException(
        dir + " has no weights: expected model.safetensors or model.safetensors.index.json");
  }

  public boolean has(String name) {
    return byTensor.containsKey(name);
  }

  public Safetensors.Entry entry(String name) {
    return file(name).entries().get(name);
  }

  /**
   * All float32 values of {@code name} (at most 2^29 elements: larger tensors are read in parts).
   */
  public ByteBuffer floats(String name, long from, long count) {
    return file(name).floats(name, from, count);
  }

  public Map<String, Safetensors.Entry> entries() {
    Map<String, Safetensors.Entry> all = new LinkedHashMap<>();
    byTensor.forEach((name, f) -> all.put(name, f.entries().get(name)));
    return all;
  }

  private Safetensors file(String name) {
    Safetensors f = byTensor.get(name);
    if (f == null) {
      throw new PolicyException("the checkpoint has no tensor " + name);
    }
    return f;
  }

  @Override
  public void close() {
    files.forEach(Safetensors::close);
  }
}
