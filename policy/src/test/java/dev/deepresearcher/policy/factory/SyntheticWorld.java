package dev.deepresearcher.policy.factory;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * A small fictional world for tests, as the offline demo will have one: made-up people, cities and
 * countries described in English sentences, questions about them and answers.
 */
final class SyntheticWorld {
  private static final String[] ONSETS = {
    "b", "br", "d", "dr", "f", "g", "gr", "k", "kr", "l", "m", "n", "p", "qu", "r", "s", "st", "t",
    "th", "v", "z", "zh"
  };
  private static final String[] VOWELS = {"a", "e", "i", "o", "u", "ae", "ei", "ou"};
  private static final String[] CODAS = {"", "", "n", "r", "s", "th", "l", "x", "nd"};

  final List<String> people;
  final List<String> cities;
  final List<String> countries;
  private final Random random;

  SyntheticWorld(long seed, int people, int cities, int countries) {
    random = new Random(seed);
    Set<String> used = new LinkedHashSet<>();
    this.countries = names(countries, used, 3);
    this.cities = names(cities, used, 2);
    List<String> ps = new ArrayList<>();
    for (String first : names(people, used, 2)) {
      ps.add(first + " " + name(used, 3));
    }
    this.people = List.copyOf(ps);
  }

  private List<String> names(int n, Set<String> used, int syllables) {
    List<String> out = new ArrayList<>();
    while (out.size() < n) {
      out.add(name(used, syllables));
    }
    return List.copyOf(out);
  }

  private String name(Set<String> used, int syllables) {
    while (true) {
      StringBuilder b = new StringBuilder();
      for (int i = 0; i < syllables; i++) {
        b.append(pick(ONSETS)).append(pick(VOWELS)).append(pick(CODAS));
      }
      String s = Character.toUpperCase(b.charAt(0)) + b.substring(1);
      if (used.add(s)) {
        return s;
      }
    }
  }

  private String pick(String[] options) {
    return options[random.nextInt(options.length)];
  }

  String city(int i) {
    return cities.get(i % cities.size());
  }

  String country(int i) {
    return countries.get(i % countries.size());
  }

  /** One document per person and per city. */
  List<String> documents() {
    List<String> docs = new ArrayList<>();
    for (int i = 0; i < cities.size(); i++) {
      docs.add(
          city(i)
              + " is a city in "
              + country(i)
              + ". It lies on the river "
              + city(i + 7)
              + " and has "
              + (1000 + 37 * i)
              + " inhabitants.");
    }
    for (int i = 0; i < people.size(); i++) {
      docs.add(
          people.get(i)
              + " was born in "
              + city(3 * i)
              + " in "
              + (1800 + i % 200)
              + ". "
              + people.get(i)
              + " works as a painter in "
              + city(3 * i + 1)
              + ", "
              + country(3 * i + 1)
              + ".");
    }
    return docs;
  }

  /** Question and answer pairs about the documents. */
  List<String[]> questions() {
    List<String[]> qs = new ArrayList<>();
    for (int i = 0; i < people.size(); i++) {
      qs.add(new String[] {"Where was " + people.get(i) + " born?", city(3 * i)});
    }
    for (int i = 0; i < cities.size(); i++) {
      qs.add(new String[] {"In which country is " + city(i) + "?", country(i)});
    }
    return qs;
  }
}
