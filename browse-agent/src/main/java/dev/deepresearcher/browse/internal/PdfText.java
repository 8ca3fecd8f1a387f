package dev.deepresearcher.browse.internal;

import java.io.IOException;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;

/** The text of a PDF, page after page, through Apache PDFBox. */
final class PdfText {
  /** A PDF's title (from its metadata, or empty) and text. */
  record Document(String title, String text) {}

  private PdfText() {}

  static Document extract(byte[] bytes) throws FetchException {
    try (PDDocument pdf = Loader.loadPDF(bytes)) {
      if (pdf.isEncrypted() && !pdf.getCurrentAccessPermission().canExtractContent()) {
        throw new FetchException("the PDF does not allow its text to be extracted");
      }
      PDFTextStripper stripper = new PDFTextStripper();
      stripper.setSortByPosition(true);
      stripper.setParagraphStart("\n");
      stripper.setPageEnd("\n\n");
      String text = stripper.getText(pdf);
      String title =
          pdf.getDocumentInformation() == null ? null : pdf.getDocumentInformation().getTitle();
      return new Document(title == null ? "" : title.strip(), text.strip());
    } catch (IOException e) {
      throw new FetchException("cannot read the PDF: " + e.getMessage(), e);
    }
  }
}
