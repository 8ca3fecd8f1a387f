package dev.deepresearcher.trainer.demo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.deepresearcher.policy.TrainingSequence;
import dev.deepresearcher.rollout.Prompt;
import dev.deepresearcher.rollout.Trajectory;
import dev.deepresearcher.rollout.TrajectoryEnd;
import java.util.List;
import org.junit.jupiter.api.Test;

class DemonstrationsTest {
  // prompt (2 tokens), turn 1 (2), tool response (2), turn 2 (2), a trailing tool response (1)
  private static final int[] IDS = {1, 2, 10, 11, 20, 21, 12, 13, 22};
  private static final boolean[] MASK = {false, false, true, true, false, false, true, true, false};

  private static Trajectory trajectory(int[] ids, boolean[] mask) {
    return new Trajectory(
        "q/0",
        "q",
        0,
        new Prompt("q", "Where was X born?", "world-birthplace", List.of("Y")),
        ids,
        mask,
        new float[ids.length],
        2,
        "",
        0,
        List.of(),
        null,
        TrajectoryEnd.MAX_TURNS,
        0);
  }

  @Test
  void firstTurnEndsAtTheFirstTurnsLastToken() {
    TrainingSequence first = Demonstrations.firstTurn(trajectory(IDS, MASK));

    assertArrayEquals(new int[] {1, 2, 10, 11}, first.ids());
    assertArrayEquals(new boolean[] {false, false, true, true}, first.lossMask());
  }

  @Test
  void wholeKeepsEveryTurnAndDropsTheTrailingToolResponse() {
    TrainingSequence whole = Demonstrations.whole(trajectory(IDS, MASK));

    assertArrayEquals(new int[] {1, 2, 10, 11, 20, 21, 12, 13}, whole.ids());
    assertArrayEquals(
        new boolean[] {false, false, true, true, false, false, true, true}, whole.lossMask());
  }

  @Test
  void aTrajectoryWithoutSampledTokensGivesNoSequence() {
    Trajectory empty = trajectory(new int[] {1, 2}, new boolean[] {false, false});

    assertNull(Demonstrations.firstTurn(empty));
    assertNull(Demonstrations.whole(empty));
  }
}
