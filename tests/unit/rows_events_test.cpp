// Rows events' framing: pre-GA, v1, v2 (extra data), PARTIAL_UPDATE_ROWS, MariaDB
// compressed codes; the row images stay raw. Real rows events too.
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

const ByteVec kRows = BodyBuilder().raw({0x00, 1, 0, 0, 0, 0x00, 2, 0, 0, 0}).data();

// kRows under `columns` columns, the bitmaps filled with `present` (and, for the
// types with an after image, `after`).
ByteVec filled_body(testing::TypeCode type, uint64_t table_id, uint16_t flags, uint64_t columns,
                    uint8_t present, uint8_t after, const ByteVec& extra = {}) {
  const std::size_t bitmap = (columns + 7) / 8;
  return testing::rows_body(type, {table_id, flags, columns, ByteVec(bitmap, std::byte{present}),
                                   ByteVec(bitmap, std::byte{after}), extra, kRows});
}
// A v1 (or pre-GA) body: table 0xffffffffffff, STMT_END_F.
ByteVec v1_body(testing::TypeCode type, uint64_t columns) {
  return filled_body(type, 0xffffffffffff, 1, columns, 0xff, 0x0f);
}
// A v2 body: table 77, no flags.
ByteVec v2_body(testing::TypeCode type, uint64_t columns, const ByteVec& extra = {}) {
  return filled_body(type, 77, 0, columns, 0xaa, 0x55, extra);
}

TEST(RowsEvent, V1WriteUpdateDelete) {
  const struct {
    EventType type;
    RowsKind kind;
  } cases[] = {{EventType::kWriteRowsV1, RowsKind::kWrite},
               {EventType::kUpdateRowsV1, RowsKind::kUpdate},
               {EventType::kDeleteRowsV1, RowsKind::kDelete}};
  for (const auto& c : cases) {
    const bool two = c.kind == RowsKind::kUpdate;
    auto body = v1_body(c.type, 9);
    auto r = decode_built(c.type, body, mysql80());
    const auto& e = as<RowsEvent>(r);
    EXPECT_EQ(e.kind, c.kind);
    EXPECT_EQ(e.version, 1);
    EXPECT_EQ(e.table_id, 0xffffffffffffu);
    EXPECT_TRUE(e.end_of_statement());
    EXPECT_EQ(e.column_count, 9u);
    EXPECT_EQ(e.columns_before.size(), 2u);
    EXPECT_EQ(e.columns_after.size(), two ? 2u : 0u);
    EXPECT_EQ(e.rows.size(), kRows.size());
    EXPECT_TRUE(e.extra_data.empty());
    // Cuts inside the row images leave fewer rows (row_image.cpp judges those).
    const std::size_t fixed = body.size() - kRows.size();
    EXPECT_EQ(check_truncations(c.type, body, mysql80(), [&](std::size_t n) { return n >= fixed; }),
              fixed);
  }
}

TEST(RowsEvent, V2WithExtraData) {
  const ByteVec extra = BodyBuilder().u8(0).u8(3).raw({1, 2, 3}).data();  // RW_V_EXTRAINFO_TAG
  auto body = v2_body(EventType::kUpdateRows, 16, extra);
  auto r = decode_built(EventType::kUpdateRows, body, mysql80());
  const auto& e = as<RowsEvent>(r);
  EXPECT_EQ(e.kind, RowsKind::kUpdate);
  EXPECT_EQ(e.version, 2);
  EXPECT_EQ(e.table_id, 77u);
  EXPECT_FALSE(e.end_of_statement());
  EXPECT_EQ(e.extra_data.size(), extra.size());
  EXPECT_EQ(std::to_integer<int>(e.extra_data[1]), 3);
  EXPECT_EQ(e.column_count, 16u);
  EXPECT_EQ(std::to_integer<int>(e.columns_before[1]), 0xaa);
  EXPECT_EQ(std::to_integer<int>(e.columns_after[0]), 0x55);
  const std::size_t fixed = body.size() - kRows.size();
  EXPECT_EQ(check_truncations(EventType::kUpdateRows, body, mysql80(),
                              [&](std::size_t n) { return n >= fixed; }),
            fixed);
}

TEST(RowsEvent, V2WriteAndDeleteWithoutExtraData) {
  for (EventType type : {EventType::kWriteRows, EventType::kDeleteRows}) {
    auto r = decode_built(type, v2_body(type, 1), mysql80());
    const auto& e = as<RowsEvent>(r);
    EXPECT_EQ(e.kind, type == EventType::kWriteRows ? RowsKind::kWrite : RowsKind::kDelete);
    EXPECT_TRUE(e.extra_data.empty());
    EXPECT_EQ(e.columns_before.size(), 1u);
    EXPECT_TRUE(e.columns_after.empty());
  }
}

TEST(RowsEvent, ExtraDataLengthBelowTwoFails) {
  auto body = BodyBuilder().u48(1).u16(0).u16(1).packed(1).u8(1).data();
  auto r = decode_built(EventType::kWriteRows, body, mysql80());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().offset, 1019u + 8);
  auto too_long = BodyBuilder().u48(1).u16(0).u16(0xffff).packed(1).u8(1).data();
  ASSERT_FALSE(decode_built(EventType::kWriteRows, too_long, mysql80()).ok());
}

TEST(RowsEvent, PartialUpdateHasTwoBitmaps) {
  auto body = v2_body(EventType::kPartialUpdateRows, 3);
  auto r = decode_built(EventType::kPartialUpdateRows, body, mysql80());
  const auto& e = as<RowsEvent>(r);
  EXPECT_EQ(e.kind, RowsKind::kPartialUpdate);
  EXPECT_TRUE(e.has_two_images());
  EXPECT_EQ(e.version, 2);
  EXPECT_EQ(e.columns_after.size(), 1u);
}

TEST(RowsEvent, PreGa) {
  // MySQL 5.1.0-5.1.15: the v1 layout under codes 20-22.
  auto f = testing::format_of("5.1.15-beta-log");
  f.post_header_lengths[19] = f.post_header_lengths[20] = f.post_header_lengths[21] = 8;
  for (EventType type :
       {EventType::kPreGaWriteRows, EventType::kPreGaUpdateRows, EventType::kPreGaDeleteRows}) {
    auto r = decode_built(type, v1_body(type, 2), f);
    const auto& e = as<RowsEvent>(r);
    EXPECT_EQ(e.version, 0);
    EXPECT_EQ(e.kind, *rows_kind_of(static_cast<uint8_t>(type)));
    EXPECT_EQ(e.column_count, 2u);
  }
}

TEST(RowsEvent, FourByteTableId) {
  auto f = mysql80();
  f.post_header_lengths[22] = 6;
  auto body = BodyBuilder().u32(0xfffffffe).u16(1).packed(1).u8(1).bytes(kRows).data();
  auto r = decode_built(EventType::kWriteRowsV1, body, f);
  EXPECT_EQ(as<RowsEvent>(r).table_id, 0xfffffffeu);
  EXPECT_EQ(as<RowsEvent>(r).rows.size(), kRows.size());
}

TEST(RowsEvent, MariaDBCompressedCodesDecodeAsTheirVersion) {
  // The framer normally inflates these and reports the plain code; a raw one still
  // has the v1 or v2 layout.
  auto r1 = decode_built(EventType::kMariaUpdateRowsCompressedV1,
                         v1_body(EventType::kMariaUpdateRowsCompressedV1, 4), mariadb1011());
  EXPECT_EQ(as<RowsEvent>(r1).kind, RowsKind::kUpdate);
  EXPECT_EQ(as<RowsEvent>(r1).version, 1);
  auto r2 = decode_built(EventType::kMariaWriteRowsCompressed,
                         v2_body(EventType::kMariaWriteRowsCompressed, 4), mariadb1011());
  EXPECT_EQ(as<RowsEvent>(r2).kind, RowsKind::kWrite);
  EXPECT_EQ(as<RowsEvent>(r2).version, 2);
}

TEST(RowsEvent, ManyColumnsAndZeroColumns) {
  auto r = decode_built(EventType::kWriteRowsV1, v1_body(EventType::kWriteRowsV1, 4096), mysql80());
  EXPECT_EQ(as<RowsEvent>(r).columns_before.size(), 512u);
  auto zero = decode_built(EventType::kWriteRowsV1, v1_body(EventType::kWriteRowsV1, 0), mysql80());
  EXPECT_TRUE(as<RowsEvent>(zero).columns_before.empty());
  auto huge = BodyBuilder().u48(1).u16(0).packed(1ull << 40).data();
  auto rh = decode_built(EventType::kWriteRowsV1, huge, mysql80());
  ASSERT_FALSE(rh.ok());
  EXPECT_EQ(rh.error().offset, 1019u + 8 + 9);
}

// Real rows events against mariadb-binlog's text.
TEST(RowsEventsCorpus, MySQL80WriteUpdateDelete) {
  const auto bytes = testing::read_file_bytes(
      testing::kCorpus +
      "blackbeam__rust_mysql_common/test-data__binlogs__mysql-enum-string-set.000001");
  const auto events = testing::decode_file(bytes);
  auto rows = testing::events_of<RowsEvent>(events);
  ASSERT_EQ(rows.size(), 3u);
  // "Write_rows: table id 124 flags: STMT_END_F", then Update_rows, Delete_rows
  EXPECT_EQ(rows[0]->kind, RowsKind::kWrite);
  EXPECT_EQ(rows[1]->kind, RowsKind::kUpdate);
  EXPECT_EQ(rows[2]->kind, RowsKind::kDelete);
  for (auto* r : rows) {
    EXPECT_EQ(r->version, 2);
    EXPECT_EQ(r->table_id, 124u);
    EXPECT_TRUE(r->end_of_statement());
    EXPECT_EQ(r->column_count, 5u);
    EXPECT_FALSE(r->rows.empty());
  }
  EXPECT_EQ(rows[1]->columns_after.size(), 1u);
}

TEST(RowsEventsCorpus, MySQL80PartialUpdate) {
  const auto bytes = testing::read_file_bytes(
      testing::kCorpus + "blackbeam__rust_mysql_common/test-data__binlogs__json.binlog.000001");
  const auto events = testing::decode_file(bytes);
  auto rows = testing::events_of<RowsEvent>(events);
  std::size_t partial = 0;
  for (auto* r : rows) {
    if (r->kind != RowsKind::kPartialUpdate) continue;
    ++partial;
    EXPECT_EQ(r->table_id, 119u);
    EXPECT_EQ(r->column_count, 4u);
    EXPECT_EQ(r->columns_after.size(), 1u);
    EXPECT_FALSE(r->rows.empty());
  }
  EXPECT_EQ(partial, 1u);
}

TEST(RowsEventsCorpus, MySQL51V1AndMariaDB100) {
  {
    const auto bytes = testing::read_file_bytes(
        testing::kCorpus +
        "blackbeam__rust_mysql_common/test-data__binlogs__update-full-row.binlog");
    const auto rows_events = testing::decode_file(bytes);
    auto rows = testing::events_of<RowsEvent>(rows_events);
    ASSERT_EQ(rows.size(), 4u);
    for (auto* r : rows) EXPECT_EQ(r->version, 1);
    EXPECT_EQ(rows[0]->table_id, 24u);  // ndb_apply_status
    EXPECT_EQ(rows[1]->table_id, 26u);
    EXPECT_EQ(rows[2]->kind, RowsKind::kUpdate);
    EXPECT_EQ(rows[3]->kind, RowsKind::kDelete);
    EXPECT_TRUE(rows[3]->end_of_statement());
  }
  {
    // "Table_map: `steven`.`t` mapped to number 70", then its Write_rows_v1.
    const auto bytes =
        testing::read_file_bytes(testing::kCorpus + "pingcap__tiflow/mysql-bin.000001");
    const auto rows_events = testing::decode_file(bytes);
    auto rows = testing::events_of<RowsEvent>(rows_events);
    ASSERT_GE(rows.size(), 2u);
    EXPECT_EQ(rows[1]->table_id, 70u);
    EXPECT_EQ(rows[1]->kind, RowsKind::kWrite);
    EXPECT_EQ(rows[1]->column_count, 2u);
  }
}

}  // namespace
}  // namespace twinlog::protocol
