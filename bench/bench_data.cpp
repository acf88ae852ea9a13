#include "bench/bench_data.h"

#include <cstring>

#include "protocol/event_type.h"
#include "tests/support/event_builder.h"

namespace twinlog::bench {

using protocol::ColumnDef;
using protocol::ColumnType;
using testing::BodyBuilder;

protocol::ColumnDef column(ColumnType type, uint16_t meta) {
  ColumnDef c;
  c.type = c.real_type = type;
  c.meta = meta;
  return c;
}

namespace {

// DECIMAL(p,s) in the server's binary form (decimal2bin): digit groups of 9 in
// 4 bytes big-endian, a leading and a trailing partial group in fewer bytes,
// every byte inverted when negative, then the first byte's top bit flipped.
ByteVec decimal(unsigned precision, unsigned scale, std::string_view integer,
                std::string_view fraction, bool negative = false) {
  static constexpr int kGroupBytes[] = {0, 1, 1, 2, 2, 3, 3, 4, 4, 4};
  const unsigned intg = precision - scale;
  std::string ip(intg - std::min<std::size_t>(intg, integer.size()), '0');
  ip += integer;
  std::string fp(fraction);
  fp.resize(scale, '0');
  BodyBuilder b;
  auto group = [&](std::string_view digits) {
    uint64_t v = 0;
    for (char c : digits) v = v * 10 + static_cast<uint64_t>(c - '0');
    b.be(v, kGroupBytes[digits.size()]);
  };
  const std::size_t lead = intg % 9;
  if (lead) group(std::string_view(ip).substr(0, lead));
  for (std::size_t i = lead; i < ip.size(); i += 9) group(std::string_view(ip).substr(i, 9));
  for (std::size_t i = 0; i + 9 <= fp.size(); i += 9) group(std::string_view(fp).substr(i, 9));
  if (scale % 9) group(std::string_view(fp).substr(scale - scale % 9));
  ByteVec out = b.data();
  if (negative) {
    for (std::byte& x : out) x = ~x;
  }
  out[0] ^= std::byte{0x80};
  return out;
}

// DATETIME2: 40 bits big-endian, 1 sign bit (set) | year*13+month (17) | day (5) |
// hour (5) | minute (6) | second (6), then the fraction in (fsp+1)/2 bytes.
ByteVec datetime2(unsigned fsp, uint64_t y, uint64_t mo, uint64_t d, uint64_t h, uint64_t mi,
                  uint64_t s, uint64_t micros) {
  const uint64_t packed =
      (uint64_t{1} << 39) | ((y * 13 + mo) << 22) | (d << 17) | (h << 12) | (mi << 6) | s;
  BodyBuilder b;
  b.be(packed, 5);
  if (fsp) b.be(micros / (fsp <= 2 ? 10000 : fsp <= 4 ? 100 : 1), static_cast<int>((fsp + 1) / 2));
  return b.data();
}

// TIMESTAMP2: seconds u32 big-endian, then the fraction.
ByteVec timestamp2(unsigned fsp, uint64_t seconds, uint64_t micros) {
  BodyBuilder b;
  b.be(seconds, 4);
  if (fsp) b.be(micros / (fsp <= 2 ? 10000 : fsp <= 4 ? 100 : 1), static_cast<int>((fsp + 1) / 2));
  return b.data();
}

// TIME2 (fsp 0 or 6): 24 bits of 0x800000 + hh:mm:ss packed, or 48 bits of
// 0x800000000000 + (hh:mm:ss << 24 | micros).
ByteVec time2(unsigned fsp, uint64_t h, uint64_t m, uint64_t s, uint64_t micros) {
  const uint64_t hms = (h << 12) | (m << 6) | s;
  BodyBuilder b;
  if (fsp == 0)
    b.be(0x800000 + hms, 3);
  else
    b.be(0x800000000000ULL + ((hms << 24) | micros), 6);
  return b.data();
}

// DATE: 3 bytes little-endian, day | month << 5 | year << 9.
ByteVec date(uint64_t y, uint64_t m, uint64_t d) {
  return BodyBuilder().u24(d | (m << 5) | (y << 9)).data();
}

ByteVec prefixed(int prefix, std::string_view s) {
  return BodyBuilder().le(s.size(), prefix).str(s).data();
}

std::string text(std::size_t n) {
  static constexpr std::string_view kWords = "the quick brown fox jumps over the lazy dog; ";
  std::string s;
  while (s.size() < n) s += kWords;
  s.resize(n);
  return s;
}

ColumnDef string_column(ColumnType real_type, uint16_t meta) {
  ColumnDef c = column(ColumnType::kString, meta);
  c.real_type = real_type;
  return c;
}

BodyBuilder& varlen(BodyBuilder& b, std::size_t n) {
  do {
    const uint8_t low = n & 0x7f;
    n >>= 7;
    b.u8(low | (n ? 0x80 : 0));
  } while (n);
  return b;
}

}  // namespace

// A small object with `members` keys k0.. whose values cycle through int16
// (inlined), int32, double, string, true and a 3-element array.
//   object: count u16 | size u16 | key entries (offset u16, length u16) |
//           value entries (type u8, offset or inlined u16) | keys | values
ByteVec json_document(int members) {
  std::vector<std::string> keys;
  std::size_t key_bytes = 0;
  for (int i = 0; i < members; ++i) {
    keys.push_back(std::to_string(i).insert(0, 1, 'k'));
    key_bytes += keys.back().size();
  }
  const std::size_t header = 4 + static_cast<std::size_t>(members) * (4 + 3);
  BodyBuilder key_entries, value_entries, key_text, values;
  const std::size_t values_at = header + key_bytes;
  std::size_t key_at = header;
  for (int i = 0; i < members; ++i) {
    key_entries.u16(key_at).u16(keys[i].size());
    key_at += keys[i].size();
    key_text.str(keys[i]);
    const std::size_t at = values_at + values.size();
    switch (i % 6) {
      case 0:
        value_entries.u8(0x05).u16(static_cast<uint16_t>(i * 7));
        break;  // int16, inlined
      case 1:
        value_entries.u8(0x07).u16(at);
        values.u32(100000u + static_cast<uint32_t>(i));
        break;
      case 2: {
        const double d = 1.5 + i;
        uint64_t bits;
        std::memcpy(&bits, &d, 8);
        value_entries.u8(0x0b).u16(at);
        values.u64(bits);
        break;
      }
      case 3: {
        const std::string s = "value number " + std::to_string(i);
        value_entries.u8(0x0c).u16(at);
        varlen(values, s.size()).str(s);
        break;
      }
      case 4:
        value_entries.u8(0x04).u16(1);
        break;  // literal true
      default: {
        // array [1, 2, 3] of inlined int16s: count | size | 3 value entries
        value_entries.u8(0x02).u16(at);
        values.u16(3).u16(4 + 3 * 3);
        for (int k = 1; k <= 3; ++k) values.u8(0x05).u16(static_cast<uint16_t>(k));
        break;
      }
    }
  }
  BodyBuilder doc;
  doc.u8(0x00).u16(static_cast<uint64_t>(members)).u16(values_at + values.size());
  doc.bytes(key_entries).bytes(value_entries).bytes(key_text).bytes(values);
  return doc.data();
}

std::vector<SampleColumn> sample_columns() {
  std::vector<SampleColumn> out;
  auto add = [&](std::string name, ColumnDef def, ByteVec cell) {
    out.push_back({std::move(name), std::move(def), std::move(cell)});
  };
  add("TINYINT", column(ColumnType::kTiny), BodyBuilder().u8(0x85));
  add("SMALLINT", column(ColumnType::kShort), BodyBuilder().u16(0x1234));
  add("MEDIUMINT", column(ColumnType::kInt24), BodyBuilder().u24(0x812345));
  add("INT", column(ColumnType::kLong), BodyBuilder().u32(123456789));
  ColumnDef unsigned_bigint = column(ColumnType::kLongLong);
  unsigned_bigint.is_unsigned = true;
  add("BIGINT UNSIGNED", unsigned_bigint, BodyBuilder().u64(0xfedcba9876543210ULL));
  float f = 3.25f;
  uint32_t fbits;
  std::memcpy(&fbits, &f, 4);
  add("FLOAT", column(ColumnType::kFloat, 4), BodyBuilder().u32(fbits));
  double d = 2.718281828459045;
  uint64_t dbits;
  std::memcpy(&dbits, &d, 8);
  add("DOUBLE", column(ColumnType::kDouble, 8), BodyBuilder().u64(dbits));
  add("DECIMAL(10,4)", column(ColumnType::kNewDecimal, (10 << 8) | 4),
      decimal(10, 4, "123456", "789"));
  add("DECIMAL(18,9)", column(ColumnType::kNewDecimal, (18 << 8) | 9),
      decimal(18, 9, "987654321", "123456789", true));
  add("DECIMAL(65,30)", column(ColumnType::kNewDecimal, (65 << 8) | 30),
      decimal(65, 30, "12345678901234567890123456789012345", "000000000012345678901234567890"));
  add("DATE", column(ColumnType::kDate), date(2024, 2, 29));
  add("DATETIME2(0)", column(ColumnType::kDateTime2, 0), datetime2(0, 2024, 2, 29, 23, 59, 58, 0));
  add("DATETIME2(6)", column(ColumnType::kDateTime2, 6),
      datetime2(6, 2001, 2, 3, 10, 20, 30, 123456));
  add("TIMESTAMP2(0)", column(ColumnType::kTimestamp2, 0), timestamp2(0, 1700000000, 0));
  add("TIMESTAMP2(3)", column(ColumnType::kTimestamp2, 3), timestamp2(3, 1700000000, 125000));
  add("TIME2(0)", column(ColumnType::kTime2, 0), time2(0, 12, 34, 56, 0));
  add("TIME2(6)", column(ColumnType::kTime2, 6), time2(6, 838, 59, 59, 999999));
  add("YEAR", column(ColumnType::kYear), BodyBuilder().u8(124));
  add("CHAR(10)", string_column(ColumnType::kString, 40), prefixed(1, "abcdefghij"));
  ColumnDef vc60 = column(ColumnType::kVarchar, 240);
  vc60.charset = 45;  // utf8mb4_general_ci
  add("VARCHAR(60) 20 bytes", vc60, prefixed(1, text(20)));
  add("VARCHAR(300) 200 bytes", column(ColumnType::kVarchar, 300), prefixed(2, text(200)));
  add("BLOB 2000 bytes", column(ColumnType::kBlob, 2), prefixed(2, text(2000)));
  ColumnDef bin = column(ColumnType::kVarchar, 40);
  bin.charset = 63;
  add("VARBINARY(40) 16 bytes", bin, prefixed(1, text(16)));
  add("ENUM", string_column(ColumnType::kEnum, 1), BodyBuilder().u8(2));
  add("SET", string_column(ColumnType::kSet, 1), BodyBuilder().u8(0x05));
  add("BIT(17)", column(ColumnType::kBit, (2 << 8) | 1), BodyBuilder().be(0x1abcd, 3));
  add("BIT(64)", column(ColumnType::kBit, 8 << 8), BodyBuilder().be(0x0123456789abcdefULL, 8));
  {
    const ByteVec doc = json_document(6);
    add("JSON 6 members", column(ColumnType::kJson, 4), BodyBuilder().u32(doc.size()).bytes(doc));
  }
  {
    const ByteVec doc = json_document(60);
    add("JSON 60 members", column(ColumnType::kJson, 4), BodyBuilder().u32(doc.size()).bytes(doc));
  }
  return out;
}

SampleTable sample_table() {
  SampleTable t;
  t.map.table_id = 42;
  t.map.database = "test";
  t.map.table = "wl_mixed";
  auto add = [&](std::string name, ColumnDef def, ByteVec value) {
    t.names.push_back(std::move(name));
    t.map.columns.push_back(std::move(def));
    t.values.push_back(std::move(value));
  };
  add("id", column(ColumnType::kLongLong), BodyBuilder().u64(1000001));
  add("i", column(ColumnType::kLong), BodyBuilder().u32(static_cast<uint32_t>(-42)));
  add("si", column(ColumnType::kShort), BodyBuilder().u16(321));
  add("d10_4", column(ColumnType::kNewDecimal, (10 << 8) | 4), decimal(10, 4, "123456", "789"));
  add("d18_9", column(ColumnType::kNewDecimal, (18 << 8) | 9), decimal(18, 9, "4321", "5", true));
  double d = 1234.5678;
  uint64_t dbits;
  std::memcpy(&dbits, &d, 8);
  add("db", column(ColumnType::kDouble, 8), BodyBuilder().u64(dbits));
  add("dt", column(ColumnType::kDateTime2, 0), datetime2(0, 2024, 5, 17, 8, 30, 0, 0));
  add("ts", column(ColumnType::kTimestamp2, 3), timestamp2(3, 1715934600, 250000));
  add("t", column(ColumnType::kTime2, 0), time2(0, 8, 30, 0, 0));
  add("d", column(ColumnType::kDate), date(2024, 5, 17));
  ColumnDef vc = column(ColumnType::kVarchar, 300);
  vc.charset = 8;  // latin1
  add("vc", vc, prefixed(2, text(40)));
  ColumnDef vcu = column(ColumnType::kVarchar, 240);
  vcu.charset = 45;
  add("vcu", vcu, prefixed(1, text(20)));
  ColumnDef txt = column(ColumnType::kBlob, 2);
  txt.charset = 45;
  add("txt", txt, prefixed(2, text(200)));
  add("e", string_column(ColumnType::kEnum, 1), BodyBuilder().u8(2));
  add("st", string_column(ColumnType::kSet, 1), BodyBuilder().u8(0x05));
  add("b", column(ColumnType::kBit, (2 << 8) | 1), BodyBuilder().be(0x1abcd, 3));
  for (std::size_t i = 0; i < t.names.size(); ++i) t.map.columns[i].name = t.names[i];
  return t;
}

SampleRows sample_rows(const SampleTable& table, int rows) {
  SampleRows out;
  const std::size_t n = table.map.columns.size();
  out.bitmap.assign((n + 7) / 8, std::byte{0xff});
  for (int r = 0; r < rows; ++r) {
    BodyBuilder row;
    for (std::size_t k = 0; k < (n + 7) / 8; ++k) row.u8(0);  // no NULLs
    for (const ByteVec& v : table.values) row.bytes(v);
    out.rows.insert(out.rows.end(), row.data().begin(), row.data().end());
  }
  out.event.kind = protocol::RowsKind::kWrite;
  out.event.table_id = table.map.table_id;
  out.event.flags = 1;
  out.event.column_count = n;
  out.event.columns_before = {out.bitmap.data(), out.bitmap.size()};
  out.event.rows = {out.rows.data(), out.rows.size()};
  return out;
}

namespace {

// The TABLE_MAP of the sample table: every column nullable.
ByteVec table_map_body(const SampleTable& t) {
  BodyBuilder types;
  BodyBuilder meta;
  for (const ColumnDef& c : t.map.columns) {
    types.u8(static_cast<uint8_t>(c.type));
    switch (c.type) {
      case ColumnType::kDouble:
      case ColumnType::kFloat:
      case ColumnType::kBlob:
      case ColumnType::kJson:
      case ColumnType::kDateTime2:
      case ColumnType::kTimestamp2:
      case ColumnType::kTime2:
        meta.u8(c.meta);
        break;
      case ColumnType::kVarchar:
        meta.u16(c.meta);
        break;
      case ColumnType::kNewDecimal:  // precision, scale
        meta.u8(c.meta >> 8).u8(c.meta & 0xff);
        break;
      case ColumnType::kBit:  // bits beyond whole bytes, then whole bytes
        meta.u8(c.meta & 0xff).u8(c.meta >> 8);
        break;
      case ColumnType::kString:
        meta.u8(static_cast<uint8_t>(c.real_type)).u8(c.meta);
        break;
      default:
        break;
    }
  }
  const ByteVec nulls((t.map.columns.size() + 7) / 8, std::byte{0xff});
  return testing::table_map_body({.table_id = t.map.table_id,
                                  .db = t.map.database,
                                  .table = t.map.table,
                                  .types = types,
                                  .meta = meta,
                                  .nulls = nulls});
}

}  // namespace

ByteVec sample_binlog(std::size_t bytes) {
  using protocol::EventType;
  const SampleTable table = sample_table();
  // About 8 KiB of rows per WRITE_ROWS event, as the server splits them.
  const ByteVec row_bytes = sample_rows(table, 1).rows;
  const int rows_per_event = static_cast<int>(8000 / row_bytes.size());
  const SampleRows rows = sample_rows(table, rows_per_event);
  const ByteVec map = table_map_body(table);
  std::vector<ByteVec> events = {testing::make_fde("10.11.6-MariaDB-log")};
  std::size_t total = 4 + events.back().size();
  uint64_t seq = 1;
  do {
    testing::HeaderFields h;
    h.timestamp = 1715934600 + static_cast<uint32_t>(seq / 100);
    events.push_back(testing::maria_gtid_event(seq++, 0, 0, h));
    events.push_back(testing::make_event(EventType::kTableMap, map, h));
    for (int e = 0; e < 4; ++e) {
      // The statement ends with the last event (STMT_END_F).
      events.push_back(testing::rows_event(EventType::kWriteRows,
                                           {.table_id = table.map.table_id,
                                            .flags = static_cast<uint16_t>(e == 3 ? 1 : 0),
                                            .columns = table.map.columns.size(),
                                            .present = rows.bitmap,
                                            .rows = rows.rows},
                                           h));
    }
    events.push_back(testing::xid_event(seq, h));
    for (std::size_t i = events.size() - 7; i < events.size(); ++i) total += events[i].size();
  } while (total < bytes);
  return testing::make_binlog(events);
}

}  // namespace twinlog::bench
