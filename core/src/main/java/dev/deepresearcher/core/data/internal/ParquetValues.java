package dev.deepresearcher.core.data.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;

/**
 * Converts parquet-java's generic {@link Group} records to plain Java values: strings, longs,
 * doubles, booleans, lists and maps, following the format spec's LIST and MAP rules (including its
 * backward-compatibility rules for two-level lists).
 */
final class ParquetValues {
  private ParquetValues() {}

  /** A record's fields by name; absent optional fields are {@code null}. */
  static Map<String, Object> toMap(Group group, GroupType type) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (int i = 0; i < type.getFieldCount(); i++) {
      Type field = type.getType(i);
      int count = group.getFieldRepetitionCount(i);
      if (field.isRepetition(Type.Repetition.REPEATED)) {
        List<Object> items = new ArrayList<>(count);
        for (int j = 0; j < count; j++) {
          items.add(value(group, i, j, field));
        }
        out.put(field.getName(), items);
      } else {
        out.put(field.getName(), count == 0 ? null : value(group, i, 0, field));
      }
    }
    return out;
  }

  private static Object value(Group parent, int field, int index, Type type) {
    if (type.isPrimitive()) {
      return primitive(parent, field, index, type.asPrimitiveType());
    }
    GroupType groupType = type.asGroupType();
    Group group = parent.getGroup(field, index);
    LogicalTypeAnnotation logical = groupType.getLogicalTypeAnnotation();
    if (logical instanceof LogicalTypeAnnotation.ListLogicalTypeAnnotation) {
      return list(group, groupType);
    }
    if (logical instanceof LogicalTypeAnnotation.MapLogicalTypeAnnotation
        || logical instanceof LogicalTypeAnnotation.MapKeyValueTypeAnnotation) {
      return map(group, groupType);
    }
    return toMap(group, groupType);
  }

  private static List<Object> list(Group group, GroupType listType) {
    Type repeated = listType.getType(0);
    int n = group.getFieldRepetitionCount(0);
    List<Object> items = new ArrayList<>(n);
    boolean repeatedIsElement =
        repeated.isPrimitive()
            || repeated.asGroupType().getFieldCount() > 1
            || repeated.getName().equals("array")
            || repeated.getName().equals(listType.getName() + "_tuple");
    for (int j = 0; j < n; j++) {
      if (repeatedIsElement) {
        items.add(value(group, 0, j, repeated));
      } else {
        // Standard three-level list: repeated group "list" { <element> }.
        Group wrapper = group.getGroup(0, j);
        Type element = repeated.asGroupType().getType(0);
        items.add(wrapper.getFieldRepetitionCount(0) == 0 ? null : value(wrapper, 0, 0, element));
      }
    }
    return items;
  }

  private static Map<String, Object> map(Group group, GroupType mapType) {
    Map<String, Object> out = new LinkedHashMap<>();
    GroupType keyValue = mapType.getType(0).asGroupType();
    int n = group.getFieldRepetitionCount(0);
    for (int j = 0; j < n; j++) {
      Group entry = group.getGroup(0, j);
      Object key = value(entry, 0, 0, keyValue.getType(0));
      Object val =
          keyValue.getFieldCount() < 2 || entry.getFieldRepetitionCount(1) == 0
              ? null
              : value(entry, 1, 0, keyValue.getType(1));
      out.put(String.valueOf(key), val);
    }
    return out;
  }

  private static Object primitive(Group group, int field, int index, PrimitiveType type) {
    return switch (type.getPrimitiveTypeName()) {
      case BINARY, FIXED_LEN_BYTE_ARRAY -> group.getBinary(field, index).toStringUsingUTF8();
      case INT32 -> (long) group.getInteger(field, index);
      case INT64 -> group.getLong(field, index);
      case FLOAT -> (double) group.getFloat(field, index);
      case DOUBLE -> group.getDouble(field, index);
      case BOOLEAN -> group.getBoolean(field, index);
      case INT96 -> group.getInt96(field, index).toStringUsingUTF8();
    };
  }
}
