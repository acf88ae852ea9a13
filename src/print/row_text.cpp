#include "src/print/row_text.h"

#include <algorithm>
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

bool same_key(const RowText::ColumnKey& k, const ColumnDef& c) {
  return k.type == c.type && k.real_type == c.real_type && k.meta == c.meta &&
         k.nullable == c.nullable && k.vector_dimensions == c.vector_dimensions && k.name == c.name;
}

RowText::Column column_text(const ColumnDef& column, std::size_t index) {
  RowText::Column out;
  out.prefix = "###   @" + std::to_string(index + 1) + "=";
  out.is_float = column.type == ColumnType::kFloat;
  std::string& c = out.comment;
  c = " /* ";
  if (!column.name.empty()) c.append(column.name).append(" ");
  c += column_type_text(column) + " meta=" + std::to_string(metadata_word(column)) +
       " nullable=" + (column.nullable ? "1" : "0") + " is_null=";
  return out;
}

void append_image_text(std::string& out, const std::string& file, const RowReader& reader,
                       const std::vector<RowText::Column>& columns, const RowImage& image,
                       bool comments) {
  for (const Cell& cell : image.cells) {
    const RowText::Column& text = columns[cell.column];
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

const RowText::Table& RowText::table_text(const TableMapEvent& table) {
  Table* t = nullptr;
  for (Table& kept : tables_) {
    if (kept.table_id == table.table_id) t = &kept;
  }
  if (t && t->database == table.database && t->table == table.table &&
      t->keys.size() == table.columns.size() &&
      std::equal(t->keys.begin(), t->keys.end(), table.columns.begin(), same_key))
    return *t;
  if (!t) {
    if (tables_.size() < kTablesKept) {
      t = &tables_.emplace_back();
    } else {
      t = &tables_[next_replaced_];
      next_replaced_ = (next_replaced_ + 1) % kTablesKept;
    }
  }
  t->table_id = table.table_id;
  t->database = table.database;
  t->table = table.table;
  t->quoted_name = quoted_table_name(table.database, table.table);
  t->keys.clear();
  t->columns.clear();
  for (std::size_t i = 0; i < table.columns.size(); ++i) {
    const ColumnDef& c = table.columns[i];
    t->keys.push_back(
        {c.type, c.real_type, c.meta, c.nullable, c.vector_dimensions, std::string(c.name)});
    t->columns.push_back(column_text(c, i));
  }
  return *t;
}

// The `###` pseudo-SQL of a rows event; returns how many rows it holds (as
// mariadb-binlog counts them).
uint64_t RowText::append(const StreamEvent& se, int verbosity, std::string& out) {
  if (!se.table) return 0;
  const auto& rows = std::get<RowsEvent>(*se.event);
  const TableMapEvent& table = *se.table;
  RowReader reader(rows, table, rows_offset(*se.view, rows), se.table_layouts);
  RowChange row;
  uint64_t count = 0;
  const std::string& file = *se.file;
  if (verbosity == 0) {
    while (reader.next(row)) {
      ++count;
      if (unmeasured(table, row.before) || unmeasured(table, row.after)) break;
    }
    if (reader.failed()) throw SourceError(file, reader.error().offset, reader.error().message);
    return count;
  }
  const Table& text = table_text(table);
  const std::string& name = text.quoted_name;
  const std::vector<Column>& columns = text.columns;
  const bool comments = verbosity > 1;
  while (reader.next(row)) {
    ++count;
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
  if (reader.failed()) throw SourceError(file, reader.error().offset, reader.error().message);
  return count;
}

}  // namespace twinlog
