// TABLE_MAP: column types and metadata, null bitmap, every optional metadata
// field, bad input, and real table maps (MINIMAL and FULL row metadata).
#include <gtest/gtest.h>

#include "protocol/events.h"
#include "tests/support/event_builder.h"
#include "tests/support/event_decode.h"

namespace twinlog::protocol {
namespace {

using testing::as;
using testing::BodyBuilder;
using testing::ByteVec;
using testing::check_truncations;
using testing::decode_built;
using testing::mariadb1011;
using testing::mysql80;

// db.t with the columns of `types` / `meta` / `nulls`, then `optional` metadata.
ByteVec table_map_body(const ByteVec& types, const ByteVec& meta, const ByteVec& nulls,
                       const ByteVec& optional = {}, uint64_t table_id = 0x123456789abc) {
  return testing::table_map_body({table_id, 1, "db", "t", types, meta, nulls, optional});
}

ByteVec raw(std::initializer_list<int> b) {
  return testing::byte_vec(b);
}

TEST(TableMap, EveryColumnTypeAndItsMetadata) {
  // 20 columns, one per metadata shape.
  const ByteVec types =
      raw({1, 2, 3, 8, 9, 246, 4, 5, 15, 253, 16, 17, 18, 19, 252, 245, 255, 254, 254, 254});
  // clang-format off
  const ByteVec meta = BodyBuilder()
                           .raw({10, 2})              // NEWDECIMAL(10,2)
                           .u8(4).u8(8)               // FLOAT, DOUBLE
                           .u16(1020)                 // VARCHAR
                           .raw({0xee, 0x2c})         // VAR_STRING(300), written as STRING
                           .u8(3).u8(2)               // BIT(19): 3 bits, 2 bytes
                           .u8(3).u8(6).u8(0)         // TIMESTAMP2(3), DATETIME2(6), TIME2(0)
                           .u8(4)                     // LONGBLOB
                           .u8(4)                     // JSON
                           .u8(4)                     // GEOMETRY
                           .raw({0xf7, 2})            // ENUM, 2 bytes
                           .raw({0xf8, 8})            // SET, 8 bytes
                           .raw({0xde, 0x00})         // CHAR(512): long length bits in b0
                           .data();
  // clang-format on
  auto body = table_map_body(types, meta, raw({0x0f, 0x00, 0x0c}));
  auto r = decode_built(EventType::kTableMap, body, mysql80());
  const auto& e = as<TableMapEvent>(r);
  EXPECT_EQ(e.table_id, 0x123456789abcu);
  EXPECT_EQ(e.flags, 1);
  EXPECT_EQ(e.database, "db");
  EXPECT_EQ(e.table, "t");
  ASSERT_EQ(e.columns.size(), 20u);
  const auto& c = e.columns;
  for (int i : {0, 1, 2, 3, 4}) {
    EXPECT_EQ(c[i].meta, 0) << i;
    EXPECT_EQ(c[i].real_type, c[i].type) << i;
  }
  EXPECT_EQ(c[5].meta, (10 << 8) | 2);
  EXPECT_EQ(c[6].meta, 4);
  EXPECT_EQ(c[7].meta, 8);
  EXPECT_EQ(c[8].meta, 1020);
  EXPECT_EQ(c[9].meta, 300);
  EXPECT_EQ(c[10].meta, (2 << 8) | 3);
  EXPECT_EQ(c[11].meta, 3);
  EXPECT_EQ(c[12].meta, 6);
  EXPECT_EQ(c[13].meta, 0);
  EXPECT_EQ(c[14].meta, 4);
  EXPECT_EQ(c[15].meta, 4);
  EXPECT_EQ(c[16].meta, 4);
  EXPECT_EQ(c[17].type, ColumnType::kString);
  EXPECT_EQ(c[17].real_type, ColumnType::kEnum);
  EXPECT_EQ(c[17].meta, 2);
  EXPECT_EQ(c[18].real_type, ColumnType::kSet);
  EXPECT_EQ(c[18].meta, 8);
  EXPECT_EQ(c[19].real_type, ColumnType::kString);
  EXPECT_EQ(c[19].meta, 512);
  // Null bitmap 0x0f 0x00 0x0c: columns 0-3 and 18-19 nullable.
  for (std::size_t i = 0; i < c.size(); ++i) {
    EXPECT_EQ(c[i].nullable, i < 4 || i >= 18) << i;
    EXPECT_FALSE(c[i].is_unsigned.has_value());
    EXPECT_TRUE(c[i].visible);
  }
  EXPECT_FALSE(e.has_optional_metadata());
  // Every cut fails: the fixed part runs to the null bitmap, the last byte.
  EXPECT_EQ(check_truncations(EventType::kTableMap, body, mysql80()), body.size());
}

TEST(TableMap, ShortStringLength) {
  auto r = decode_built(EventType::kTableMap, table_map_body(raw({254}), raw({0xfe, 20}), raw({1})),
                        mysql80());
  const auto& e = as<TableMapEvent>(r);
  ASSERT_EQ(e.columns.size(), 1u);
  EXPECT_EQ(e.columns[0].real_type, ColumnType::kString);
  EXPECT_EQ(e.columns[0].meta, 20);
}

TEST(TableMap, MariaDBCompressedColumns) {
  // 140 BLOB_COMPRESSED (1 metadata byte), 141 VARCHAR_COMPRESSED (2).
  auto r =
      decode_built(EventType::kTableMap,
                   table_map_body(raw({140, 141}), BodyBuilder().u8(2).u16(1000).data(), raw({3})),
                   mariadb1011());
  const auto& c = as<TableMapEvent>(r).columns;
  ASSERT_EQ(c.size(), 2u);
  EXPECT_EQ(c[0].meta, 2);
  EXPECT_EQ(c[1].meta, 1000);
  EXPECT_EQ(static_cast<int>(c[1].real_type), 141);
}

TEST(TableMap, FourByteTableIdWhenThePostHeaderIsSix) {
  auto f = mysql80();
  f.post_header_lengths[18] = 6;
  auto body = BodyBuilder()
                  .u32(0xfffffffe)
                  .u16(0)
                  .lstr("d")
                  .u8(0)
                  .lstr("tt")
                  .u8(0)
                  .packed(1)
                  .u8(3)
                  .packed(0)
                  .u8(0);
  auto r = decode_built(EventType::kTableMap, body, f);
  EXPECT_EQ(as<TableMapEvent>(r).table_id, 0xfffffffeu);
  EXPECT_EQ(as<TableMapEvent>(r).table, "tt");
  EXPECT_FALSE(as<TableMapEvent>(r).columns[0].nullable);
}

TEST(TableMap, ZeroColumnsAndEmptyNames) {
  auto body = testing::table_map_body({.table_id = 0, .flags = 0, .db = "", .table = ""});
  auto r = decode_built(EventType::kTableMap, body, mysql80());
  EXPECT_TRUE(as<TableMapEvent>(r).columns.empty());
  EXPECT_EQ(as<TableMapEvent>(r).database, "");
}

TEST(TableMap, MetadataLengthMustMatchTheTypes) {
  auto extra =
      decode_built(EventType::kTableMap, table_map_body(raw({3}), raw({7}), raw({0})), mysql80());
  ASSERT_FALSE(extra.ok());
  EXPECT_GT(extra.error().offset, 1019u);
  auto missing =
      decode_built(EventType::kTableMap, table_map_body(raw({15}), raw({7}), raw({0})), mysql80());
  ASSERT_FALSE(missing.ok());
}

TEST(TableMap, BadNameTerminatorAndHugeCountFail) {
  auto body = BodyBuilder().u48(1).u16(0).lstr("db").u8(1).lstr("t").u8(0).packed(0).packed(0);
  ASSERT_FALSE(decode_built(EventType::kTableMap, body, mysql80()).ok());
  auto huge = BodyBuilder().u48(1).u16(0).lstr("db").u8(0).lstr("t").u8(0).packed(1ull << 40);
  auto r = decode_built(EventType::kTableMap, huge, mysql80());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().offset, 1019u + 8 + 4 + 3 + 9);
}

// Columns: 0 INT, 1 VARCHAR, 2 ENUM, 3 DECIMAL, 4 SET, 5 TEXT, 6 GEOMETRY, 7 BIGINT,
// 8 VECTOR, 9 CHAR.
ByteVec full_types() {
  return raw({3, 15, 254, 246, 254, 252, 255, 8, 242, 254});
}
ByteVec full_meta() {
  return BodyBuilder()
      .u16(80)
      .raw({0xf7, 1})
      .raw({12, 4})
      .raw({0xf8, 1})
      .u8(2)
      .u8(4)
      .u8(4)
      .raw({0xfe, 10})
      .data();
}
ByteVec tlv(uint8_t type, const ByteVec& value) {
  return BodyBuilder().u8(type).packed(value.size()).bytes(value).data();
}

TEST(TableMap, FullOptionalMetadataMySQL) {
  // clang-format off
  ByteVec optional = BodyBuilder()
      .bytes(tlv(1, raw({0b10100000})))  // numeric: INT unsigned, DECIMAL signed, BIGINT unsigned
      .bytes(tlv(2, BodyBuilder().packed(255).packed(1).packed(63).data()))  // TEXT is binary
      .bytes(tlv(4, BodyBuilder().lstr("id").lstr("name").lstr("kind").lstr("price").lstr("tags")
                        .lstr("body").lstr("shape").lstr("big").lstr("vec").lstr("code").data()))
      .bytes(tlv(5, BodyBuilder().packed(2).lstr("a").lstr("").data()))
      .bytes(tlv(6, BodyBuilder().packed(3).lstr("x").lstr("yy").lstr("zzz").data()))
      .bytes(tlv(7, BodyBuilder().packed(1).data()))
      .bytes(tlv(9, BodyBuilder().packed(0).packed(0).packed(1).packed(10).data()))
      .bytes(tlv(10, BodyBuilder().packed(8).packed(1).packed(33).data()))
      .bytes(tlv(12, raw({0b11111111, 0b01000000})))  // column 8 invisible
      .bytes(tlv(13, BodyBuilder().packed(1024).data()))
      .bytes(tlv(200, raw({1, 2, 3})))  // unknown: skipped by its length
      .data();
  // clang-format on
  auto body = table_map_body(full_types(), full_meta(), raw({0xff, 0x03}), optional);
  auto r = decode_built(EventType::kTableMap, body, mysql80());
  const auto& e = as<TableMapEvent>(r);
  ASSERT_EQ(e.columns.size(), 10u);
  const auto& c = e.columns;
  EXPECT_TRUE(e.has_optional_metadata());
  EXPECT_EQ(e.optional_metadata.size(), optional.size());
  // SIGNEDNESS over numeric columns 0, 3, 7 (MSB first).
  EXPECT_EQ(c[0].is_unsigned, true);
  EXPECT_EQ(c[3].is_unsigned, false);
  EXPECT_EQ(c[7].is_unsigned, true);
  EXPECT_FALSE(c[1].is_unsigned.has_value());
  // Character columns in MySQL: VARCHAR 1, TEXT 5, VECTOR 8, CHAR 9; exception index 1 = TEXT.
  EXPECT_EQ(c[1].charset, 255u);
  EXPECT_EQ(c[5].charset, 63u);
  EXPECT_EQ(c[8].charset, 255u);
  EXPECT_EQ(c[9].charset, 255u);
  EXPECT_FALSE(c[6].charset.has_value());  // GEOMETRY is not character data in MySQL
  // ENUM/SET: default 8, exception index 1 (the SET) = 33.
  EXPECT_EQ(c[2].charset, 8u);
  EXPECT_EQ(c[4].charset, 33u);
  EXPECT_EQ(c[0].name, "id");
  EXPECT_EQ(c[9].name, "code");
  ASSERT_EQ(c[4].enum_values.size(), 2u);
  EXPECT_EQ(c[4].enum_values[0], "a");
  EXPECT_EQ(c[4].enum_values[1], "");
  ASSERT_EQ(c[2].enum_values.size(), 3u);
  EXPECT_EQ(c[2].enum_values[2], "zzz");
  EXPECT_EQ(c[6].geometry_type, 1u);
  ASSERT_EQ(e.primary_key.size(), 2u);
  EXPECT_EQ(e.primary_key[0], 0u);
  EXPECT_EQ(e.primary_key_prefix[0], 0u);
  EXPECT_EQ(e.primary_key[1], 1u);
  EXPECT_EQ(e.primary_key_prefix[1], 10u);
  for (std::size_t i = 0; i < c.size(); ++i) EXPECT_EQ(c[i].visible, i != 8) << i;
  EXPECT_EQ(c[8].vector_dimensions, 1024u);
  // The optional metadata is optional: a cut at a field boundary is a valid event.
  const std::size_t fixed = body.size() - optional.size();
  check_truncations(EventType::kTableMap, body, mysql80(),
                    [&](std::size_t n) { return n >= fixed; });
}

TEST(TableMap, ColumnCharsetAndSimplePrimaryKey) {
  ByteVec optional =
      BodyBuilder()
          .bytes(tlv(3, BodyBuilder().packed(45).packed(46).packed(300).packed(33).data()))
          .bytes(tlv(8, BodyBuilder().packed(7).packed(0).data()))
          .bytes(tlv(11, BodyBuilder().packed(8).packed(9).data()))
          .data();
  auto r =
      decode_built(EventType::kTableMap,
                   table_map_body(full_types(), full_meta(), raw({0, 0}), optional), mysql80());
  const auto& c = as<TableMapEvent>(r).columns;
  ASSERT_EQ(c.size(), 10u);
  EXPECT_EQ(c[1].charset, 45u);
  EXPECT_EQ(c[5].charset, 46u);
  EXPECT_EQ(c[8].charset, 300u);
  EXPECT_EQ(c[9].charset, 33u);
  EXPECT_EQ(c[2].charset, 8u);
  EXPECT_EQ(c[4].charset, 9u);
  ASSERT_EQ(as<TableMapEvent>(r).primary_key.size(), 2u);
  EXPECT_EQ(as<TableMapEvent>(r).primary_key[0], 7u);
  EXPECT_EQ(as<TableMapEvent>(r).primary_key_prefix[0], 0u);
}

TEST(TableMap, MariaDBCountsGeometryAsCharacterData) {
  ByteVec optional = tlv(3, BodyBuilder().packed(45).packed(63).packed(63).packed(33).data());
  auto r =
      decode_built(EventType::kTableMap,
                   table_map_body(full_types(), full_meta(), raw({0, 0}), optional), mariadb1011());
  const auto& c = as<TableMapEvent>(r).columns;
  ASSERT_EQ(c.size(), 10u);
  EXPECT_EQ(c[1].charset, 45u);
  EXPECT_EQ(c[5].charset, 63u);
  EXPECT_EQ(c[6].charset, 63u);
  EXPECT_EQ(c[9].charset, 33u);
  EXPECT_FALSE(c[8].charset.has_value());  // VECTOR is not MariaDB character data
}

TEST(TableMap, BadOptionalMetadataFails) {
  // SIGNEDNESS bitmap too short for 3 numeric columns... it needs 1 byte.
  auto empty_bitmap =
      decode_built(EventType::kTableMap,
                   table_map_body(full_types(), full_meta(), raw({0, 0}), tlv(1, {})), mysql80());
  ASSERT_FALSE(empty_bitmap.ok());
  // DEFAULT_CHARSET exception for a column that is not there.
  auto bad_index =
      decode_built(EventType::kTableMap,
                   table_map_body(full_types(), full_meta(), raw({0, 0}),
                                  tlv(2, BodyBuilder().packed(8).packed(4).packed(63).data())),
                   mysql80());
  ASSERT_FALSE(bad_index.ok());
  // A TLV longer than the event.
  auto long_tlv = decode_built(EventType::kTableMap,
                               table_map_body(full_types(), full_meta(), raw({0, 0}),
                                              BodyBuilder().u8(4).packed(200).data()),
                               mysql80());
  ASSERT_FALSE(long_tlv.ok());
  // Column names with bytes left over.
  auto leftover = decode_built(
      EventType::kTableMap,
      table_map_body(raw({3}), {}, raw({0}), tlv(4, BodyBuilder().lstr("a").u8(9).data())),
      mysql80());
  ASSERT_FALSE(leftover.ok());
}

// Real table maps against mariadb-binlog's text.
TEST(TableMapCorpus, MySQL80FullMetadataEnumSet) {
  const auto bytes = testing::read_file_bytes(
      testing::kCorpus +
      "blackbeam__rust_mysql_common/test-data__binlogs__mysql-enum-string-set.000001");
  const auto events = testing::decode_file(bytes);
  auto maps = testing::events_of<TableMapEvent>(events);
  ASSERT_EQ(maps.size(), 3u);
  const auto& e = *maps[0];
  // "Table_map: `mysql`.`t` mapped to number 124"
  EXPECT_EQ(e.database, "mysql");
  EXPECT_EQ(e.table, "t");
  EXPECT_EQ(e.table_id, 124u);
  ASSERT_EQ(e.columns.size(), 5u);
  // STRING(512) meta=56832, VARSTRING(1200), ENUM(1 byte) meta=63233, SET(1 bytes)
  // meta=63489, BLOB/TEXT meta=2
  EXPECT_EQ(e.columns[0].real_type, ColumnType::kString);
  EXPECT_EQ(e.columns[0].meta, 512);
  EXPECT_EQ(e.columns[1].meta, 1200);
  EXPECT_EQ(e.columns[2].real_type, ColumnType::kEnum);
  EXPECT_EQ(e.columns[2].meta, 1);
  EXPECT_EQ(e.columns[3].real_type, ColumnType::kSet);
  EXPECT_EQ(e.columns[4].meta, 2);
  EXPECT_EQ(e.columns[0].name, "f1");
  EXPECT_EQ(e.columns[4].name, "f5");
  ASSERT_EQ(e.columns[2].enum_values.size(), 3u);
  EXPECT_EQ(e.columns[2].enum_values[1], "variant2");
  ASSERT_EQ(e.columns[3].enum_values.size(), 4u);
  EXPECT_EQ(e.columns[3].enum_values[3], "four");
  for (const auto& c : e.columns) {
    EXPECT_TRUE(c.nullable);
    EXPECT_EQ(c.charset, 255u);
  }
}

TEST(TableMapCorpus, MySQL80InvisibleColumns) {
  const auto bytes = testing::read_file_bytes(
      testing::kCorpus +
      "blackbeam__rust_mysql_common/test-data__binlogs__binlog-invisible-columns.000001");
  const auto events = testing::decode_file(bytes);
  auto maps = testing::events_of<TableMapEvent>(events);
  ASSERT_FALSE(maps.empty());
  const auto& c = maps[0]->columns;
  ASSERT_EQ(c.size(), 6u);
  EXPECT_FALSE(c[0].visible);
  EXPECT_FALSE(c[1].visible);
  EXPECT_TRUE(c[2].visible);
  EXPECT_FALSE(c[5].visible);
  EXPECT_EQ(c[0].is_unsigned, true);
  EXPECT_EQ(c[2].is_unsigned, false);
  EXPECT_EQ(c[5].name, "f6");
}

TEST(TableMapCorpus, MySQL90Vectors) {
  const auto bytes = testing::read_file_bytes(
      testing::kCorpus + "blackbeam__rust_mysql_common/test-data__binlogs__vector.binlog");
  const auto events = testing::decode_file(bytes);
  auto maps = testing::events_of<TableMapEvent>(events);
  ASSERT_GE(maps.size(), 2u);
  // "Table_map: `dtb`.`foo` mapped to number 85"
  EXPECT_EQ(maps[0]->database, "dtb");
  EXPECT_EQ(maps[0]->table, "foo");
  EXPECT_EQ(maps[0]->table_id, 85u);
  ASSERT_EQ(maps[0]->columns.size(), 2u);
  EXPECT_EQ(maps[0]->columns[1].type, ColumnType::kVector);
  EXPECT_EQ(maps[0]->columns[1].meta, 4);
  EXPECT_EQ(maps[0]->columns[1].vector_dimensions, 3u);
  EXPECT_EQ(maps[0]->columns[1].charset, 63u);
  ASSERT_EQ(maps[0]->primary_key.size(), 1u);
  EXPECT_EQ(maps[0]->primary_key[0], 0u);
  ASSERT_EQ(maps[1]->columns.size(), 4u);
  EXPECT_EQ(maps[1]->columns[2].charset, 255u);
  EXPECT_EQ(maps[1]->columns[3].vector_dimensions, 4u);
}

TEST(TableMapCorpus, MariaDB105FullMetadata) {
  const auto bytes = testing::read_file_bytes(
      testing::kCorpus + "blackbeam__rust_mysql_common/test-data__binlogs__mariadb-bin.000001");
  const auto events = testing::decode_file(bytes);
  auto maps = testing::events_of<TableMapEvent>(events);
  ASSERT_EQ(maps.size(), 2u);
  // "Table_map: `toddy_test`.`outbox` mapped to number 38"
  const auto& e = *maps[0];
  EXPECT_EQ(e.database, "toddy_test");
  EXPECT_EQ(e.table, "outbox");
  EXPECT_EQ(e.table_id, 38u);
  ASSERT_EQ(e.columns.size(), 5u);
  EXPECT_EQ(e.columns[1].name, "topic");
  EXPECT_EQ(e.columns[1].meta, 1020);
  EXPECT_EQ(e.columns[2].real_type, ColumnType::kEnum);
  ASSERT_EQ(e.columns[2].enum_values.size(), 3u);
  EXPECT_EQ(e.columns[2].enum_values[0], "BLOB");
  EXPECT_EQ(e.columns[2].enum_values[2], "PROTOBUF");
  EXPECT_EQ(e.columns[4].type, ColumnType::kTimestamp2);
  ASSERT_EQ(e.primary_key.size(), 1u);
}

TEST(TableMapCorpus, OldServersWithoutOptionalMetadata) {
  // MySQL 5.1 (NDB) and MariaDB 10.0: 6-byte table ids, no optional metadata.
  for (const char* file :
       {"blackbeam__rust_mysql_common/test-data__binlogs__update-full-row.binlog",
        "pingcap__tiflow/mysql-bin.000001"}) {
    const auto bytes = testing::read_file_bytes(testing::kCorpus + file);
    const auto events = testing::decode_file(bytes);
    auto maps = testing::events_of<TableMapEvent>(events);
    ASSERT_FALSE(maps.empty()) << file;
    for (auto* m : maps) EXPECT_FALSE(m->has_optional_metadata()) << file;
  }
  const auto bytes = testing::read_file_bytes(
      testing::kCorpus + "blackbeam__rust_mysql_common/test-data__binlogs__update-full-row.binlog");
  const auto maps_events = testing::decode_file(bytes);
  auto maps = testing::events_of<TableMapEvent>(maps_events);
  // "Table_map: `test`.`ba` mapped to number 26", then `mysql`.`ndb_apply_status` 24
  EXPECT_EQ(maps[0]->table, "ba");
  EXPECT_EQ(maps[0]->table_id, 26u);
  EXPECT_EQ(maps[1]->table, "ndb_apply_status");
  EXPECT_EQ(maps[1]->table_id, 24u);
}

}  // namespace
}  // namespace twinlog::protocol
