// TABLE_MAP and the rows events' framing (post-header, column count, bitmaps).
// The row images themselves stay raw here; row_image.cpp walks them.
#include <optional>
#include <string>

#include "protocol/column_type.h"
#include "protocol/events.h"
#include "protocol/table_map.h"

namespace twinlog::protocol {
namespace {

constexpr std::size_t kTableMapPostHeader = 8;
constexpr std::size_t kRowsV1PostHeader = 8;
constexpr std::size_t kRowsV2PostHeader = 10;

// Optional metadata field types (Table_map_event::Optional_metadata_field_type).
enum OptionalMetadata : uint8_t {
  kSignedness = 1,
  kDefaultCharset = 2,
  kColumnCharset = 3,
  kColumnName = 4,
  kSetStrValue = 5,
  kEnumStrValue = 6,
  kGeometryType = 7,
  kSimplePrimaryKey = 8,
  kPrimaryKeyWithPrefix = 9,
  kEnumAndSetDefaultCharset = 10,
  kEnumAndSetColumnCharset = 11,
  kColumnVisibility = 12,
  kVectorDimensionality = 13,
};

// Reads one column's type metadata into def.meta / def.real_type (see ColumnType in
// events.h). Unlisted types carry no metadata.
void read_column_meta(ByteReader& r, ColumnDef& def) {
  def.real_type = def.type;
  const auto code = static_cast<uint8_t>(def.type);
  if (code == kMariaBlobCompressed) {
    def.meta = r.u8("BLOB_COMPRESSED metadata");
    return;
  }
  if (code == kMariaVarcharCompressed) {
    def.meta = r.u16("VARCHAR_COMPRESSED metadata");
    return;
  }
  switch (def.type) {
    case ColumnType::kFloat:
    case ColumnType::kDouble:
    case ColumnType::kTimestamp2:
    case ColumnType::kDateTime2:
    case ColumnType::kTime2:
    case ColumnType::kBlob:
    case ColumnType::kTinyBlob:
    case ColumnType::kMediumBlob:
    case ColumnType::kLongBlob:
    case ColumnType::kGeometry:
    case ColumnType::kJson:
    case ColumnType::kVector:
      def.meta = r.u8("column metadata");
      break;
    case ColumnType::kVarchar:
      def.meta = r.u16("column metadata");
      break;
    case ColumnType::kVarString: {
      // Only old (pre-5.0.3) VARCHAR columns, which the server keeps as a CHAR-like
      // field: it writes them as STRING does (Field_string::do_save_field_metadata).
      const uint8_t b0 = r.u8("VAR_STRING metadata");
      const uint8_t b1 = r.u8("VAR_STRING metadata");
      def.meta = static_cast<uint16_t>((((b0 & 0x30) ^ 0x30) << 4) | b1);
      break;
    }
    case ColumnType::kBit: {
      const uint16_t bits = r.u8("BIT metadata");
      const uint16_t bytes = r.u8("BIT metadata");
      def.meta = static_cast<uint16_t>((bytes << 8) | bits);
      break;
    }
    case ColumnType::kNewDecimal: {
      const uint16_t precision = r.u8("NEWDECIMAL metadata");
      const uint16_t scale = r.u8("NEWDECIMAL metadata");
      def.meta = static_cast<uint16_t>((precision << 8) | scale);
      break;
    }
    case ColumnType::kString:
    case ColumnType::kEnum:
    case ColumnType::kSet: {
      const uint8_t b0 = r.u8("STRING metadata");
      const uint8_t b1 = r.u8("STRING metadata");
      // The real type's 0x30 bits carry bits 8-9 of a long CHAR's length, inverted.
      const auto real = static_cast<ColumnType>(b0 | 0x30);
      if (real == ColumnType::kEnum || real == ColumnType::kSet) {
        def.real_type = real;
        def.meta = b1;
      } else {
        def.real_type = ColumnType::kString;
        def.meta = static_cast<uint16_t>((((b0 & 0x30) ^ 0x30) << 4) | b1);
      }
      break;
    }
    default:
      break;
  }
}

// A bitmap of `count` bits, most significant bit first (optional metadata bitmaps).
bool msb_bit(Bytes bitmap, std::size_t i) {
  return (std::to_integer<uint8_t>(bitmap[i / 8]) >> (7 - i % 8)) & 1;
}

// Column indexes of the columns in class `pred`, in order.
template <class Pred>
std::vector<std::size_t> columns_where(const std::vector<ColumnDef>& cols, Pred pred) {
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < cols.size(); ++i) {
    if (pred(cols[i])) out.push_back(i);
  }
  return out;
}

// DEFAULT_CHARSET and ENUM_AND_SET_DEFAULT_CHARSET: default collation (packed), then
// pairs (index among the class's columns, collation), both packed.
void read_default_charset(ByteReader& r, std::vector<ColumnDef>& cols,
                          const std::vector<std::size_t>& members) {
  const uint64_t def = r.packed_int("default charset");
  if (r.failed()) return;
  for (std::size_t idx : members) cols[idx].charset = static_cast<uint32_t>(def);
  while (!r.failed() && !r.at_end()) {
    const uint64_t at = r.absolute();
    const uint64_t index = r.packed_int("charset column index");
    const uint64_t collation = r.packed_int("charset collation");
    if (r.failed()) return;
    if (index >= members.size()) {
      r.fail("charset exception for column " + std::to_string(index) + " of " +
             std::to_string(members.size()) + " at " + std::to_string(at));
      return;
    }
    cols[members[index]].charset = static_cast<uint32_t>(collation);
  }
}

// COLUMN_CHARSET and ENUM_AND_SET_COLUMN_CHARSET: one packed collation per member.
void read_column_charset(ByteReader& r, std::vector<ColumnDef>& cols,
                         const std::vector<std::size_t>& members) {
  for (std::size_t idx : members) {
    if (r.failed() || r.at_end()) break;
    cols[idx].charset = static_cast<uint32_t>(r.packed_int("column charset"));
  }
}

// SET_STR_VALUE / ENUM_STR_VALUE: per member column: count (packed), then count
// strings each with a packed length.
void read_str_values(ByteReader& r, std::vector<ColumnDef>& cols,
                     const std::vector<std::size_t>& members) {
  for (std::size_t idx : members) {
    if (r.failed() || r.at_end()) break;
    const uint64_t count = r.packed_int("value count");
    for (uint64_t k = 0; k < count && !r.failed(); ++k) {
      const uint64_t len = r.packed_int("value length");
      cols[idx].enum_values.push_back(r.chars(len, "enum/set value"));
    }
  }
}

// Optional metadata: type u8 | length (packed) | value, repeated to the end.
// Unknown types are skipped by their length.
void read_optional_metadata(ByteReader& outer, TableMapEvent& e, bool mariadb) {
  auto& cols = e.columns;
  while (!outer.failed() && !outer.at_end()) {
    const uint8_t type = outer.u8("optional metadata type");
    const uint64_t length = outer.packed_int("optional metadata length");
    const uint64_t value_at = outer.absolute();
    Bytes value = outer.bytes(length, "optional metadata value");
    if (outer.failed()) return;
    ByteReader r(value, value_at);
    switch (type) {
      case kSignedness: {
        auto members =
            columns_where(cols, [](const ColumnDef& c) { return is_numeric(c.real_type); });
        if (value.size() * 8 < members.size()) {
          r.fail("SIGNEDNESS bitmap of " + std::to_string(value.size()) + " bytes for " +
                 std::to_string(members.size()) + " numeric columns");
          break;
        }
        for (std::size_t k = 0; k < members.size(); ++k)
          cols[members[k]].is_unsigned = msb_bit(value, k);
        r.skip(value.size());
        break;
      }
      case kDefaultCharset:
        read_default_charset(r, cols, columns_where(cols, [mariadb](const ColumnDef& c) {
                               return is_character(c.real_type, mariadb);
                             }));
        break;
      case kColumnCharset:
        read_column_charset(r, cols, columns_where(cols, [mariadb](const ColumnDef& c) {
                              return is_character(c.real_type, mariadb);
                            }));
        break;
      case kColumnName:
        for (auto& c : cols) {
          if (r.failed() || r.at_end()) break;
          c.name = r.chars(r.packed_int("column name length"), "column name");
        }
        break;
      case kSetStrValue:
        read_str_values(r, cols, columns_where(cols, [](const ColumnDef& c) {
                          return c.real_type == ColumnType::kSet;
                        }));
        break;
      case kEnumStrValue:
        read_str_values(r, cols, columns_where(cols, [](const ColumnDef& c) {
                          return c.real_type == ColumnType::kEnum;
                        }));
        break;
      case kGeometryType:
        for (std::size_t idx : columns_where(
                 cols, [](const ColumnDef& c) { return c.real_type == ColumnType::kGeometry; })) {
          if (r.failed() || r.at_end()) break;
          cols[idx].geometry_type = static_cast<uint32_t>(r.packed_int("geometry type"));
        }
        break;
      case kSimplePrimaryKey:
        while (!r.failed() && !r.at_end()) {
          e.primary_key.push_back(static_cast<uint32_t>(r.packed_int("primary key column")));
          e.primary_key_prefix.push_back(0);
        }
        break;
      case kPrimaryKeyWithPrefix:
        while (!r.failed() && !r.at_end()) {
          e.primary_key.push_back(static_cast<uint32_t>(r.packed_int("primary key column")));
          e.primary_key_prefix.push_back(static_cast<uint32_t>(r.packed_int("primary key prefix")));
        }
        break;
      case kEnumAndSetDefaultCharset:
        read_default_charset(r, cols, columns_where(cols, [](const ColumnDef& c) {
                               return is_enum_or_set(c.real_type);
                             }));
        break;
      case kEnumAndSetColumnCharset:
        read_column_charset(r, cols, columns_where(cols, [](const ColumnDef& c) {
                              return is_enum_or_set(c.real_type);
                            }));
        break;
      case kColumnVisibility:
        if (value.size() * 8 < cols.size()) {
          r.fail("COLUMN_VISIBILITY bitmap too short for " + std::to_string(cols.size()) +
                 " columns");
          break;
        }
        for (std::size_t k = 0; k < cols.size(); ++k) cols[k].visible = msb_bit(value, k);
        r.skip(value.size());
        break;
      case kVectorDimensionality:
        for (std::size_t idx : columns_where(
                 cols, [](const ColumnDef& c) { return c.real_type == ColumnType::kVector; })) {
          if (r.failed() || r.at_end()) break;
          cols[idx].vector_dimensions =
              static_cast<uint32_t>(r.packed_int("vector dimensionality"));
        }
        break;
      default:
        r.skip(value.size());  // a newer server's field: its length says where the next begins
        break;
    }
    if (r.failed()) {
      outer.fail(r.error().message + " (optional metadata type " + std::to_string(type) +
                 " at offset " + std::to_string(r.error().offset) + ")");
      return;
    }
    if (!r.at_end()) {
      outer.fail("optional metadata type " + std::to_string(type) + " has " +
                 std::to_string(r.remaining()) + " unread bytes at offset " +
                 std::to_string(r.absolute()));
      return;
    }
  }
}

std::size_t table_id_length(std::size_t post_header_len) {
  return post_header_len == 6 ? 4 : 6;
}

Result<Event> decode_table_map(const EventView& view, const FormatDescription& format) {
  TableMapEvent e;
  if (auto error = decode_table_map_into(view, format, e)) return std::move(*error);
  return Event{std::move(e)};
}

uint8_t rows_version(uint8_t code) {
  switch (static_cast<EventType>(code)) {
    case EventType::kPreGaWriteRows:
    case EventType::kPreGaUpdateRows:
    case EventType::kPreGaDeleteRows:
      return 0;
    case EventType::kWriteRowsV1:
    case EventType::kUpdateRowsV1:
    case EventType::kDeleteRowsV1:
    case EventType::kMariaWriteRowsCompressedV1:
    case EventType::kMariaUpdateRowsCompressedV1:
    case EventType::kMariaDeleteRowsCompressedV1:
      return 1;
    default:
      return 2;
  }
}

// Rows events:
//   post-header: table_id (6 bytes; 4 when the post-header is 6) | flags u16 |
//     v2: extra_len u16 (counts itself) | extra data[extra_len - 2]
//   column_count (packed) | columns bitmap[(column_count + 7) / 8] |
//   UPDATE, PARTIAL_UPDATE: after-image columns bitmap | row images (to the end)
Result<Event> decode_rows(const EventView& view, const FormatDescription& format, RowsKind kind) {
  const uint8_t code = view.header.type_code;
  RowsEvent e;
  e.kind = kind;
  e.version = rows_version(code);
  std::size_t ph = format.post_header_length(code);
  if (ph == 0) ph = e.version == 2 ? kRowsV2PostHeader : kRowsV1PostHeader;
  const std::size_t id_len = table_id_length(ph);
  ByteReader r(view.body, view.body_offset());
  e.table_id = r.uint_n(id_len, "table id");
  e.flags = r.u16("rows flags");
  std::size_t known = id_len + 2;
  if (e.version == 2) {
    const uint64_t at = r.absolute();
    const uint16_t extra_len = r.u16("extra data length");
    known += 2;
    if (ph > known) r.skip(ph - known, "rest of post-header");
    if (r.failed()) return r.error();
    if (extra_len < 2) {
      return DecodeError{at, "rows extra data length " + std::to_string(extra_len) +
                                 " is below 2 (it counts itself)"};
    }
    e.extra_data = r.bytes(extra_len - 2u, "rows extra data");
  } else if (ph > known) {
    r.skip(ph - known, "rest of post-header");
  }
  e.column_count = r.packed_int("column count");
  if (r.failed()) return r.error();
  const uint64_t bitmap_len = (e.column_count + 7) / 8;
  e.columns_before = r.bytes(bitmap_len, "columns bitmap");
  if (e.has_two_images()) e.columns_after = r.bytes(bitmap_len, "after-image columns bitmap");
  e.rows = r.rest();
  if (r.failed()) return r.error();
  return Event{e};
}

}  // namespace

// TABLE_MAP:
//   post-header: table_id (6 bytes; 4 when the post-header is 6) | flags u16
//   db_len u8 | db | NUL | table_len u8 | table | NUL | column_count (packed) |
//   types[column_count] | metadata_len (packed) | metadata[metadata_len] |
//   null bitmap[(column_count + 7) / 8] (bit i % 8 of byte i / 8) |
//   optional metadata TLVs (to the end)
namespace {

std::size_t table_map_id_length(const FormatDescription& format) {
  std::size_t ph = format.post_header_length(static_cast<uint8_t>(EventType::kTableMap));
  return table_id_length(ph == 0 ? kTableMapPostHeader : ph);
}

}  // namespace

std::optional<uint64_t> table_map_id(const EventView& view, const FormatDescription& format) {
  ByteReader r(view.body, view.body_offset());
  const uint64_t id = r.uint_n(table_map_id_length(format), "table id");
  if (r.failed()) return std::nullopt;
  return id;
}

std::optional<DecodeError> decode_table_map_into(const EventView& view,
                                                 const FormatDescription& format,
                                                 TableMapEvent& e) {
  ByteReader r(view.body, view.body_offset());
  std::size_t ph = format.post_header_length(static_cast<uint8_t>(EventType::kTableMap));
  if (ph == 0) ph = kTableMapPostHeader;
  const std::size_t id_len = table_id_length(ph);
  {
    // Every field as a new map's, the vectors' buffers kept.
    std::vector<ColumnDef> columns = std::move(e.columns);
    std::vector<uint32_t> key = std::move(e.primary_key);
    std::vector<uint32_t> prefix = std::move(e.primary_key_prefix);
    columns.clear();
    key.clear();
    prefix.clear();
    e = TableMapEvent{};
    e.columns = std::move(columns);
    e.primary_key = std::move(key);
    e.primary_key_prefix = std::move(prefix);
  }
  e.table_id = r.uint_n(id_len, "table id");
  e.flags = r.u16("table map flags");
  if (ph > id_len + 2) r.skip(ph - id_len - 2, "rest of post-header");
  e.database = r.lstring8("database name");
  if (r.u8("database name terminator") != 0 && !r.failed())
    r.fail("database name not NUL-terminated");
  e.table = r.lstring8("table name");
  if (r.u8("table name terminator") != 0 && !r.failed()) r.fail("table name not NUL-terminated");
  const uint64_t count = r.packed_int("column count");
  Bytes types = r.bytes(count, "column types");
  if (r.failed()) return r.error();
  e.columns.resize(count);
  for (std::size_t i = 0; i < count; ++i) {
    e.columns[i].type = static_cast<ColumnType>(std::to_integer<uint8_t>(types[i]));
  }
  // MySQL 5.1.15 to 5.1.17 wrote table maps that end after the column types: no
  // metadata and no null bitmap (the servers read both only when bytes remain).
  // Later servers always write both, so there a short body stays an error.
  if (r.at_end() && !format.is_mariadb() && !format.version.at_least(5, 1, 18)) {
    e.has_column_metadata = false;
    return std::nullopt;
  }
  const uint64_t meta_len = r.packed_int("metadata length");
  const uint64_t meta_at = r.absolute();
  Bytes meta = r.bytes(meta_len, "column metadata");
  if (r.failed()) return r.error();
  ByteReader m(meta, meta_at);
  for (auto& c : e.columns) read_column_meta(m, c);
  if (m.failed()) return m.error();
  if (!m.at_end()) {
    return DecodeError{m.absolute(), "column metadata has " + std::to_string(m.remaining()) +
                                         " bytes the column types do not account for"};
  }
  Bytes nulls = r.bytes((count + 7) / 8, "null bitmap");
  if (r.failed()) return r.error();
  for (std::size_t i = 0; i < count; ++i) {
    e.columns[i].nullable = (std::to_integer<uint8_t>(nulls[i / 8]) >> (i % 8)) & 1;
  }
  e.optional_metadata = r.rest();
  read_optional_metadata(r, e, format.is_mariadb());
  if (r.failed()) return r.error();
  return std::nullopt;
}

Result<Event> decode_rows_family_event(const EventView& view, const FormatDescription& format) {
  const uint8_t code = view.header.type_code;
  if (code == static_cast<uint8_t>(EventType::kTableMap)) return decode_table_map(view, format);
  if (auto kind = rows_kind_of(code)) return decode_rows(view, format, *kind);
  return DecodeError{view.offset, "not a rows event: type " + std::to_string(code)};
}

}  // namespace twinlog::protocol
