/** Readers of the dataset file formats (verl parquet, JSON lines). Not API; use Datasets. */
package dev.deepresearcher.core.data.internal;
