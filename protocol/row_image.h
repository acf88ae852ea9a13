// Row images of a rows event, walked without building values.
//
// A rows event body holds, per row: a null bitmap over the present columns, then
// each non-null present column's value in its binlog encoding. UPDATE events hold
// two images per row (before, after), each with its own present-columns bitmap.
// PARTIAL_UPDATE_ROWS (MySQL, binlog_row_value_options=PARTIAL_JSON) puts a
// "shared image" field (packed int, value options; bit 0 = PARTIAL_JSON, then a
// bitmap over the JSON columns) before the after image's null bitmap; a partial
// JSON column's value is a list of diffs.
//
// Nothing is decoded here: cells are byte ranges. decode_value() (value.h) builds
// a Value from a cell when someone asks.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "protocol/byte_reader.h"
#include "protocol/events.h"
#include "protocol/result.h"

namespace twinlog::protocol {

// How the values of a column are delimited in a row image, worked out once from its
// type and metadata: a fixed size, or a little-endian length of 1..4 bytes in front.
struct CellLayout {
  static constexpr std::size_t kNoLength = static_cast<std::size_t>(-1);
  enum Kind : uint8_t { kInvalid, kFixed, kPrefixed };
  Kind kind = kInvalid;  // kInvalid: impossible metadata, or a type rows never hold
  uint8_t prefix = 0;    // kPrefixed: bytes of the length
  uint32_t size = 0;     // kFixed: bytes of the value

  // The length of the value at the start of `at`, prefix included; kNoLength when
  // it runs past `at` or the layout is invalid. Reads at most the length prefix.
  std::size_t length(Bytes at) const {
    if (kind == kFixed) return size <= at.size() ? size : kNoLength;
    if (kind == kPrefixed && prefix <= at.size()) {
      const uint64_t n = load_le_n(at.data(), prefix);
      if (n <= at.size() - prefix) return prefix + static_cast<std::size_t>(n);
    }
    return kNoLength;
  }
};
CellLayout cell_layout(const ColumnDef& column);

// The encoded length of one non-null value of `column` starting at `at`.
// Errors (at `offset`, naming the column type) when the value runs past `at` or the
// column's metadata is impossible. Reads at most the value's length prefix.
Result<std::size_t> cell_length(const ColumnDef& column, Bytes at, uint64_t offset);

struct Cell {
  uint32_t column = 0;  // index in the table map
  bool is_null = false;
  bool partial_json = false;  // PARTIAL_UPDATE_ROWS after image: bytes are JSON diffs
  Bytes bytes;                // the encoded value (empty when null)
  uint64_t offset = 0;        // absolute offset of bytes[0]
};

// One row image: the cells of the present columns, in column order.
struct RowImage {
  Bytes raw;  // null bitmap + values, as in the event (what a digest hashes)
  uint64_t offset = 0;
  std::vector<Cell> cells;
};

// One row of a rows event: WRITE has after only, DELETE before only, UPDATE both.
struct RowChange {
  bool has_before = false, has_after = false;
  RowImage before, after;
};

// The absolute offset of rows.rows[0] in `view`, the event `rows` was decoded from
// (what RowReader needs so that its errors name the offset in the file).
uint64_t rows_offset(const EventView& view, const RowsEvent& rows);

// Walks the rows of one rows event against its table map. A row image's raw
// bytes and cells are views into rows.rows; next() reuses `row`'s cell vectors.
// PARTIAL_UPDATE_ROWS: the shared image (value options, partial-JSON bitmap) sits
// between the before and after images and belongs to neither image's raw bytes.
//   RowReader reader(rows, table_map, rows_offset(view, rows));
//   RowChange row;
//   while (reader.next(row)) { ... }
//   if (reader.failed()) report(reader.error());
class RowReader {
 public:
  // `rows_offset` is the absolute offset of rows.rows[0]. `layouts`: cell_layout()
  // of each of the table map's columns when the caller keeps them with the map
  // (TableMaps: computed once per map, not once per rows event); else computed here.
  RowReader(const RowsEvent& rows, const TableMapEvent& table, uint64_t rows_offset,
            std::span<const CellLayout> layouts = {});
  RowReader(const RowReader&) = delete;  // layouts_ may point into own_layouts_
  RowReader& operator=(const RowReader&) = delete;
  // Fills `row` with the next row; false at the end or on error.
  bool next(RowChange& row);
  // next() then gives each image's bytes and offset only, its cells left empty:
  // for a reader that hashes whole images (diff), which has no use for the cells.
  // The values are measured all the same (an image's end is found no other way),
  // with the same errors.
  void without_cells() { cells_ = false; }
  bool failed() const { return reader_.failed(); }
  const DecodeError& error() const { return reader_.error(); }
  const TableMapEvent& table() const { return table_; }
  // cell_layout() of each of the rows event's columns (empty when the reader failed
  // before the first row).
  std::span<const CellLayout> layouts() const { return layouts_; }

 private:
  bool read_image(Bytes present, std::size_t present_count, bool after, RowImage& image);
  template <bool kCells>
  bool read_cells(Bytes present, std::size_t present_count, bool after, RowImage& image);
  bool fail_cell(std::size_t column, bool partial, Bytes at, uint64_t offset);

  const RowsEvent& rows_;
  const TableMapEvent& table_;
  ByteReader reader_;
  std::size_t present_before_ = 0, present_after_ = 0;  // set bits of each bitmap
  std::size_t json_columns_ = 0;                        // JSON columns in the table map
  std::span<const CellLayout> layouts_;                 // per column of the rows event
  std::vector<CellLayout> own_layouts_;                 // when the caller gave none
  Bytes partial_bits_;  // PARTIAL_UPDATE_ROWS: this row's partial-JSON bitmap
  bool cells_ = true;
};

}  // namespace twinlog::protocol
