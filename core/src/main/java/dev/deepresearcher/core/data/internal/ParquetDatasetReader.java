package dev.deepresearcher.core.data.internal;

import dev.deepresearcher.core.data.DatasetException;
import dev.deepresearcher.core.data.DatasetReader;
import dev.deepresearcher.core.data.QaExample;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.MessageColumnIO;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;

/**
 * Reads verl's parquet layout with parquet-java's record API, one row group at a time and only the
 * columns the layout uses, so memory stays proportional to a row group whatever the file size.
 */
public final class ParquetDatasetReader implements DatasetReader {
  private static final List<String> WANTED =
      List.of("data_source", "prompt", "ability", "reward_model", "extra_info");

  private final Path file;
  private final ParquetFileReader reader;
  private final MessageType projection;
  private boolean iterated;

  public ParquetDatasetReader(Path file) throws IOException {
    this.file = file;
    ParquetReadOptions options =
        ParquetReadOptions.builder(new PlainParquetConfiguration()).build();
    try {
      this.reader = ParquetFileReader.open(new LocalInputFile(file), options);
    } catch (RuntimeException | IOException e) {
      if (e instanceof NoSuchFileException nsf) {
        throw nsf;
      }
      throw new DatasetException(
          file + ": not a readable parquet file (" + e.getMessage() + ")", e);
    }
    try {
      MessageType schema = reader.getFooter().getFileMetaData().getSchema();
      this.projection = project(schema);
      reader.setRequestedSchema(projection);
    } catch (RuntimeException e) {
      reader.close();
      throw e;
    }
  }

  private MessageType project(MessageType schema) {
    List<String> missing = new ArrayList<>();
    if (!schema.containsField("data_source")) {
      missing.add("data_source");
    }
    if (!schema.containsField("prompt")) {
      missing.add("prompt");
    }
    if (!schema.containsField("reward_model")
        || schema.getType("reward_model").isPrimitive()
        || !schema.getType("reward_model").asGroupType().containsField("ground_truth")) {
      missing.add("reward_model.ground_truth");
    }
    if (!missing.isEmpty()) {
      throw new DatasetException(
          file
              + ": missing column"
              + (missing.size() > 1 ? "s " : " ")
              + String.join(", ", missing)
              + " (the file has: "
              + columns(schema)
              + "); DeepResearcher's layout needs data_source, prompt and"
              + " reward_model.ground_truth");
    }
    Type dataSource = schema.getType("data_source");
    if (!dataSource.isPrimitive()
        || dataSource.asPrimitiveType().getPrimitiveTypeName()
            != PrimitiveType.PrimitiveTypeName.BINARY) {
      throw new DatasetException(
          file + ": column data_source has type " + dataSource + "; expected a string");
    }
    Type prompt = schema.getType("prompt");
    if (prompt.isPrimitive()) {
      throw new DatasetException(
          file
              + ": column prompt has type "
              + prompt.asPrimitiveType().getPrimitiveTypeName()
              + "; expected a list of {role, content}");
    }
    List<Type> fields = new ArrayList<>();
    for (String name : WANTED) {
      if (schema.containsField(name)) {
        fields.add(schema.getType(name));
      }
    }
    return new MessageType(schema.getName(), fields);
  }

  private static String columns(MessageType schema) {
    List<String> names = new ArrayList<>();
    for (String[] path : schema.getPaths()) {
      names.add(String.join(".", path));
    }
    return String.join(", ", names);
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
    MessageColumnIO columnIo = new ColumnIOFactory().getColumnIO(projection);
    return new Iterator<>() {
      private RecordReader<Group> records;
      private long leftInGroup;
      private long row;

      @Override
      public boolean hasNext() {
        while (leftInGroup == 0) {
          PageReadStore pages;
          try {
            pages = reader.readNextRowGroup();
          } catch (IOException e) {
            throw new DatasetException("cannot read " + file + ": " + e.getMessage(), e);
          } catch (RuntimeException e) {
            throw new DatasetException(
                file + ": corrupt parquet data near row " + row + " (" + e.getMessage() + ")", e);
          }
          if (pages == null) {
            return false;
          }
          leftInGroup = pages.getRowCount();
          records = columnIo.getRecordReader(pages, new GroupRecordConverter(projection));
        }
        return true;
      }

      @Override
      public QaExample next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        String where = file + " row " + row;
        Group group;
        try {
          group = records.read();
        } catch (RuntimeException e) {
          throw new DatasetException(where + ": corrupt parquet data (" + e.getMessage() + ")", e);
        }
        leftInGroup--;
        Map<String, Object> values = ParquetValues.toMap(group, projection);
        return ExampleMapper.toExample(values, where, row++);
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
