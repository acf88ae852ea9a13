#include "protocol/column_type.h"

namespace twinlog::protocol {
namespace {

// Each type has two names because two outputs show them and each must stay as it
// is: decode errors name the servers' type ("truncated SMALLINT value", the names
// of enum_field_types), while decode's -vv comments repeat mysqlbinlog's own names
// byte for byte (it says SHORTINT and LONGINT, and VARSTRING for both VARCHAR
// and VAR_STRING). For the types with a parameter, the mysqlbinlog name is the stem
// column_type_text completes.
struct TypeNames {
  uint8_t code;
  std::string_view server;
  std::string_view mysqlbinlog;
};

constexpr uint8_t code(ColumnType t) {
  return static_cast<uint8_t>(t);
}

constexpr TypeNames kTypeNames[] = {
    {code(ColumnType::kDecimal), "DECIMAL", "DECIMAL"},
    {code(ColumnType::kTiny), "TINYINT", "TINYINT"},
    {code(ColumnType::kShort), "SMALLINT", "SHORTINT"},
    {code(ColumnType::kLong), "INT", "INT"},
    {code(ColumnType::kFloat), "FLOAT", "FLOAT"},
    {code(ColumnType::kDouble), "DOUBLE", "DOUBLE"},
    {code(ColumnType::kNull), "NULL", "NULL"},
    {code(ColumnType::kTimestamp), "TIMESTAMP", "TIMESTAMP"},
    {code(ColumnType::kLongLong), "BIGINT", "LONGINT"},
    {code(ColumnType::kInt24), "MEDIUMINT", "MEDIUMINT"},
    {code(ColumnType::kDate), "DATE", "DATE"},
    {code(ColumnType::kTime), "TIME", "TIME"},
    {code(ColumnType::kDateTime), "DATETIME", "DATETIME"},
    {code(ColumnType::kYear), "YEAR", "YEAR"},
    {code(ColumnType::kNewDate), "DATE", "DATE"},
    {code(ColumnType::kVarchar), "VARCHAR", "VARSTRING"},
    {code(ColumnType::kBit), "BIT", "BIT"},
    {code(ColumnType::kTimestamp2), "TIMESTAMP2", "TIMESTAMP"},
    {code(ColumnType::kDateTime2), "DATETIME2", "DATETIME"},
    {code(ColumnType::kTime2), "TIME2", "TIME"},
    {code(ColumnType::kTypedArray), "TYPED_ARRAY", "TYPED_ARRAY"},
    {code(ColumnType::kVector), "VECTOR", "VECTOR"},
    {code(ColumnType::kInvalid), "INVALID", "INVALID"},
    {code(ColumnType::kBool), "BOOL", "BOOL"},
    {code(ColumnType::kJson), "JSON", "JSON"},
    {code(ColumnType::kNewDecimal), "NEWDECIMAL", "DECIMAL"},
    {code(ColumnType::kEnum), "ENUM", "ENUM"},
    {code(ColumnType::kSet), "SET", "SET"},
    // mysqlbinlog names a BLOB by its length bytes, not by its type code: see blob_text.
    {code(ColumnType::kTinyBlob), "TINYBLOB", "TINYBLOB/TINYTEXT"},
    {code(ColumnType::kMediumBlob), "MEDIUMBLOB", "MEDIUMBLOB/MEDIUMTEXT"},
    {code(ColumnType::kLongBlob), "LONGBLOB", "LONGBLOB/LONGTEXT"},
    {code(ColumnType::kBlob), "BLOB", "BLOB/TEXT"},
    {code(ColumnType::kVarString), "VAR_STRING", "VARSTRING"},
    {code(ColumnType::kString), "STRING", "STRING"},
    {code(ColumnType::kGeometry), "GEOMETRY", "GEOMETRY"},
    // mysqlbinlog names these as their uncompressed layout, then " COMPRESSED".
    {kMariaBlobCompressed, "BLOB COMPRESSED", ""},
    {kMariaVarcharCompressed, "VARCHAR COMPRESSED", ""},
};

const TypeNames* names_of(uint8_t c) {
  for (const TypeNames& n : kTypeNames) {
    if (n.code == c) return &n;
  }
  return nullptr;
}

std::string mysqlbinlog_name(ColumnType t) {
  return std::string(names_of(code(t))->mysqlbinlog);
}

// The BLOB whose length takes `bytes` bytes, as mysqlbinlog names it.
std::string blob_text(unsigned bytes) {
  switch (bytes) {
    case 1:
      return mysqlbinlog_name(ColumnType::kTinyBlob);
    case 2:
      return mysqlbinlog_name(ColumnType::kBlob);
    case 3:
      return mysqlbinlog_name(ColumnType::kMediumBlob);
    case 4:
      return mysqlbinlog_name(ColumnType::kLongBlob);
    default:
      return "BLOB(" + std::to_string(bytes) + " length bytes)";
  }
}

std::string with_parameter(ColumnType t, const std::string& parameter) {
  return mysqlbinlog_name(t) + "(" + parameter + ")";
}

}  // namespace

std::string_view column_type_server_name(uint8_t c) {
  const TypeNames* n = names_of(c);
  return n ? n->server : "unknown type";
}

std::string column_type_text(const ColumnDef& column) {
  const unsigned meta = column.meta;
  const auto raw_code = static_cast<uint8_t>(column.type);
  if (raw_code == kMariaBlobCompressed) return blob_text(meta) + " COMPRESSED";
  if (raw_code == kMariaVarcharCompressed)
    return with_parameter(ColumnType::kVarchar, std::to_string(meta)) + " COMPRESSED";
  const ColumnType type = effective_type(column);
  switch (type) {
    case ColumnType::kVarchar:
    case ColumnType::kVarString:
    case ColumnType::kString:
    case ColumnType::kTimestamp2:
    case ColumnType::kDateTime2:
    case ColumnType::kTime2:
      return with_parameter(type, std::to_string(meta));
    case ColumnType::kBit:
      return with_parameter(type, std::to_string((meta >> 8) * 8 + (meta & 0xff)));
    case ColumnType::kNewDecimal:
      return with_parameter(type, std::to_string(meta >> 8) + "," + std::to_string(meta & 0xff));
    case ColumnType::kEnum:
      return with_parameter(type, meta == 1 ? "1 byte" : std::to_string(meta) + " bytes");
    case ColumnType::kSet:
      return with_parameter(type, std::to_string(meta) + " bytes");
    case ColumnType::kTinyBlob:
    case ColumnType::kMediumBlob:
    case ColumnType::kLongBlob:
    case ColumnType::kBlob:
      return blob_text(meta);
    case ColumnType::kVector:
      return column.vector_dimensions
                 ? with_parameter(type, std::to_string(*column.vector_dimensions))
                 : mysqlbinlog_name(type);
    default:
      break;
  }
  const TypeNames* n = names_of(code(type));
  if (n && !n->mysqlbinlog.empty()) return std::string(n->mysqlbinlog);
  return "TYPE(" + std::to_string(raw_code) + ")";
}

bool is_numeric(ColumnType t) {
  switch (t) {
    case ColumnType::kTiny:
    case ColumnType::kShort:
    case ColumnType::kInt24:
    case ColumnType::kLong:
    case ColumnType::kLongLong:
    case ColumnType::kNewDecimal:
    case ColumnType::kFloat:
    case ColumnType::kDouble:
      return true;
    default:
      return false;
  }
}
bool is_character(ColumnType t, bool mariadb) {
  switch (t) {
    case ColumnType::kString:
    case ColumnType::kVarString:
    case ColumnType::kVarchar:
    case ColumnType::kBlob:
      return true;
    case ColumnType::kVector:
      return !mariadb;
    case ColumnType::kGeometry:
      return mariadb;
    default:
      return false;
  }
}
bool is_enum_or_set(ColumnType t) {
  return t == ColumnType::kEnum || t == ColumnType::kSet;
}

}  // namespace twinlog::protocol
