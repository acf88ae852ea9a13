// Facts about a column type code that the table map, the row images and the
// renderings all need: MariaDB's compressed column codes, the type a STRING column
// really has, and the two names of every type.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "protocol/events.h"

namespace twinlog::protocol {

// MariaDB's compressed columns (column compression, ROW format) keep their own codes
// in the table map, outside ColumnType: BLOB_COMPRESSED is laid out like BLOB and
// VARCHAR_COMPRESSED like VARCHAR, the bytes being compressed.
inline constexpr uint8_t kMariaBlobCompressed = 140;
inline constexpr uint8_t kMariaVarcharCompressed = 141;

inline bool is_maria_compressed(const ColumnDef& c) {
  const auto code = static_cast<uint8_t>(c.type);
  return code == kMariaBlobCompressed || code == kMariaVarcharCompressed;
}

// STRING (254) columns carry their real type (ENUM, SET, STRING) in the metadata.
inline ColumnType effective_type(const ColumnDef& c) {
  return c.type == ColumnType::kString && c.real_type != ColumnType::kNull ? c.real_type : c.type;
}

// The servers' name of a type code (enum_field_types without MYSQL_TYPE_: "SMALLINT",
// "NEWDECIMAL", "TIMESTAMP2"), as decode errors name it; "unknown type" otherwise.
std::string_view column_type_server_name(uint8_t code);

// mysqlbinlog's type description in -vv comments (log_event_print_value), e.g.
// "SHORTINT", "VARSTRING(255)", "DECIMAL(10,2)", "TIMESTAMP(6)".
std::string column_type_text(const ColumnDef& column);

// Column classes the table map's optional metadata counts over, by resolved real
// type, as the servers' writers and mysqlbinlog do (sql/log_event.cc
// is_numeric_type, is_character_type, is_enum_or_set_type). MySQL counts VECTOR
// as character data, MariaDB counts GEOMETRY.
bool is_numeric(ColumnType t);
bool is_character(ColumnType t, bool mariadb);
bool is_enum_or_set(ColumnType t);

}  // namespace twinlog::protocol
