#include "src/print/row_text.h"

#include <vector>

#include "protocol/column_type.h"
#include "protocol/row_image.h"
#include "protocol/value_text.h"
#include "src/print/event_description.h"

namespace twinlog {

using namespace protocol;

namespace {

// The metadata word mariadb-binlog prints as meta=: for a STRING column (CHAR,
// BINARY, ENUM, SET) both metadata bytes, the real type first, as the table map
// carries them; for the other types the decoded value twinlog keeps.
uint32_t metadata_word(const ColumnDef& c) {
  if (c.type != ColumnType::kString) return c.meta;
  const uint32_t real = static_cast<uint32_t>(c.real_type);
  if (c.real_type == ColumnType::kEnum || c.real_type == ColumnType::kSet)
    return (real << 8) | (c.meta & 0xff);
  // CHAR longer than 255 bytes keeps its length's high bits in the type byte.
  const uint32_t high = ((c.meta >> 8) & 0x3) << 4;
  return (((real & ~0x30u) | (high ^ 0x30u)) << 8) | (c.meta & 0xff);
}

// The parts of a `###` row line that depend only on the column:
//   ###   @N=<value> /* name TYPE meta=M nullable=1 is_null=0 */
struct TextColumn {
  std::string prefix;   // "###   @N="
  std::string comment;  // " /* name TYPE meta=M nullable=1 is_null="
  bool is_float = false;
};

std::vector<TextColumn> text_columns(const TableMapEvent& table) {
  std::vector<TextColumn> out(table.columns.size());
  for (std::size_t i = 0; i < table.columns.size(); ++i) {
    const ColumnDef& column = table.columns[i];
    out[i].prefix = "###   @" + std::to_string(i + 1) + "=";
    out[i].is_float = column.type == ColumnType::kFloat;
    std::string& c = out[i].comment;
    c = " /* ";
    if (!column.name.empty()) c.append(column.name).append(" ");
    c += column_type_text(column) + " meta=" + std::to_string(metadata_word(column)) +
         " nullable=" + (column.nullable ? "1" : "0") + " is_null=";
  }
  return out;
}

void append_image_text(std::string& out, const std::string& file, const RowReader& reader,
                       const std::vector<TextColumn>& columns, const RowImage& image,
                       bool comments) {
  for (const Cell& cell : image.cells) {
    const TextColumn& text = columns[cell.column];
    out += text.prefix;
    if (cell.is_null) {
      out += "NULL";
    } else {
      const std::size_t start = out.size();
      if (auto error = append_sql_text(out, reader, cell))
        throw SourceError(file, error->offset, error->message);
      // mariadb-binlog prints a FLOAT with "%-20g": padded to 20 characters.
      if (text.is_float && out.size() - start < 20) out.append(20 - (out.size() - start), ' ');
    }
    if (comments) {
      out += text.comment;
      out += cell.is_null ? "1 */" : "0 */";
    }
    out += '\n';
  }
}

// Without -v mariadb-binlog counts the rows by measuring them, and cannot measure a
// GEOMETRY or JSON value: it stops counting at the first row that holds one.
bool unmeasured(const TableMapEvent& table, const RowImage& image) {
  for (const Cell& cell : image.cells) {
    const ColumnType t = table.columns[cell.column].type;
    if (!cell.is_null && (t == ColumnType::kGeometry || t == ColumnType::kJson)) return true;
  }
  return false;
}

}  // namespace

// The `###` pseudo-SQL of a rows event; returns how many rows it holds (as
// mariadb-binlog counts them).
uint64_t append_rows_text(const StreamEvent& se, int verbosity, std::string& out) {
  if (!se.table) return 0;
  const auto& rows = std::get<RowsEvent>(*se.event);
  const TableMapEvent& table = *se.table;
  const std::string name = quoted_table_name(table.database, table.table);
  RowReader reader(rows, table, rows_offset(*se.view, rows));
  RowChange row;
  uint64_t count = 0;
  const std::string& file = *se.file;
  const std::vector<TextColumn> columns =
      verbosity > 0 ? text_columns(table) : std::vector<TextColumn>{};
  const bool comments = verbosity > 1;
  while (reader.next(row)) {
    ++count;
    if (verbosity == 0) {
      if (unmeasured(table, row.before) || unmeasured(table, row.after)) break;
      continue;
    }
    switch (rows.kind) {
      case RowsKind::kWrite:
        out.append("### INSERT INTO ").append(name).append("\n### SET\n");
        append_image_text(out, file, reader, columns, row.after, comments);
        break;
      case RowsKind::kDelete:
        out.append("### DELETE FROM ").append(name).append("\n### WHERE\n");
        append_image_text(out, file, reader, columns, row.before, comments);
        break;
      case RowsKind::kUpdate:
      case RowsKind::kPartialUpdate:
        out.append("### UPDATE ").append(name).append("\n### WHERE\n");
        append_image_text(out, file, reader, columns, row.before, comments);
        out += "### SET\n";
        append_image_text(out, file, reader, columns, row.after, comments);
        break;
    }
  }
  if (reader.failed()) throw SourceError(*se.file, reader.error().offset, reader.error().message);
  return count;
}

}  // namespace twinlog
