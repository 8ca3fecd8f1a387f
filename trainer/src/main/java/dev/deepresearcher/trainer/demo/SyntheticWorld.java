package dev.deepresearcher.trainer.demo;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Random;
import java.util.Set;

/**
 * A deterministic fictional world for the offline demo: people, the cities they were born in, the
 * countries of those cities and the instruments they play, described in an encyclopedia-like
 * corpus. Every name is made up from syllables, so no model can know a fact without looking it up.
 *
 * <p>Three kinds of questions, by what answering them takes:
 *
 * <ul>
 *   <li>{@link Kind#BIRTHPLACE} — one search: a person's page starts with where they were born;
 *   <li>{@link Kind#COUNTRY} — two searches: the person's city, then the city's country;
 *   <li>{@link Kind#INSTRUMENT} — a search and a browse: the instrument is stated deep in the
 *       person's page, beyond what a search snippet shows.
 * </ul>
 *
 * <p>First and last names are shared between people, so a search for one person also returns
 * others: reading the right result matters.
 *
 * <pre>{@code
 * SyntheticWorld world = SyntheticWorld.generate(42, 400);
 * List<SyntheticWorld.Document> corpus = world.corpus();
 * List<SyntheticWorld.Question> questions = world.questions();
 * }</pre>
 */
public record SyntheticWorld(List<Country> countries, List<City> cities, List<Person> people) {
  /** The site the corpus' pages live on (served from the local index; nothing is fetched). */
  public static final String SITE = "https://wiki.example/";

  public SyntheticWorld {
    countries = List.copyOf(countries);
    cities = List.copyOf(cities);
    people = List.copyOf(people);
  }

  public record Country(String name) {}

  public record City(String name, String country) {}

  /**
   * @param name first and last name
   * @param occupation what they do
   * @param city where they were born
   * @param instrument what they play
   * @param he {@code true} for "he", else "she"
   */
  public record Person(
      String name, String occupation, String city, String instrument, boolean he) {}

  /** A corpus page: JSON lines {@code {id, title, text, url}} for the local index. */
  public record Document(String id, String title, String text, String url) {}

  /** What a question asks. */
  public enum Kind {
    BIRTHPLACE,
    COUNTRY,
    INSTRUMENT
  }

  /**
   * @param id a stable id
   * @param kind what it asks
   * @param person about whom
   * @param text the question
   * @param answer the answer
   */
  public record Question(String id, Kind kind, Person person, String text, String answer) {}

  static final List<String> OCCUPATIONS =
      List.of(
          "painter",
          "sculptor",
          "poet",
          "weaver",
          "cartographer",
          "glassblower",
          "potter",
          "engraver",
          "novelist",
          "architect",
          "botanist",
          "clockmaker");
  static final List<String> INSTRUMENTS =
      List.of(
          "lute",
          "harp",
          "cello",
          "oboe",
          "flute",
          "zither",
          "viola",
          "bassoon",
          "dulcimer",
          "trumpet",
          "clarinet",
          "mandolin");
  private static final String[] ONSETS = {
    "b", "br", "d", "dr", "f", "g", "gr", "k", "kr", "l", "m", "n", "p", "qu", "r", "s", "st", "t",
    "th", "tr", "v", "vr", "z", "zh"
  };
  private static final String[] VOWELS = {"a", "e", "i", "o", "u", "ae", "ei", "ou", "y"};
  private static final String[] CODAS = {"", "", "", "n", "r", "l", "s", "th", "rn", "sk", "x"};
  private static final String[] FILLER_PERSON = {
    "%s studied at a small school near the northern coast.",
    "Many of %s early works are kept in private collections.",
    "%s spent several winters travelling between the mountain villages.",
    "Critics have written at length about the patience of %s craft.",
    "%s later opened a modest workshop above a bakery.",
    "A collection of %s letters was published after a long delay.",
    "%s often worked through the night during the rainy season.",
    "Several apprentices learned the trade in %s studio."
  };
  private static final String[] FILLER_CITY = {
    "The old quarter is known for its narrow streets and covered markets.",
    "A ferry crosses the river twice a day in the warm months.",
    "The town hall keeps a large archive of maps and ledgers.",
    "Its harbour was rebuilt after a storm a century ago."
  };

  /** Generates a world of {@code people} people (and about people / 10 cities). */
  public static SyntheticWorld generate(long seed, int people) {
    if (people < 10) {
      throw new IllegalArgumentException(
          "a world of " + people + " people is too small; ask for at least 10");
    }
    Random random = new Random(seed);
    Set<String> used = new LinkedHashSet<>();
    List<Country> countries = new ArrayList<>();
    int nCountries = Math.max(4, people / 40);
    for (int i = 0; i < nCountries; i++) {
      countries.add(new Country(word(random, used, 2, 3)));
    }
    List<City> cities = new ArrayList<>();
    int nCities = Math.max(8, people / 10);
    for (int i = 0; i < nCities; i++) {
      cities.add(
          new City(word(random, used, 2, 3), countries.get(random.nextInt(nCountries)).name()));
    }
    // Shared first and last names: about sqrt(2 * people) of each.
    int pool = (int) Math.ceil(Math.sqrt(2.0 * people));
    List<String> first = new ArrayList<>();
    List<String> last = new ArrayList<>();
    for (int i = 0; i < pool; i++) {
      first.add(word(random, used, 2, 2));
      last.add(word(random, used, 2, 3));
    }
    List<Person> persons = new ArrayList<>();
    Set<String> names = new LinkedHashSet<>();
    while (persons.size() < people) {
      String name =
          first.get(random.nextInt(first.size())) + " " + last.get(random.nextInt(last.size()));
      if (names.add(name)) {
        persons.add(
            new Person(
                name,
                OCCUPATIONS.get(random.nextInt(OCCUPATIONS.size())),
                cities.get(random.nextInt(nCities)).name(),
                INSTRUMENTS.get(random.nextInt(INSTRUMENTS.size())),
                random.nextBoolean()));
      }
    }
    return new SyntheticWorld(countries, cities, persons);
  }

  private static String word(Random random, Set<String> used, int minSyllables, int maxSyllables) {
    while (true) {
      int n = minSyllables + random.nextInt(maxSyllables - minSyllables + 1);
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < n; i++) {
        sb.append(ONSETS[random.nextInt(ONSETS.length)])
            .append(VOWELS[random.nextInt(VOWELS.length)]);
        if (i == n - 1) {
          sb.append(CODAS[random.nextInt(CODAS.length)]);
        }
      }
      String w = Character.toUpperCase(sb.charAt(0)) + sb.substring(1);
      if (w.length() >= 4 && w.length() <= 11 && used.add(w.toLowerCase(Locale.ROOT))) {
        return w;
      }
    }
  }

  /** The country of {@code city}. */
  public String countryOf(String city) {
    for (City c : cities) {
      if (c.name().equals(city)) {
        return c.country();
      }
    }
    throw new IllegalArgumentException("no city " + city);
  }

  /** A page's URL from its title. */
  public static String url(String title) {
    return SITE + title.replace(' ', '_');
  }

  /** The corpus: a page per person, city and country. */
  public List<Document> corpus() {
    List<Document> docs = new ArrayList<>();
    int i = 0;
    for (Person p : people) {
      Random r = new Random(Objects.hash(p.name()));
      String possessive = p.he() ? "his" : "her";
      String pronoun = p.he() ? "He" : "She";
      List<String> fillers = new ArrayList<>(List.of(FILLER_PERSON));
      java.util.Collections.shuffle(fillers, r);
      StringBuilder text = new StringBuilder();
      text.append(p.name()).append(" was born in ").append(p.city()).append(". ");
      text.append(pronoun).append(" is a ").append(p.occupation()).append(".\n\n");
      // Enough words between the first paragraph and the instrument that no search snippet (about
      // 300 characters from the best sentence) reaches it.
      for (int k = 0; k < 6; k++) {
        String f = fillers.get(k);
        String who = f.startsWith("%s") ? pronoun : possessive;
        text.append(String.format(Locale.ROOT, f, who));
        text.append(k % 2 == 1 ? "\n\n" : " ");
      }
      text.append(Character.toUpperCase(possessive.charAt(0)))
          .append(possessive.substring(1))
          .append(" instrument is the ")
          .append(p.instrument())
          .append('.');
      docs.add(new Document("p" + i++, p.name(), text.toString().strip(), url(p.name())));
    }
    i = 0;
    for (City c : cities) {
      Random r = new Random(Objects.hash(c.name()));
      String text =
          c.name()
              + " is a city in "
              + c.country()
              + ". "
              + FILLER_CITY[r.nextInt(FILLER_CITY.length)]
              + "\n\n"
              + FILLER_CITY[r.nextInt(FILLER_CITY.length)];
      docs.add(new Document("c" + i++, c.name(), text, url(c.name())));
    }
    i = 0;
    for (Country c : countries) {
      docs.add(
          new Document(
              "k" + i++,
              c.name(),
              c.name() + " is a small country with many rivers and few roads.",
              url(c.name())));
    }
    return docs;
  }

  /** Every question about {@code p}. */
  public List<Question> questions(Person p) {
    String id = p.name().toLowerCase(Locale.ROOT).replace(' ', '-');
    return List.of(
        new Question(
            id + "/birthplace", Kind.BIRTHPLACE, p, "Where was " + p.name() + " born?", p.city()),
        new Question(
            id + "/country",
            Kind.COUNTRY,
            p,
            "In which country was " + p.name() + " born?",
            countryOf(p.city())),
        new Question(
            id + "/instrument",
            Kind.INSTRUMENT,
            p,
            "Which instrument does " + p.name() + " play?",
            p.instrument()));
  }
}
