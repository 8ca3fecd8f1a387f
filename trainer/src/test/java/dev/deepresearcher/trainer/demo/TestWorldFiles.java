package dev.deepresearcher.trainer.demo;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** Writes a world's corpus and its questions (train: all but two people; dev: those two). */
public final class TestWorldFiles {
  private TestWorldFiles() {}

  public static void write(Path dir, SyntheticWorld world) throws IOException {
    WorldFiles.corpus(dir.resolve("corpus.jsonl"), world.corpus());
    List<SyntheticWorld.Person> people = world.people();
    WorldFiles.questions(
        dir.resolve("train.jsonl"), OfflineDemo.questions(world, people.subList(2, people.size())));
    WorldFiles.questions(
        dir.resolve("dev.jsonl"), OfflineDemo.questions(world, people.subList(0, 2)));
  }
}
