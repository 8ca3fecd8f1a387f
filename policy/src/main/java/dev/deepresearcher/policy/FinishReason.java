package dev.deepresearcher.policy;

import java.util.Locale;

/** Why a sequence stopped generating. */
public enum FinishReason {
  /** It produced one of the model's end-of-sequence tokens (kept as its last token). */
  EOS,
  /** Its text came to contain one of the stop strings (kept, with the tokens that made it). */
  STOP_STRING,
  /** It reached the maximum number of new tokens. */
  LENGTH;

  /** The lower-case name used in JSON output ({@code eos}, {@code stop_string}, {@code length}). */
  public String jsonName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
