package dev.deepresearcher.rollout;

import java.util.List;

/**
 * What a rollout produced.
 *
 * @param trajectories for each question in request order, its {@code n} trajectories in sample
 *     order
 * @param stats where the time went
 */
public record RolloutResult(List<Trajectory> trajectories, RolloutStats stats) {
  public RolloutResult {
    trajectories = List.copyOf(trajectories);
  }
}
