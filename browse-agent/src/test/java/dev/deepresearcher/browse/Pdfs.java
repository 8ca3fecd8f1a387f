package dev.deepresearcher.browse;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;

/** Small PDFs made on the fly, one line of text per entry, one page per array. */
final class Pdfs {
  private Pdfs() {}

  static byte[] pdf(String title, String[]... pages) throws IOException {
    try (PDDocument doc = new PDDocument();
        ByteArrayOutputStream out = new ByteArrayOutputStream()) {
      doc.getDocumentInformation().setTitle(title);
      PDType1Font font = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
      for (String[] lines : pages) {
        PDPage page = new PDPage();
        doc.addPage(page);
        try (PDPageContentStream s = new PDPageContentStream(doc, page)) {
          s.beginText();
          s.setFont(font, 12);
          s.newLineAtOffset(72, 720);
          for (String line : lines) {
            s.showText(line);
            s.newLineAtOffset(0, -18);
          }
          s.endText();
        }
      }
      doc.save(out);
      return out.toByteArray();
    }
  }
}
