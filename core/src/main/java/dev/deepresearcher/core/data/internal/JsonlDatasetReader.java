package dev.deepresearcher.core.data.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import dev.deepresearcher.core.data.DatasetException;
import dev.deepresearcher.core.data.DatasetReader;
import dev.deepresearcher.core.data.QaExample;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;

/** JSON lines in DeepResearcher's layout, one object per line; blank lines are skipped. */
public final class JsonlDatasetReader implements DatasetReader {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private final Path file;
  private final BufferedReader reader;
  private boolean iterated;

  public JsonlDatasetReader(Path file) throws IOException {
    this.file = file;
    this.reader =
        new BufferedReader(
            new java.io.InputStreamReader(
                Files.newInputStream(file), StandardCharsets.UTF_8.newDecoder()));
  }

  @Override
  public String source() {
    return file.toString();
  }

  @Override
  public Iterator<QaExample> iterator() {
    if (iterated) {
      throw new IllegalStateException("a DatasetReader streams its file once; open it again");
    }
    iterated = true;
    return new Iterator<>() {
      private long lineNumber;
      private long row;
      private QaExample next;

      @Override
      public boolean hasNext() {
        if (next != null) {
          return true;
        }
        String line;
        try {
          do {
            line = reader.readLine();
            lineNumber++;
            if (line != null && lineNumber == 1 && line.startsWith("\uFEFF")) {
              line = line.substring(1);
            }
          } while (line != null && line.isBlank());
        } catch (CharacterCodingException e) {
          throw new DatasetException(file + " line " + lineNumber + ": not valid UTF-8 text", e);
        } catch (IOException e) {
          throw new DatasetException("cannot read " + file + ": " + e.getMessage(), e);
        }
        if (line == null) {
          return false;
        }
        String where = file + ":" + lineNumber;
        Map<String, Object> map;
        try {
          @SuppressWarnings("unchecked")
          Map<String, Object> m = JSON.readValue(line, Map.class);
          map = m;
        } catch (MismatchedInputException e) {
          throw new DatasetException(where + ": each line must be one JSON object", e);
        } catch (JsonProcessingException e) {
          throw new DatasetException(
              where + ": not valid JSON (" + e.getOriginalMessage() + ")", e);
        }
        if (map == null) {
          throw new DatasetException(where + ": each line must be one JSON object, got null");
        }
        next = ExampleMapper.toExample(map, where, row++);
        return true;
      }

      @Override
      public QaExample next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        QaExample out = next;
        next = null;
        return out;
      }
    };
  }

  @Override
  public void close() {
    try {
      reader.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
