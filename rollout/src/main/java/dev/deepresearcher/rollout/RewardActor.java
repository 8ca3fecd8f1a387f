package dev.deepresearcher.rollout;

import dev.deepresearcher.core.config.RewardName;
import dev.deepresearcher.reward.RewardFunction;
import dev.deepresearcher.reward.Rewards;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The reward actor: scores finished trajectories with the configured reward (DeepResearcher's by
 * default) and, for the logs, with DeepResearcher's evaluation F1 and EM.
 *
 * <pre>{@code
 * ActorRef<RewardActor> rewards = runtime.create(new ActorSpec<>(RewardActor.class,
 *     new RewardActor.Init(RewardName.DEEPRESEARCHER_F1), ActorOptions.named("reward")));
 * List<RewardActor.Score> scores = rewards.call(RewardActor::score, RewardActor.items(trajs)).join();
 * }</pre>
 */
public final class RewardActor {
  /**
   * @param reward the training reward
   */
  public record Init(RewardName reward) {
    public Init {
      Objects.requireNonNull(reward, "reward");
    }
  }

  /**
   * One trajectory to score.
   *
   * @param response what the policy produced after the prompt (the reward's input)
   * @param conversation the whole conversation (the evaluation metrics' input)
   * @param groundTruths the acceptable answers
   */
  public record Item(String response, String conversation, List<String> groundTruths) {
    public Item {
      Objects.requireNonNull(response, "response");
      Objects.requireNonNull(conversation, "conversation");
      groundTruths = List.copyOf(groundTruths);
    }
  }

  /**
   * @param reward the training reward
   * @param f1 DeepResearcher's evaluation F1 (0 for a broken format)
   * @param em its exact match
   */
  public record Score(double reward, double f1, double em) {}

  private final RewardFunction reward;
  private final RewardFunction f1 = Rewards.deepResearcherEvaluation(Rewards.Metric.F1);
  private final RewardFunction em = Rewards.deepResearcherEvaluation(Rewards.Metric.EM);

  public RewardActor(Init init) {
    this.reward = Rewards.create(init.reward());
  }

  /** Scores every item, in order. */
  public List<Score> score(List<Item> items) {
    List<Score> out = new ArrayList<>(items.size());
    for (Item i : items) {
      out.add(
          new Score(
              reward.score(i.response(), i.groundTruths()),
              f1.score(i.conversation(), i.groundTruths()),
              em.score(i.conversation(), i.groundTruths())));
    }
    return out;
  }

  /** The items of {@code trajectories}, with their prompts' ground truths. */
  public static List<Item> items(List<Trajectory> trajectories) {
    List<Item> items = new ArrayList<>(trajectories.size());
    for (Trajectory t : trajectories) {
      items.add(new Item(t.response(), t.text(), t.prompt().groundTruths()));
    }
    return items;
  }
}
