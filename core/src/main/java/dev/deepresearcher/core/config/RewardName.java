package dev.deepresearcher.core.config;

import java.util.Arrays;

/** The reward functions a run can score answers with; see the {@code reward} module. */
public enum RewardName implements ConfigEnum {
  /** DeepResearcher's training reward, word-set F1; −1 for a broken format. */
  DEEPRESEARCHER_F1,
  /** DeepResearcher's training reward in exact-match mode; −1 for a broken format. */
  DEEPRESEARCHER_EM,
  /** SQuAD's F1: articles removed, multiset word overlap. */
  SQUAD_F1,
  /** SQuAD's exact match. */
  SQUAD_EM;

  /** The constant named {@code name} in its config spelling, e.g. {@code squad-f1}. */
  public static RewardName fromConfigName(String name) {
    for (RewardName r : values()) {
      if (r.configName().equals(name)) {
        return r;
      }
    }
    throw new IllegalArgumentException(
        "unknown reward '" + name + "'; choose one of " + Arrays.toString(configNames()));
  }

  /** Every reward's config spelling, in declaration order. */
  public static String[] configNames() {
    RewardName[] all = values();
    String[] names = new String[all.length];
    for (int i = 0; i < all.length; i++) {
      names[i] = all[i].configName();
    }
    return names;
  }
}
