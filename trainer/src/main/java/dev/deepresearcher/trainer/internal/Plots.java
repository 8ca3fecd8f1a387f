package dev.deepresearcher.trainer.internal;

import dev.deepresearcher.core.io.AtomicFiles;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/** Line plots of a run's figures over steps, drawn headless with Java2D into PNG files. */
public final class Plots {
  private static final Color[] COLORS = {
    new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0xff7f0e)
  };

  /** One line: its name and its points (x = step). */
  public record Series(String name, List<double[]> points) {
    public Series {
      points = List.copyOf(points);
    }
  }

  private Plots() {}

  /**
   * Draws the series into {@code file} (written atomically), y from {@code yMin} to {@code yMax}.
   */
  public static void draw(
      Path file, String title, String yLabel, List<Series> series, double yMin, double yMax)
      throws IOException {
    System.setProperty("java.awt.headless", "true");
    int w = 800;
    int h = 480;
    int left = 70;
    int right = 20;
    int top = 40;
    int bottom = 60;
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, w, h);
    double xMax = 1;
    for (Series s : series) {
      for (double[] p : s.points()) {
        xMax = Math.max(xMax, p[0]);
      }
    }
    int pw = w - left - right;
    int ph = h - top - bottom;
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    g.setColor(new Color(0xdddddd));
    for (int i = 0; i <= 5; i++) {
      int y = top + ph - ph * i / 5;
      g.drawLine(left, y, left + pw, y);
    }
    g.setColor(Color.BLACK);
    g.drawRect(left, top, pw, ph);
    for (int i = 0; i <= 5; i++) {
      double v = yMin + (yMax - yMin) * i / 5;
      int y = top + ph - ph * i / 5;
      g.drawString(String.format(Locale.ROOT, "%.2f", v), 20, y + 4);
    }
    for (int i = 0; i <= 5; i++) {
      double v = xMax * i / 5;
      int x = left + (int) (pw * i / 5.0);
      g.drawString(String.format(Locale.ROOT, "%.0f", v), x - 8, top + ph + 18);
    }
    g.drawString("step", left + pw / 2 - 12, h - 22);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
    g.drawString(title, left, 24);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    g.drawString(yLabel, 4, top - 8);
    g.setStroke(new BasicStroke(2f));
    for (int si = 0; si < series.size(); si++) {
      Series s = series.get(si);
      g.setColor(COLORS[si % COLORS.length]);
      int px = -1;
      int py = -1;
      for (double[] p : s.points()) {
        int x = left + (int) Math.round(pw * p[0] / xMax);
        double clamped = Math.max(yMin, Math.min(yMax, p[1]));
        int y = top + ph - (int) Math.round(ph * (clamped - yMin) / (yMax - yMin));
        if (px >= 0) {
          g.drawLine(px, py, x, y);
        }
        g.fillOval(x - 2, y - 2, 5, 5);
        px = x;
        py = y;
      }
    }
    // The legend sits in the top margin, right-aligned beside the title, where no line can cross
    // it.
    var metrics = g.getFontMetrics();
    int legendWidth = 0;
    for (Series s : series) {
      legendWidth += 26 + metrics.stringWidth(s.name()) + 16;
    }
    int x = w - right - legendWidth + 16;
    for (int si = 0; si < series.size(); si++) {
      g.setColor(COLORS[si % COLORS.length]);
      g.drawLine(x, 20, x + 20, 20);
      g.drawString(series.get(si).name(), x + 26, 24);
      x += 26 + metrics.stringWidth(series.get(si).name()) + 16;
    }
    g.dispose();
    AtomicFiles.write(file, out -> ImageIO.write(img, "png", out));
  }
}
