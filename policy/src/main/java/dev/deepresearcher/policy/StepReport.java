package dev.deepresearcher.policy;

import java.util.Map;

/**
 * What one optimizer step did.
 *
 * @param step the update's number (1 for the first)
 * @param loss the micro-batches' losses, each weighted by its share of the batch's target tokens
 * @param gradNorm the global L2 norm of the gradients before clipping
 * @param lr the learning rate applied
 * @param skipped true when the gradient norm was NaN or infinite and the update was not applied
 * @param sequences sequences in the batch
 * @param tokens loss-mask tokens in the batch
 * @param metrics what the loss function reported, weighted as the loss
 */
public record StepReport(
    long step,
    double loss,
    double gradNorm,
    double lr,
    boolean skipped,
    int sequences,
    long tokens,
    Map<String, Double> metrics) {
  public StepReport {
    metrics = Map.copyOf(metrics);
  }
}
