package dev.deepresearcher.core.data;

import java.io.Closeable;
import java.util.Iterator;

/**
 * Streams the questions of one file, in file order. Iterate once; close when done. Iteration throws
 * {@link DatasetException} for a row that breaks the layout, naming the file and the row.
 */
public interface DatasetReader extends Iterable<QaExample>, Closeable {
  /** The file being read, for messages. */
  String source();

  @Override
  Iterator<QaExample> iterator();

  /** Closes the file; never throws for a file opened only for reading. */
  @Override
  void close();
}
