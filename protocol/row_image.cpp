#include "protocol/row_image.h"

#include <bit>

#include "protocol/decimal.h"
#include "protocol/temporal.h"

namespace twinlog::protocol {
namespace {

// MariaDB's compressed column types (log_bin_compress + COMPRESSED columns):
// laid out like BLOB and VARCHAR, the bytes being compressed.
constexpr uint8_t kMariaBlobCompressed = 140;
constexpr uint8_t kMariaVarcharCompressed = 141;

ColumnType effective_type(const ColumnDef& c) {
  return c.type == ColumnType::kString && c.real_type != ColumnType::kNull ? c.real_type : c.type;
}

const char* type_name(uint8_t code) {
  switch (static_cast<ColumnType>(code)) {
    case ColumnType::kDecimal:
      return "DECIMAL";
    case ColumnType::kTiny:
      return "TINYINT";
    case ColumnType::kShort:
      return "SMALLINT";
    case ColumnType::kLong:
      return "INT";
    case ColumnType::kFloat:
      return "FLOAT";
    case ColumnType::kDouble:
      return "DOUBLE";
    case ColumnType::kNull:
      return "NULL";
    case ColumnType::kTimestamp:
      return "TIMESTAMP";
    case ColumnType::kLongLong:
      return "BIGINT";
    case ColumnType::kInt24:
      return "MEDIUMINT";
    case ColumnType::kDate:
      return "DATE";
    case ColumnType::kTime:
      return "TIME";
    case ColumnType::kDateTime:
      return "DATETIME";
    case ColumnType::kYear:
      return "YEAR";
    case ColumnType::kNewDate:
      return "DATE";
    case ColumnType::kVarchar:
      return "VARCHAR";
    case ColumnType::kBit:
      return "BIT";
    case ColumnType::kTimestamp2:
      return "TIMESTAMP2";
    case ColumnType::kDateTime2:
      return "DATETIME2";
    case ColumnType::kTime2:
      return "TIME2";
    case ColumnType::kTypedArray:
      return "TYPED_ARRAY";
    case ColumnType::kVector:
      return "VECTOR";
    case ColumnType::kInvalid:
      return "INVALID";
    case ColumnType::kBool:
      return "BOOL";
    case ColumnType::kJson:
      return "JSON";
    case ColumnType::kNewDecimal:
      return "NEWDECIMAL";
    case ColumnType::kEnum:
      return "ENUM";
    case ColumnType::kSet:
      return "SET";
    case ColumnType::kTinyBlob:
      return "TINYBLOB";
    case ColumnType::kMediumBlob:
      return "MEDIUMBLOB";
    case ColumnType::kLongBlob:
      return "LONGBLOB";
    case ColumnType::kBlob:
      return "BLOB";
    case ColumnType::kVarString:
      return "VAR_STRING";
    case ColumnType::kString:
      return "STRING";
    case ColumnType::kGeometry:
      return "GEOMETRY";
  }
  if (code == kMariaBlobCompressed) return "BLOB COMPRESSED";
  if (code == kMariaVarcharCompressed) return "VARCHAR COMPRESSED";
  return "unknown type";
}

Result<std::size_t> fixed(std::size_t n, uint8_t code, Bytes at, uint64_t offset) {
  if (at.size() >= n) return n;
  return DecodeError{offset, std::string("truncated ") + type_name(code) + " value: needs " +
                                 std::to_string(n) + " bytes, " + std::to_string(at.size()) +
                                 " left"};
}

// A value prefixed by its length in `prefix` bytes (1..4, little-endian).
Result<std::size_t> prefixed(std::size_t prefix, uint8_t code, Bytes at, uint64_t offset) {
  if (prefix < 1 || prefix > 4) {
    return DecodeError{offset, std::string("bad ") + type_name(code) + " metadata: length bytes " +
                                   std::to_string(prefix)};
  }
  if (at.size() < prefix) {
    return DecodeError{offset, std::string("truncated ") + type_name(code) + " length: needs " +
                                   std::to_string(prefix) + " bytes, " + std::to_string(at.size()) +
                                   " left"};
  }
  const uint64_t n = load_le_n(at.data(), prefix);
  if (n > at.size() - prefix) {
    return DecodeError{offset, std::string("truncated ") + type_name(code) + " value: length " +
                                   std::to_string(n) + ", " + std::to_string(at.size() - prefix) +
                                   " bytes left"};
  }
  return prefix + static_cast<std::size_t>(n);
}

bool bit(Bytes bitmap, std::size_t i) {
  return (std::to_integer<uint8_t>(bitmap[i / 8]) >> (i % 8)) & 1;
}

std::size_t popcount(Bytes bitmap, std::size_t bits) {
  std::size_t n = 0;
  for (std::size_t i = 0; i < bits; ++i) n += bit(bitmap, i);
  return n;
}

}  // namespace

// Lengths as the servers compute them (calc_field_size in binary_log_funcs.cpp and
// MariaDB's table_def::calc_field_size).
Result<std::size_t> cell_length(const ColumnDef& column, Bytes at, uint64_t offset) {
  const auto raw_code = static_cast<uint8_t>(column.type);
  if (raw_code == kMariaBlobCompressed) return prefixed(column.meta, raw_code, at, offset);
  if (raw_code == kMariaVarcharCompressed) {
    return prefixed(column.meta < 256 ? 1 : 2, raw_code, at, offset);
  }
  const ColumnType type = effective_type(column);
  const auto code = static_cast<uint8_t>(type);
  const unsigned meta = column.meta;
  switch (type) {
    case ColumnType::kTiny:
    case ColumnType::kYear:
      return fixed(1, code, at, offset);
    case ColumnType::kShort:
      return fixed(2, code, at, offset);
    case ColumnType::kInt24:
    case ColumnType::kDate:
    case ColumnType::kNewDate:
    case ColumnType::kTime:
      return fixed(3, code, at, offset);
    case ColumnType::kLong:
    case ColumnType::kTimestamp:
      return fixed(4, code, at, offset);
    case ColumnType::kLongLong:
    case ColumnType::kDateTime:
      return fixed(8, code, at, offset);
    case ColumnType::kNull:
      return std::size_t{0};
    case ColumnType::kDecimal:
      return fixed(meta, code, at, offset);
    case ColumnType::kFloat:
    case ColumnType::kDouble:
      if (meta != 4 && meta != 8) {
        return DecodeError{offset, std::string("bad ") + type_name(code) +
                                       " metadata: pack length " + std::to_string(meta)};
      }
      return fixed(meta, code, at, offset);
    case ColumnType::kTimestamp2:
    case ColumnType::kDateTime2:
    case ColumnType::kTime2: {
      if (meta > 6) {
        return DecodeError{offset, std::string("bad ") + type_name(code) +
                                       " metadata: fractional digits " + std::to_string(meta)};
      }
      const std::size_t base = type == ColumnType::kTimestamp2  ? 4
                               : type == ColumnType::kDateTime2 ? 5
                                                                : 3;
      return fixed(base + fraction_bytes(meta), code, at, offset);
    }
    case ColumnType::kNewDecimal: {
      const std::size_t n = decimal_binary_size(meta >> 8, meta & 0xff);
      if (n == 0) {
        return DecodeError{offset, "bad NEWDECIMAL metadata: precision " +
                                       std::to_string(meta >> 8) + ", scale " +
                                       std::to_string(meta & 0xff)};
      }
      return fixed(n, code, at, offset);
    }
    case ColumnType::kBit: {
      const std::size_t n = (meta >> 8) + ((meta & 0xff) ? 1 : 0);
      if ((meta & 0xff) > 7 || n > 8) {
        return DecodeError{offset, "bad BIT metadata " + std::to_string(meta)};
      }
      return fixed(n, code, at, offset);
    }
    case ColumnType::kEnum:
    case ColumnType::kSet:
      if (meta < 1 || meta > 8 || (type == ColumnType::kEnum && meta > 2)) {
        return DecodeError{offset, std::string("bad ") + type_name(code) +
                                       " metadata: pack length " + std::to_string(meta)};
      }
      return fixed(meta, code, at, offset);
    case ColumnType::kVarchar:
    case ColumnType::kVarString:
    case ColumnType::kString:
      return prefixed(meta < 256 ? 1 : 2, code, at, offset);
    case ColumnType::kTinyBlob:
    case ColumnType::kMediumBlob:
    case ColumnType::kLongBlob:
    case ColumnType::kBlob:
    case ColumnType::kGeometry:
    case ColumnType::kJson:
    case ColumnType::kVector:
      return prefixed(meta, code, at, offset);
    case ColumnType::kTypedArray:
    case ColumnType::kInvalid:
    case ColumnType::kBool:
      break;
  }
  return DecodeError{offset, std::string("column type ") + std::to_string(raw_code) + " (" +
                                 type_name(raw_code) + ") cannot appear in a row image"};
}

RowReader::RowReader(const RowsEvent& rows, const TableMapEvent& table, uint64_t rows_offset)
    : rows_(rows), table_(table), reader_(rows.rows, rows_offset) {
  const std::size_t bitmap_bytes = (rows.column_count + 7) / 8;
  if (!table.has_column_metadata) {
    // MySQL 5.1.15-5.1.17: without metadata no variable-length column has a size.
    reader_.fail("the table map of `" + std::string(table.database) + "`.`" + std::string(table.table) +
                 "` has no column metadata (MySQL 5.1.15-5.1.17): its rows cannot be walked");
  } else if (rows.column_count > table.columns.size()) {
    reader_.fail("rows event has " + std::to_string(rows.column_count) +
                 " columns, its table map " + std::to_string(table.columns.size()));
  } else if (rows.columns_before.size() < bitmap_bytes ||
             (rows.has_two_images() && rows.columns_after.size() < bitmap_bytes)) {
    reader_.fail("columns-present bitmap shorter than " + std::to_string(bitmap_bytes) + " bytes");
  }
  if (reader_.failed()) return;
  present_before_ = popcount(rows.columns_before, rows.column_count);
  if (rows.has_two_images()) present_after_ = popcount(rows.columns_after, rows.column_count);
  for (const ColumnDef& c : table.columns) {
    if (c.type == ColumnType::kJson) ++json_columns_;
  }
}

bool RowReader::next(RowChange& row) {
  if (reader_.failed() || reader_.at_end()) return false;
  const std::size_t start = reader_.position();
  row.has_before = row.has_after = false;
  partial_bits_ = {};
  switch (rows_.kind) {
    case RowsKind::kWrite:
      row.has_after = read_image(rows_.columns_before, present_before_, false, row.after);
      break;
    case RowsKind::kDelete:
      row.has_before = read_image(rows_.columns_before, present_before_, false, row.before);
      break;
    case RowsKind::kUpdate:
      row.has_before = read_image(rows_.columns_before, present_before_, false, row.before);
      row.has_after =
          row.has_before && read_image(rows_.columns_after, present_after_, false, row.after);
      break;
    case RowsKind::kPartialUpdate: {
      row.has_before = read_image(rows_.columns_before, present_before_, false, row.before);
      if (!row.has_before) break;
      // The shared image: value options, then one bit per JSON column of the table.
      const uint64_t options = reader_.packed_int("PARTIAL_UPDATE_ROWS value options");
      if (options & 1)
        partial_bits_ = reader_.bytes((json_columns_ + 7) / 8, "partial JSON bitmap");
      row.has_after =
          !reader_.failed() && read_image(rows_.columns_after, present_after_, true, row.after);
      break;
    }
  }
  if (reader_.failed()) return false;
  if (reader_.position() == start) {
    reader_.fail("row image with no bytes (no columns present)");
    return false;
  }
  return true;
}

//   null bitmap: one bit per present column, (present + 7) / 8 bytes
//   then each present, non-null column's value
bool RowReader::read_image(Bytes present, std::size_t present_count, bool after, RowImage& image) {
  const std::size_t count = rows_.column_count;
  const std::size_t start = reader_.position();
  image.offset = reader_.absolute();
  image.cells.clear();
  const Bytes nulls = reader_.bytes((present_count + 7) / 8, "row null bitmap");
  if (reader_.failed()) return false;
  std::size_t present_index = 0, json_index = 0;
  for (std::size_t i = 0; i < count; ++i) {
    const ColumnDef& column = table_.columns[i];
    const bool is_json = column.type == ColumnType::kJson;
    const bool partial =
        after && is_json && !partial_bits_.empty() && bit(partial_bits_, json_index);
    if (is_json) ++json_index;
    if (!bit(present, i)) continue;
    Cell cell;
    cell.column = static_cast<uint32_t>(i);
    cell.is_null = bit(nulls, present_index++);
    cell.offset = reader_.absolute();
    if (!cell.is_null) {
      cell.partial_json = partial;
      // A partial JSON value is its diffs behind a 4-byte length.
      Result<std::size_t> n = partial ? prefixed(4, static_cast<uint8_t>(ColumnType::kJson),
                                                 reader_.rest(), cell.offset)
                                      : cell_length(column, reader_.rest(), cell.offset);
      if (!n) {
        reader_.fail(n.error().message);  // at cell.offset, where the reader stands
        return false;
      }
      cell.bytes = reader_.bytes(*n);
    }
    image.cells.push_back(cell);
  }
  image.raw = rows_.rows.subspan(start, reader_.position() - start);
  return true;
}

}  // namespace twinlog::protocol
