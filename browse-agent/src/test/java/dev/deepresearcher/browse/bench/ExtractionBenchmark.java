package dev.deepresearcher.browse.bench;

import dev.deepresearcher.browse.internal.HtmlText;
import dev.deepresearcher.browse.internal.Paginator;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * HTML to readable text, on a generated 1 MB article page with the usual furniture (head with
 * scripts and styles, navigation, sidebar, ads, cookie banner, footer) around headings, paragraphs,
 * lists and tables. Divide the page size by the time per operation for MB/s. Run with {@code
 * scripts/bench browse-agent}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xmx1g"})
public class ExtractionBenchmark {
  /** The page, about 1 MB. */
  public String html;

  /** Writes the page to {@code args[0]}, for a peer tool to read the same bytes. */
  public static void main(String[] args) throws java.io.IOException {
    ExtractionBenchmark b = new ExtractionBenchmark();
    b.setUp();
    java.nio.file.Files.writeString(java.nio.file.Path.of(args[0]), b.html);
  }

  @Setup
  public void setUp() {
    StringBuilder sb = new StringBuilder(1 << 20);
    sb.append("<!DOCTYPE html><html><head><title>Benchmark article</title><style>")
        .append("p{margin:0} ".repeat(200))
        .append("</style><script>")
        .append("var x = 1; ".repeat(500))
        .append("</script></head><body>")
        .append("<div class=\"cookie-banner\">We use cookies.</div><header><nav><ul>");
    for (int i = 0; i < 50; i++) {
      sb.append("<li><a href=\"/s").append(i).append("\">Section ").append(i).append("</a></li>");
    }
    sb.append("</ul></nav></header><aside class=\"sidebar\">Popular</aside><main><article>");
    int section = 0;
    while (sb.length() < 1_000_000) {
      sb.append("<h2>Section ").append(section++).append("</h2>");
      for (int p = 0; p < 6; p++) {
        sb.append("<p>The <a href=\"/x\">institute</a> recorded <b>")
            .append(section * 7 + p)
            .append("</b> observations in this period, while the committee debated budgets,")
            .append(" telescopes and the hiring of new staff for the coming decade.</p>");
      }
      sb.append("<div class=\"advert\">Buy now</div><ul>");
      for (int li = 0; li < 4; li++) {
        sb.append("<li>Item ")
            .append(li)
            .append(" of the list in section ")
            .append(section)
            .append("</li>");
      }
      sb.append("</ul><table><tr><th>Year</th><th>Count</th></tr>");
      for (int r = 0; r < 4; r++) {
        sb.append("<tr><td>")
            .append(1900 + r)
            .append("</td><td>")
            .append(r * 3)
            .append("</td></tr>");
      }
      sb.append("</table>");
    }
    sb.append("</article></main><footer>© footer</footer></body></html>");
    html = sb.toString();
    System.out.printf("page: %.2f MB%n", html.getBytes(StandardCharsets.UTF_8).length / 1e6);
  }

  @Benchmark
  public String extract() {
    return HtmlText.extract(html, "https://bench.example/article", 256).text();
  }

  @Benchmark
  public int extractAndPaginate() {
    return Paginator.pages(
            HtmlText.extract(html, "https://bench.example/article", 256).text(), 40_960)
        .size();
  }
}
