// Row images against arbitrary column definitions: the input's first byte gives
// the column count n (1..16), the next 3n bytes each column's type and metadata,
// one byte the rows event kind, the rest the row bytes. Every row is walked and
// every cell decoded and rendered.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "protocol/row_image.h"
#include "protocol/value.h"
#include "protocol/value_text.h"

using namespace twinlog::protocol;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  const std::size_t n = (data[0] % 16) + 1;
  if (size < 2 + 3 * n) return 0;
  TableMapEvent table;
  table.database = "db";
  table.table = "t";
  for (std::size_t i = 0; i < n; ++i) {
    ColumnDef c;
    c.type = static_cast<ColumnType>(data[1 + 3 * i]);
    c.real_type = c.type;
    c.meta = static_cast<uint16_t>(data[2 + 3 * i] | (data[3 + 3 * i] << 8));
    if (c.type == ColumnType::kString) {
      // As the table map decoder resolves STRING: ENUM / SET / STRING.
      const uint8_t b0 = data[3 + 3 * i], b1 = data[2 + 3 * i];
      if ((b0 & 0x30) != 0x30) {
        c.real_type = static_cast<ColumnType>(b0 | 0x30);
        c.meta = static_cast<uint16_t>(b1 | (((b0 & 0x30) ^ 0x30) << 4));
      } else {
        c.real_type = static_cast<ColumnType>(b0);
        c.meta = b1;
      }
    }
    c.is_unsigned = (data[2 + 3 * i] & 1) != 0;
    table.columns.push_back(c);
  }
  const uint8_t kind_byte = data[1 + 3 * n];
  std::vector<std::byte> all_present((n + 7) / 8, std::byte{0xff});
  RowsEvent rows;
  rows.kind = static_cast<RowsKind>(kind_byte % 4);
  rows.column_count = n;
  rows.columns_before = Bytes(all_present.data(), all_present.size());
  if (rows.has_two_images()) rows.columns_after = rows.columns_before;
  rows.rows = Bytes(reinterpret_cast<const std::byte*>(data + 2 + 3 * n), size - 2 - 3 * n);
  RowReader reader(rows, table, 0);
  RowChange row;
  std::string out;
  int guard = 0;
  while (reader.next(row) && ++guard < 10000) {
    for (const RowImage* image : {&row.before, &row.after}) {
      for (const Cell& cell : image->cells) {
        if (cell.is_null) continue;
        auto value = decode_value(table.columns[cell.column], cell);
        if (!value) continue;
        out = to_sql_text(*value);
        out.clear();
        append_json(out, *value);
      }
    }
  }
  return 0;
}
