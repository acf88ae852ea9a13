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
#include <vector>

#include "protocol/byte_reader.h"
#include "protocol/events.h"
#include "protocol/result.h"

namespace twinlog::protocol {

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

// Walks the rows of one rows event against its table map. A row image's raw
// bytes and cells are views into rows.rows; next() reuses `row`'s cell vectors.
// PARTIAL_UPDATE_ROWS: the shared image (value options, partial-JSON bitmap) sits
// between the before and after images and belongs to neither image's raw bytes.
//   RowReader reader(rows, table_map, rows_offset);
//   RowChange row;
//   while (reader.next(row)) { ... }
//   if (reader.failed()) report(reader.error());
class RowReader {
 public:
  // `rows_offset` is the absolute offset of rows.rows[0].
  RowReader(const RowsEvent& rows, const TableMapEvent& table, uint64_t rows_offset);
  // Fills `row` with the next row; false at the end or on error.
  bool next(RowChange& row);
  bool failed() const { return reader_.failed(); }
  const DecodeError& error() const { return reader_.error(); }

 private:
  bool read_image(Bytes present, std::size_t present_count, bool after, RowImage& image);

  const RowsEvent& rows_;
  const TableMapEvent& table_;
  ByteReader reader_;
  std::size_t present_before_ = 0, present_after_ = 0;  // set bits of each bitmap
  std::size_t json_columns_ = 0;                        // JSON columns in the table map
  Bytes partial_bits_;  // PARTIAL_UPDATE_ROWS: this row's partial-JSON bitmap
};

}  // namespace twinlog::protocol
