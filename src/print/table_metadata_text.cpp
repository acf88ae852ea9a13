#include "src/print/table_metadata_text.h"

#include <cstdio>

#include "protocol/column_type.h"
#include "src/print/charset_names.h"
#include "src/print/event_description.h"

namespace twinlog {

using namespace protocol;

namespace {

constexpr uint32_t kBinary = 63;  // the binary collation: BLOB and BINARY, not TEXT and CHAR

// Bytes a character of the charset takes at most (information_schema.CHARACTER_SETS
// of MariaDB 10.11: every other charset takes one).
unsigned max_length(std::string_view charset) {
  static constexpr std::pair<std::string_view, unsigned> kLengths[] = {
      {"big5", 2},    {"cp932", 2}, {"eucjpms", 3}, {"euckr", 2},   {"gb2312", 2},
      {"gbk", 2},     {"sjis", 2},  {"ucs2", 2},    {"ujis", 3},    {"utf16", 4},
      {"utf16le", 4}, {"utf32", 4}, {"utf8mb3", 3}, {"utf8mb4", 4},
  };
  for (const auto& [name, length] : kLengths) {
    if (name == charset) return length;
  }
  return 1;
}

// The column's SQL type as mariadb-binlog names it (get_type_name); empty for a
// type it does not name.
std::string type_name(const ColumnDef& c, ColumnType t, const uint32_t* charset) {
  const bool text = charset && *charset != kBinary;
  const unsigned maxlen = charset ? max_length(charset_name(*charset)) : 1;
  auto with_fraction = [&](const char* name) {
    return c.meta ? std::string(name) + "(" + std::to_string(c.meta) + ")" : std::string(name);
  };
  switch (t) {
    case ColumnType::kLong:
      return "INT";
    case ColumnType::kTiny:
      return "TINYINT";
    case ColumnType::kShort:
      return "SMALLINT";
    case ColumnType::kInt24:
      return "MEDIUMINT";
    case ColumnType::kLongLong:
      return "BIGINT";
    case ColumnType::kNewDecimal:
      return "DECIMAL(" + std::to_string(c.meta >> 8) + "," + std::to_string(c.meta & 0xff) + ")";
    case ColumnType::kFloat:
      return "FLOAT";
    case ColumnType::kDouble:
      return "DOUBLE";
    case ColumnType::kBit:
      return "BIT(" + std::to_string((c.meta & 0xff) + (c.meta >> 8) * 8) + ")";
    case ColumnType::kTimestamp2:
      return with_fraction("TIMESTAMP");
    case ColumnType::kDateTime2:
      return with_fraction("DATETIME");
    case ColumnType::kTime2:
      return with_fraction("TIME");
    case ColumnType::kNewDate:
    case ColumnType::kDate:
      return "DATE";
    case ColumnType::kYear:
      return "YEAR";
    case ColumnType::kEnum:
      return "ENUM";
    case ColumnType::kSet:
      return "SET";
    case ColumnType::kBlob: {
      static constexpr const char* kSizes[] = {"", "TINY", "", "MEDIUM", "LONG"};
      const char* kind = text ? "TEXT" : "BLOB";
      if (c.meta == 0 || c.meta > 4)
        return std::string("INVALID_") + kind + "(" + std::to_string(c.meta) + ")";
      return std::string(kSizes[c.meta]) + kind;
    }
    case ColumnType::kVarchar:
    case ColumnType::kVarString:
      return text ? "VARCHAR(" + std::to_string(c.meta / maxlen) + ")"
                  : "VARBINARY(" + std::to_string(c.meta) + ")";
    case ColumnType::kString:
      return text ? "CHAR(" + std::to_string(c.meta / maxlen) + ")"
                  : "BINARY(" + std::to_string(c.meta) + ")";
    case ColumnType::kGeometry: {
      static constexpr const char* kNames[] = {
          "GEOMETRY",   "POINT",           "LINESTRING",   "POLYGON",
          "MULTIPOINT", "MULTILINESTRING", "MULTIPOLYGON", "GEOMETRYCOLLECTION"};
      const uint32_t g = c.geometry_type.value_or(0);
      return g < 8 ? kNames[g] : "INVALID_GEOMETRY_TYPE(" + std::to_string(g) + ")";
    }
    default:
      return {};
  }
}

}  // namespace

void append_table_metadata(const TableMapEvent& table, std::string& out) {
  out += "# Columns(";
  const std::size_t n = table.columns.size();
  for (std::size_t i = 0; i < n; ++i) {
    const ColumnDef& c = table.columns[i];
    const ColumnType t = c.real_type;
    const bool enum_or_set = t == ColumnType::kEnum || t == ColumnType::kSet;
    const uint32_t* charset =
        (protocol::is_character(t, /*mariadb=*/true) || enum_or_set) && c.charset ? &*c.charset
                                                                                  : nullptr;
    if (!c.name.empty()) {
      append_escaped_string(out, c.name, '`');
      out += ' ';
    }
    const std::string name = type_name(c, t, charset);
    if (name.empty()) {
      // mariadb-binlog goes on to the next column without a separator.
      out += "INVALID_TYPE(" + std::to_string(static_cast<unsigned>(t)) + ")";
      continue;
    }
    out += name;
    if (protocol::is_numeric(t) && c.is_unsigned && *c.is_unsigned) out += " UNSIGNED";
    if (!c.nullable) out += " NOT NULL";
    if (enum_or_set && !c.enum_values.empty()) {
      char sep = '(';
      for (std::string_view v : c.enum_values) {
        out.push_back(sep);
        append_escaped_string(out, v, '\'');
        sep = ',';
      }
      out.push_back(')');
    }
    if (charset && (enum_or_set || *charset != kBinary)) {
      out.append(" CHARSET ")
          .append(charset_name(*charset))
          .append(" COLLATE ")
          .append(collation_name(*charset));
    }
    if (i != n - 1) out += ",\n#         ";
  }
  out += ")\n";
  if (table.primary_key.empty()) return;
  out += "# Primary Key(";
  for (std::size_t k = 0; k < table.primary_key.size(); ++k) {
    if (k) out += ", ";
    const uint32_t column = table.primary_key[k];
    if (column < n && !table.columns[column].name.empty())
      out.append(table.columns[column].name);
    else
      out += std::to_string(column);
    const uint32_t prefix = k < table.primary_key_prefix.size() ? table.primary_key_prefix[k] : 0;
    if (prefix) out.append("(").append(std::to_string(prefix)).append(")");
  }
  out += ")\n";
}

}  // namespace twinlog
