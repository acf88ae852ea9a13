#include "protocol/row_image.h"

#include <bit>

#include "protocol/column_type.h"
#include "protocol/decimal.h"
#include "protocol/temporal.h"

namespace twinlog::protocol {
namespace {

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
CellLayout cell_layout(const ColumnDef& column) {
  const auto fixed = [](std::size_t n) {
    return CellLayout{CellLayout::kFixed, 0, static_cast<uint32_t>(n)};
  };
  const auto prefixed = [](unsigned n) {
    return n >= 1 && n <= 4 ? CellLayout{CellLayout::kPrefixed, static_cast<uint8_t>(n), 0}
                            : CellLayout{};
  };
  const auto raw_code = static_cast<uint8_t>(column.type);
  const unsigned meta = column.meta;
  if (raw_code == kMariaBlobCompressed) return prefixed(meta);
  if (raw_code == kMariaVarcharCompressed) return prefixed(meta < 256 ? 1 : 2);
  const ColumnType type = effective_type(column);
  switch (type) {
    case ColumnType::kTiny:
    case ColumnType::kYear:
      return fixed(1);
    case ColumnType::kShort:
      return fixed(2);
    case ColumnType::kInt24:
    case ColumnType::kDate:
    case ColumnType::kNewDate:
    case ColumnType::kTime:
      return fixed(3);
    case ColumnType::kLong:
    case ColumnType::kTimestamp:
      return fixed(4);
    case ColumnType::kLongLong:
    case ColumnType::kDateTime:
      return fixed(8);
    case ColumnType::kNull:
      return fixed(0);
    case ColumnType::kDecimal:
      return fixed(meta);
    case ColumnType::kFloat:
    case ColumnType::kDouble:
      return meta == 4 || meta == 8 ? fixed(meta) : CellLayout{};
    case ColumnType::kTimestamp2:
    case ColumnType::kDateTime2:
    case ColumnType::kTime2: {
      if (meta > 6) return {};
      const std::size_t base = type == ColumnType::kTimestamp2  ? 4
                               : type == ColumnType::kDateTime2 ? 5
                                                                : 3;
      return fixed(base + fraction_bytes(meta));
    }
    case ColumnType::kNewDecimal: {
      const std::size_t n = decimal_binary_size(meta >> 8, meta & 0xff);
      return n ? fixed(n) : CellLayout{};
    }
    case ColumnType::kBit: {
      const std::size_t n = (meta >> 8) + ((meta & 0xff) ? 1 : 0);
      return (meta & 0xff) <= 7 && n <= 8 ? fixed(n) : CellLayout{};
    }
    case ColumnType::kEnum:
    case ColumnType::kSet:
      if (meta < 1 || meta > 8 || (type == ColumnType::kEnum && meta > 2)) return {};
      return fixed(meta);
    case ColumnType::kVarchar:
    case ColumnType::kVarString:
    case ColumnType::kString:
      return prefixed(meta < 256 ? 1 : 2);
    case ColumnType::kTinyBlob:
    case ColumnType::kMediumBlob:
    case ColumnType::kLongBlob:
    case ColumnType::kBlob:
    case ColumnType::kGeometry:
    case ColumnType::kJson:
    case ColumnType::kVector:
      return prefixed(meta);  // meta: the length's size in bytes
    case ColumnType::kTypedArray:
    case ColumnType::kInvalid:
    case ColumnType::kBool:
      break;
  }
  return {};
}

namespace {

// Why cell_layout() found no layout for `column`.
DecodeError layout_error(const ColumnDef& column, uint64_t offset) {
  const auto raw_code = static_cast<uint8_t>(column.type);
  const ColumnType type = is_maria_compressed(column) ? column.type : effective_type(column);
  const auto code = static_cast<uint8_t>(type);
  const unsigned meta = column.meta;
  const std::string name(column_type_server_name(code));
  switch (type) {
    case ColumnType::kFloat:
    case ColumnType::kDouble:
    case ColumnType::kEnum:
    case ColumnType::kSet:
      return {offset, "bad " + name + " metadata: pack length " + std::to_string(meta)};
    case ColumnType::kTimestamp2:
    case ColumnType::kDateTime2:
    case ColumnType::kTime2:
      return {offset, "bad " + name + " metadata: fractional digits " + std::to_string(meta)};
    case ColumnType::kNewDecimal:
      return {offset, "bad NEWDECIMAL metadata: precision " + std::to_string(meta >> 8) +
                          ", scale " + std::to_string(meta & 0xff)};
    case ColumnType::kBit:
      return {offset, "bad BIT metadata " + std::to_string(meta)};
    default:
      // What remains with a layout of its own is the BLOB family, whose metadata
      // is the size of the length.
      if (cell_layout(ColumnDef{.type = column.type, .real_type = column.real_type, .meta = 1})
              .kind == CellLayout::kPrefixed) {
        return {offset, "bad " + name + " metadata: length bytes " + std::to_string(meta)};
      }
      return {offset, "column type " + std::to_string(raw_code) + " (" +
                          std::string(column_type_server_name(raw_code)) +
                          ") cannot appear in a row image"};
  }
}

}  // namespace

namespace {

// Why a value of type `code` and `layout` does not fit in `at`.
DecodeError length_error(const CellLayout& layout, uint8_t code, Bytes at, uint64_t offset) {
  if (layout.kind == CellLayout::kFixed) {
    return {offset, "truncated " + std::string(column_type_server_name(code)) + " value: needs " +
                        std::to_string(layout.size) + " bytes, " + std::to_string(at.size()) +
                        " left"};
  }
  if (at.size() < layout.prefix) {
    return {offset, "truncated " + std::string(column_type_server_name(code)) + " length: needs " +
                        std::to_string(layout.prefix) + " bytes, " + std::to_string(at.size()) +
                        " left"};
  }
  return {offset, "truncated " + std::string(column_type_server_name(code)) + " value: length " +
                      std::to_string(load_le_n(at.data(), layout.prefix)) + ", " +
                      std::to_string(at.size() - layout.prefix) + " bytes left"};
}

// A partial JSON value (PARTIAL_UPDATE_ROWS) is its diffs behind a 4-byte length.
constexpr CellLayout kPartialJsonLayout{CellLayout::kPrefixed, 4, 0};

}  // namespace

Result<std::size_t> cell_length(const ColumnDef& column, Bytes at, uint64_t offset) {
  const CellLayout layout = cell_layout(column);
  const std::size_t n = layout.length(at);
  if (n != CellLayout::kNoLength) return n;
  if (layout.kind == CellLayout::kInvalid) return layout_error(column, offset);
  return length_error(layout, static_cast<uint8_t>(effective_type(column)), at, offset);
}

uint64_t rows_offset(const EventView& view, const RowsEvent& rows) {
  return view.body_offset() + static_cast<uint64_t>(rows.rows.data() - view.body.data());
}

RowReader::RowReader(const RowsEvent& rows, const TableMapEvent& table, uint64_t rows_offset,
                     std::span<const CellLayout> layouts)
    : rows_(rows), table_(table), reader_(rows.rows, rows_offset) {
  const std::size_t bitmap_bytes = (rows.column_count + 7) / 8;
  if (!table.has_column_metadata) {
    // MySQL 5.1.15-5.1.17: without metadata no variable-length column has a size.
    reader_.fail("the table map of `" + std::string(table.database) + "`.`" +
                 std::string(table.table) +
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
  if (layouts.size() >= rows.column_count) {
    layouts_ = layouts.first(rows.column_count);
    return;
  }
  own_layouts_.reserve(rows.column_count);
  for (std::size_t i = 0; i < rows.column_count; ++i)
    own_layouts_.push_back(cell_layout(table.columns[i]));
  layouts_ = own_layouts_;
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
  return cells_ ? read_cells<true>(present, present_count, after, image)
                : read_cells<false>(present, present_count, after, image);
}

template <bool kCells>
bool RowReader::read_cells(Bytes present, std::size_t present_count, bool after, RowImage& image) {
  const std::size_t count = rows_.column_count;
  const std::size_t start = reader_.position();
  image.offset = reader_.absolute();
  const Bytes nulls = reader_.bytes((present_count + 7) / 8, "row null bitmap");
  if (reader_.failed()) return false;
  image.cells.resize(kCells ? present_count : 0);
  // The values are measured against the rest of the event and taken in one step.
  const Bytes rest = reader_.rest();
  const uint64_t rest_offset = reader_.absolute();
  std::size_t used = 0, present_index = 0, json_index = 0;
  for (std::size_t i = 0; i < count; ++i) {
    bool partial = false;
    if (json_columns_ != 0 && table_.columns[i].type == ColumnType::kJson) {
      partial = after && !partial_bits_.empty() && bit(partial_bits_, json_index);
      ++json_index;
    }
    if (!bit(present, i)) continue;
    const bool is_null = bit(nulls, present_index++);
    if constexpr (kCells) {
      Cell& cell = image.cells[present_index - 1];
      cell.column = static_cast<uint32_t>(i);
      cell.is_null = is_null;
      cell.partial_json = !is_null && partial;
      cell.offset = rest_offset + used;
      cell.bytes = {};
    }
    if (is_null) continue;
    const Bytes at = rest.subspan(used);
    const std::size_t n = (partial ? kPartialJsonLayout : layouts_[i]).length(at);
    if (n == CellLayout::kNoLength) {
      reader_.skip(used);
      return fail_cell(i, partial, at, rest_offset + used);
    }
    if constexpr (kCells) image.cells[present_index - 1].bytes = at.first(n);
    used += n;
  }
  reader_.skip(used);
  image.raw = rows_.rows.subspan(start, reader_.position() - start);
  return true;
}

// Records why column `column`'s value at `at` (absolute `offset`, where the reader
// stands) cannot be measured.
bool RowReader::fail_cell(std::size_t column, bool partial, Bytes at, uint64_t offset) {
  const ColumnDef& def = table_.columns[column];
  const CellLayout& layout = partial ? kPartialJsonLayout : layouts_[column];
  const DecodeError error =
      layout.kind == CellLayout::kInvalid
          ? layout_error(def, offset)
          : length_error(layout,
                         static_cast<uint8_t>(partial ? ColumnType::kJson : effective_type(def)),
                         at, offset);
  reader_.fail(error.message);
  return false;
}

}  // namespace twinlog::protocol
