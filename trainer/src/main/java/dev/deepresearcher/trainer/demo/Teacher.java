package dev.deepresearcher.trainer.demo;

import dev.deepresearcher.policy.FinishReason;
import dev.deepresearcher.policy.Generation;
import dev.deepresearcher.policy.Sampling;
import dev.deepresearcher.policy.Tokenizer;
import dev.deepresearcher.rollout.TurnGenerator;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The offline demo's imperfect demonstrator: a scripted policy behind {@link TurnGenerator} that
 * reads the real tool responses and answers the world's questions, careful at each decision with
 * probability {@code careful} and sloppy otherwise (answering from memory instead of searching,
 * stopping a two-hop question at the first hop, guessing instead of reading the page). Supervised
 * fine-tuning on its trajectories teaches a tiny model the format and a mixture of both habits;
 * GRPO then has to find out which habit earns the reward.
 */
public final class Teacher implements TurnGenerator {
  private static final Pattern QUESTION =
      Pattern.compile(
          "<\\|im_start\\|>user\\n(Where was (.+) born\\?|In which country was (.+) born\\?"
              + "|Which instrument does (.+) play\\?)<\\|im_end\\|>");
  private static final Pattern HIT = Pattern.compile("\\d+\\. (.+)\\nurl: (\\S+)\\n(.*)");
  private static final Pattern BORN = Pattern.compile("was born in (\\w+)");
  private static final Pattern CITY_IN = Pattern.compile("is a city in (\\w+)");
  private static final Pattern INSTRUMENT = Pattern.compile("instrument is the (\\w+)");

  private final Tokenizer tokenizer;
  private final int endOfTurn;
  private final int context;
  private final double careful;
  private final SyntheticWorld world;

  /**
   * @param endOfTurn the token that ends a turn ({@code <|im_end|>})
   * @param careful the probability of the careful choice at each decision
   */
  public Teacher(
      Tokenizer tokenizer, int endOfTurn, int context, double careful, SyntheticWorld world) {
    this.tokenizer = tokenizer;
    this.endOfTurn = endOfTurn;
    this.context = context;
    this.careful = careful;
    this.world = world;
  }

  @Override
  public List<Generation> generate(List<int[]> prompts, Sampling sampling, long[] seeds) {
    List<Generation> out = new ArrayList<>(prompts.size());
    for (int i = 0; i < prompts.size(); i++) {
      String text = next(tokenizer.decode(prompts.get(i), false), new Random(seeds[i]));
      int[] ids = tokenizer.encode(text);
      int[] tokens = Arrays.copyOf(ids, ids.length + 1);
      tokens[ids.length] = endOfTurn;
      if (tokens.length > sampling.maxNewTokens()) {
        tokens = Arrays.copyOf(tokens, sampling.maxNewTokens());
        out.add(
            new Generation(
                tokens,
                new float[tokens.length],
                FinishReason.LENGTH,
                null,
                tokenizer.decode(tokens, false)));
      } else {
        out.add(new Generation(tokens, new float[tokens.length], FinishReason.EOS, null, text));
      }
    }
    return out;
  }

  @Override
  public int contextLength() {
    return context;
  }

  /**
   * The next assistant turn for a conversation. Careful turns restate the fact they read before
   * using it ("It says born in Quothaler."): the model then finds it the way it finds the question
   * it copies into its first query, by the words before it, and copies it on into the answer or the
   * next query. Words are copied as they stand where they are read, with the space before them, so
   * both places hold the same tokens; answers are written with a leading space for the same reason
   * (the reward strips it).
   */
  String next(String conversation, Random random) {
    Matcher q = QUESTION.matcher(conversation);
    if (!q.find()) {
      return answer("I cannot read the question.", "unknown");
    }
    String question = q.group(1);
    String name = q.group(2) != null ? q.group(2) : q.group(3) != null ? q.group(3) : q.group(4);
    SyntheticWorld.Kind kind =
        q.group(2) != null
            ? SyntheticWorld.Kind.BIRTHPLACE
            : q.group(3) != null ? SyntheticWorld.Kind.COUNTRY : SyntheticWorld.Kind.INSTRUMENT;
    List<String> responses = new ArrayList<>();
    int at = 0;
    while ((at = conversation.indexOf("<tool_response>\n", at)) >= 0) {
      int end = conversation.indexOf("\n</tool_response>", at);
      responses.add(conversation.substring(at + "<tool_response>\n".length(), end));
      at = end;
    }
    boolean good = random.nextDouble() < careful;
    if (responses.isEmpty()) {
      return good ? search(SEARCH, question) : answer(MEMORY, guess(kind, random));
    }
    String last = responses.get(responses.size() - 1);
    List<String[]> hits = hits(last);
    switch (kind) {
      case BIRTHPLACE -> {
        String city = fact(hits, name, BORN);
        return city != null
            ? answer("It says born in " + city + ".", city)
            : answer(MEMORY, guess(kind, random));
      }
      case COUNTRY -> {
        if (responses.size() == 1) {
          String city = fact(hits, name, BORN);
          if (city == null) {
            return answer(MEMORY, guess(kind, random));
          }
          String thought = "It says born in " + city + ".";
          return good ? search(thought, "Where is " + city + "?") : answer(thought, city);
        }
        String city = fact(hits(responses.get(0)), name, BORN);
        String country = city == null ? null : fact(hits, city, CITY_IN);
        return country != null
            ? answer("It says a city in " + country + ".", country)
            : answer(MEMORY, guess(kind, random));
      }
      case INSTRUMENT -> {
        if (responses.size() == 1) {
          String url = null;
          for (String[] h : hits) {
            if (h[0].equals(name)) {
              url = h[1];
            }
          }
          return good && url != null
              ? browse("I will read the page.", url)
              : answer("I will guess.", guess(kind, random));
        }
        Matcher m = INSTRUMENT.matcher(last);
        return m.find()
            ? answer("It says instrument is the " + m.group(1) + ".", m.group(1))
            : answer("I will guess.", guess(kind, random));
      }
    }
    throw new IllegalStateException();
  }

  private static final String MEMORY = "I will answer from memory.";
  private static final String SEARCH = "I will search for it.";

  /**
   * Text in the shape of the teacher's turns and of the tools' responses, for training the tiny
   * policy's tokenizer: the phrases it will read and write become single tokens.
   */
  public static List<String> phrases(SyntheticWorld world) {
    List<String> out = new ArrayList<>();
    for (SyntheticWorld.Person p : world.people()) {
      String url = SyntheticWorld.url(p.name());
      for (SyntheticWorld.Question q : world.questions(p)) {
        out.add(search(SEARCH, q.text()));
      }
      out.add(search("It says born in " + p.city() + ".", "Where is " + p.city() + "?"));
      out.add(browse("I will read the page.", url));
      out.add(answer("It says born in " + p.city() + ".", p.city()));
      out.add(answer("It says instrument is the " + p.instrument() + ".", p.instrument()));
      out.add(answer(MEMORY, p.city()));
      out.add(answer("I will guess.", p.instrument()));
      out.add("web_search: " + p.name() + "\n1. " + p.name() + "\nurl: " + url + "\n");
      out.add("browse_webpage: " + url + "\n(page 1) " + p.name() + " was born in " + p.city());
    }
    out.add("error: not browsed: this URL is not among the results of your last web_search");
    out.add("nothing new and relevant on this page");
    return out;
  }

  private static String browse(String thought, String url) {
    return "<think>"
        + thought
        + "</think>\n<tool_call>\n{\"name\": \"browse_webpage\", \"arguments\": {\"url_list\":"
        + " [\""
        + url
        + "\"]}}\n</tool_call>";
  }

  private static String search(String thought, String query) {
    return "<think>"
        + thought
        + "</think>\n<tool_call>\n{\"name\": \"web_search\", \"arguments\": {\"query\": [\""
        + query
        + "\"]}}\n</tool_call>";
  }

  private static String answer(String thought, String answer) {
    return "<think>" + thought + "</think>\n<answer> " + answer + "</answer>";
  }

  /** The hits of a web_search response: title, url, snippet. */
  static List<String[]> hits(String response) {
    List<String[]> out = new ArrayList<>();
    Matcher m = HIT.matcher(response);
    while (m.find()) {
      out.add(new String[] {m.group(1), m.group(2), m.group(3)});
    }
    return out;
  }

  private static String fact(List<String[]> hits, String title, Pattern fact) {
    for (String[] h : hits) {
      if (h[0].equals(title)) {
        Matcher m = fact.matcher(h[2]);
        if (m.find()) {
          return m.group(1);
        }
      }
    }
    return null;
  }

  private String guess(SyntheticWorld.Kind kind, Random r) {
    return switch (kind) {
      case BIRTHPLACE -> world.cities().get(r.nextInt(world.cities().size())).name();
      case COUNTRY -> world.countries().get(r.nextInt(world.countries().size())).name();
      case INSTRUMENT ->
          SyntheticWorld.INSTRUMENTS.get(r.nextInt(SyntheticWorld.INSTRUMENTS.size()));
    };
  }
}
