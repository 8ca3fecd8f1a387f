package dev.deepresearcher.search.internal.local;

import dev.deepresearcher.search.BackendException;
import dev.deepresearcher.search.BackendException.Kind;
import dev.deepresearcher.search.SearchBackend;
import dev.deepresearcher.search.SearchHit;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.MMapDirectory;

/**
 * BM25 search over a local Lucene index: the offline default. Each query's words, stemmed as the
 * index was, are OR-ed over one field holding title and text together (half the clauses of
 * searching both, and better recall@10 on hotpotqa-100; see docs/search-handler.md). Results point
 * at the handler's own {@code /doc/{id}} page unless the corpus gave a URL, so browsing works
 * offline through real HTTP.
 */
public final class LocalBackend implements SearchBackend {
  private static final int MAX_TERMS = 64;

  /** The snippet length when none is configured. */
  public static final int SNIPPET_CHARS = 300;

  private final MMapDirectory directory;
  private final DirectoryReader reader;
  private final IndexSearcher searcher;
  private final Analyzer analyzer = LuceneIndexes.analyzer();
  private final Supplier<String> docBaseUrl;
  private final int snippetChars;

  /**
   * @param docBaseUrl the handler's base URL, for {@code /doc/{id}} links (asked per query: the
   *     port may be known only after start)
   */
  public LocalBackend(Path index, Supplier<String> docBaseUrl) throws IOException {
    this(index, docBaseUrl, SNIPPET_CHARS);
  }

  /**
   * @param snippetChars about how many characters of a page a result's snippet shows
   */
  public LocalBackend(Path index, Supplier<String> docBaseUrl, int snippetChars)
      throws IOException {
    this.snippetChars = snippetChars;
    this.directory = new MMapDirectory(index);
    this.reader = DirectoryReader.open(directory);
    this.searcher = new IndexSearcher(reader);
    this.docBaseUrl = docBaseUrl;
  }

  @Override
  public String name() {
    return "local";
  }

  /** No plan to keep to: a run's first burst of searches (a thousand at once) is served at once. */
  @Override
  public boolean rateLimited() {
    return false;
  }

  /** Documents in the index. */
  public int size() {
    return reader.numDocs();
  }

  @Override
  public List<SearchHit> search(String query, int topK) {
    List<String> terms = terms(query);
    if (terms.isEmpty()) {
      return List.of(); // only stop words or punctuation: nothing to match
    }
    BooleanQuery.Builder builder = new BooleanQuery.Builder();
    for (String term : terms) {
      builder.add(new TermQuery(new Term(LuceneIndexes.ALL, term)), BooleanClause.Occur.SHOULD);
    }
    try {
      TopDocs top = searcher.search(builder.build(), topK);
      StoredFields stored = searcher.storedFields();
      List<SearchHit> hits = new ArrayList<>(top.scoreDocs.length);
      for (ScoreDoc sd : top.scoreDocs) {
        Document doc = stored.document(sd.doc);
        hits.add(
            new SearchHit(
                doc.get(LuceneIndexes.TITLE),
                url(doc),
                snippet(doc.get(LuceneIndexes.TEXT), query, snippetChars)));
      }
      return hits;
    } catch (IOException | RuntimeException e) {
      throw new BackendException(Kind.INTERNAL, "the local index failed: " + e, null, e);
    }
  }

  /** The document with {@code id}, for {@code /doc/{id}}. */
  public Optional<CorpusDocument> document(String id) {
    return first(new Term(LuceneIndexes.ID, id));
  }

  /**
   * The document whose corpus entry gave exactly this {@code url}: browsing it reads the page from
   * the index instead of the web, so a corpus with URLs is a whole offline web.
   */
  public Optional<CorpusDocument> documentByUrl(String url) {
    return first(new Term(LuceneIndexes.URL, url.strip()));
  }

  private Optional<CorpusDocument> first(Term term) {
    try {
      TopDocs top = searcher.search(new TermQuery(term), 1);
      if (top.scoreDocs.length == 0) {
        return Optional.empty();
      }
      Document doc = searcher.storedFields().document(top.scoreDocs[0].doc);
      return Optional.of(
          new CorpusDocument(
              doc.get(LuceneIndexes.ID),
              doc.get(LuceneIndexes.TITLE),
              doc.get(LuceneIndexes.TEXT),
              doc.get(LuceneIndexes.URL)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private String url(Document doc) {
    String url = doc.get(LuceneIndexes.URL);
    if (url != null) {
      return url;
    }
    return docBaseUrl.get()
        + "/doc/"
        + URLEncoder.encode(doc.get(LuceneIndexes.ID), StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** The query's analysed terms, distinct, in order, at most {@value #MAX_TERMS}. */
  List<String> terms(String query) {
    Set<String> terms = new LinkedHashSet<>();
    try (TokenStream ts = analyzer.tokenStream(LuceneIndexes.ALL, query)) {
      CharTermAttribute attr = ts.addAttribute(CharTermAttribute.class);
      ts.reset();
      while (ts.incrementToken() && terms.size() < MAX_TERMS) {
        terms.add(attr.toString());
      }
      ts.end();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new ArrayList<>(terms);
  }

  /** The sentence richest in query words, then what follows, up to about {@code chars}. */
  static String snippet(String text, String query) {
    return snippet(text, query, SNIPPET_CHARS);
  }

  static String snippet(String text, String query, int chars) {
    if (text.length() <= chars) {
      return text;
    }
    Set<String> words = new LinkedHashSet<>();
    for (String w : query.toLowerCase(Locale.ROOT).split("\\W+")) {
      if (w.length() > 2) {
        words.add(w);
      }
    }
    String lower = text.toLowerCase(Locale.ROOT);
    int bestStart = 0;
    int bestScore = -1;
    int start = 0;
    while (start < text.length()) {
      int end = sentenceEnd(text, start);
      String sentence = lower.substring(start, end);
      int score = 0;
      for (String w : words) {
        if (sentence.contains(w)) {
          score++;
        }
      }
      if (score > bestScore) {
        bestScore = score;
        bestStart = start;
      }
      start = end;
    }
    int end = Math.min(text.length(), bestStart + chars);
    int cut = text.lastIndexOf(' ', end);
    if (end < text.length() && cut > bestStart + chars / 2) {
      end = cut;
    }
    String s = text.substring(bestStart, end).strip();
    return (bestStart > 0 ? "… " : "") + s + (end < text.length() ? " …" : "");
  }

  private static int sentenceEnd(String text, int from) {
    for (int i = from; i < text.length() - 1; i++) {
      char c = text.charAt(i);
      if ((c == '.' || c == '!' || c == '?') && Character.isWhitespace(text.charAt(i + 1))) {
        return i + 2;
      }
    }
    return text.length();
  }

  @Override
  public void close() {
    try {
      reader.close();
      directory.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
