#include "protocol/row_image.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "protocol/value.h"
#include "protocol/value_text.h"
#include "tests/support/event_builder.h"

namespace twinlog::protocol {
namespace {

using testing::BodyBuilder;
using testing::ByteVec;
using testing::span;

ColumnDef col(ColumnType type, uint16_t meta = 0) {
  ColumnDef c;
  c.type = c.real_type = type;
  c.meta = meta;
  return c;
}

// id INT, name VARCHAR(20), note BLOB, score BIGINT
TableMapEvent people() {
  TableMapEvent t;
  t.table_id = 7;
  t.database = "test";
  t.table = "people";
  t.columns = {col(ColumnType::kLong), col(ColumnType::kVarchar, 20), col(ColumnType::kBlob, 2),
               col(ColumnType::kLongLong)};
  return t;
}

RowsEvent rows_event(RowsKind kind, const ByteVec& before_bitmap, const ByteVec& after_bitmap,
                     const ByteVec& rows, uint64_t column_count = 4) {
  RowsEvent e;
  e.kind = kind;
  e.table_id = 7;
  e.column_count = column_count;
  e.columns_before = span(before_bitmap);
  e.columns_after = span(after_bitmap);
  e.rows = span(rows);
  return e;
}

std::vector<std::string> texts(const TableMapEvent& t, const RowImage& image) {
  std::vector<std::string> out;
  for (const Cell& c : image.cells) {
    auto v = decode_value(t.columns[c.column], c);
    // Appended, not "@" + std::to_string: GCC 12 at -O3 reports a false -Wrestrict
    // inside that operator+ (GCC bug 105651).
    std::string text(1, '@');
    text.append(std::to_string(c.column + 1)).append("=");
    text.append(v ? to_sql_text(*v) : "<" + v.error().message + ">");
    out.push_back(std::move(text));
  }
  return out;
}

using Lines = std::vector<std::string>;

TEST(RowReader, WriteRowsWithNulls) {
  const TableMapEvent t = people();
  const ByteVec all = {std::byte{0x0f}};
  // Row 1: all four values. Row 2: name and note NULL (null bits 1 and 2).
  const ByteVec rows =
      BodyBuilder().u8(0x00).u32(1).lstr("ann").u16(3).str("xyz").u64(10).u8(0x06).u32(2).u64(
          0xffffffffffffffffULL);
  const RowsEvent e = rows_event(RowsKind::kWrite, all, {}, rows);
  RowReader reader(e, t, 1000);
  RowChange row;
  ASSERT_TRUE(reader.next(row));
  EXPECT_FALSE(row.has_before);
  ASSERT_TRUE(row.has_after);
  EXPECT_EQ(texts(t, row.after), (Lines{"@1=1", "@2='ann'", "@3='xyz'", "@4=10"}));
  EXPECT_EQ(row.after.offset, 1000u);
  EXPECT_EQ(row.after.raw.size(), 1u + 4 + 4 + 5 + 8);
  EXPECT_EQ(row.after.raw.data(), e.rows.data());
  EXPECT_EQ(row.after.cells[1].offset, 1005u);
  ASSERT_TRUE(reader.next(row));
  EXPECT_EQ(texts(t, row.after),
            (Lines{"@1=2", "@2=NULL", "@3=NULL", "@4=-1 (18446744073709551615)"}));
  EXPECT_TRUE(row.after.cells[1].is_null);
  EXPECT_TRUE(row.after.cells[1].bytes.empty());
  EXPECT_EQ(row.after.offset, 1022u);
  EXPECT_FALSE(reader.next(row));
  EXPECT_FALSE(reader.failed());
}

// decode_value(reader, cell) uses the layouts the reader worked out once and gives
// what decode_value(column, cell) gives; a cell of no column of the event is an error.
TEST(RowReader, ValuesThroughTheReaderEqualValuesThroughTheColumn) {
  const TableMapEvent t = people();
  const ByteVec all = {std::byte{0x0f}};
  const ByteVec rows = BodyBuilder().u8(0x00).u32(1).lstr("ann").u16(3).str("xyz").u64(10);
  const RowsEvent e = rows_event(RowsKind::kWrite, all, {}, rows);
  RowReader reader(e, t, 0);
  ASSERT_EQ(reader.layouts().size(), 4u);
  EXPECT_EQ(reader.layouts()[1].kind, CellLayout::kPrefixed);
  EXPECT_EQ(reader.layouts()[3].size, 8u);
  RowChange row;
  ASSERT_TRUE(reader.next(row));
  for (const Cell& c : row.after.cells) {
    auto through_reader = decode_value(reader, c);
    auto through_column = decode_value(t.columns[c.column], c);
    ASSERT_TRUE(through_reader && through_column);
    EXPECT_EQ(to_sql_text(*through_reader), to_sql_text(*through_column));
    EXPECT_FALSE(decode_value_and_drop(reader, c));
    std::string text, text_direct, json, json_direct;
    append_sql_text(text, *through_column);
    EXPECT_FALSE(append_sql_text(text_direct, reader, c));
    EXPECT_EQ(text_direct, text);
    append_json(json, *through_column);
    EXPECT_FALSE(append_json(json_direct, reader, c));
    EXPECT_EQ(json_direct, json);
  }
  Cell stray = row.after.cells[0];
  stray.column = 9;
  auto v = decode_value(reader, stray);
  ASSERT_FALSE(v);
  EXPECT_EQ(v.error().message, "column 10 is not one of the rows event's 4");
  auto dropped = decode_value_and_drop(reader, stray);
  ASSERT_TRUE(dropped);
  EXPECT_EQ(dropped->message, v.error().message);
  // A cell whose bytes do not fit its column's layout is refused, not read past.
  Cell shortened = row.after.cells[3];
  shortened.bytes = shortened.bytes.first(4);
  auto refused = decode_value(reader, shortened);
  ASSERT_FALSE(refused);
  auto refused_too = decode_value_and_drop(reader, shortened);
  ASSERT_TRUE(refused_too);
  EXPECT_EQ(refused_too->message, refused.error().message);
  EXPECT_EQ(refused_too->offset, refused.error().offset);
  std::string untouched = "kept";
  EXPECT_TRUE(append_json(untouched, reader, shortened));
  EXPECT_TRUE(append_sql_text(untouched, reader, shortened));
  EXPECT_EQ(untouched, "kept");
}

TEST(RowReader, UpdateBeforeAndAfterWithMinimalImages) {
  const TableMapEvent t = people();
  // binlog_row_image=MINIMAL: the before image has the key, the after image the changed column.
  const ByteVec before = {std::byte{0x01}}, after = {std::byte{0x08}};
  const ByteVec rows = BodyBuilder().u8(0x00).u32(5).u8(0x00).u64(99).u8(0x00).u32(6).u8(
      0x01);  // second row: score set to NULL
  const RowsEvent e = rows_event(RowsKind::kUpdate, before, after, rows);
  RowReader reader(e, t, 0);
  RowChange row;
  ASSERT_TRUE(reader.next(row));
  ASSERT_TRUE(row.has_before && row.has_after);
  EXPECT_EQ(texts(t, row.before), (Lines{"@1=5"}));
  EXPECT_EQ(texts(t, row.after), (Lines{"@4=99"}));
  EXPECT_EQ(row.after.offset, 5u);
  ASSERT_TRUE(reader.next(row));
  EXPECT_EQ(texts(t, row.before), (Lines{"@1=6"}));
  EXPECT_EQ(texts(t, row.after), (Lines{"@4=NULL"}));
  EXPECT_FALSE(reader.next(row));
  EXPECT_FALSE(reader.failed());
}

TEST(RowReader, NoblobImagesLeaveTheBlobOut) {
  const TableMapEvent t = people();
  const ByteVec present = {std::byte{0x0b}};                  // id, name, score: no note
  const ByteVec rows = BodyBuilder().u8(0x02).u32(3).u64(4);  // name NULL (second present column)
  const RowsEvent e = rows_event(RowsKind::kDelete, present, {}, rows);
  RowReader reader(e, t, 0);
  RowChange row;
  ASSERT_TRUE(reader.next(row));
  ASSERT_TRUE(row.has_before);
  EXPECT_FALSE(row.has_after);
  EXPECT_EQ(texts(t, row.before), (Lines{"@1=3", "@2=NULL", "@4=4"}));
  EXPECT_FALSE(reader.next(row));
  EXPECT_FALSE(reader.failed());
}

TEST(RowReader, NullBitmapSpansMoreThanOneByte) {
  TableMapEvent t;
  for (int i = 0; i < 10; ++i) t.columns.push_back(col(ColumnType::kTiny));
  const ByteVec present = {std::byte{0xff}, std::byte{0x03}};
  BodyBuilder b;
  b.u8(0x00).u8(0x02);  // column 10 NULL
  for (int i = 0; i < 9; ++i) b.u8(i);
  const ByteVec rows = b.data();
  const RowsEvent e = rows_event(RowsKind::kWrite, present, {}, rows, 10);
  RowReader reader(e, t, 0);
  RowChange row;
  ASSERT_TRUE(reader.next(row));
  ASSERT_EQ(row.after.cells.size(), 10u);
  EXPECT_TRUE(row.after.cells[9].is_null);
  EXPECT_EQ(row.after.cells[8].bytes.size(), 1u);
  EXPECT_FALSE(reader.next(row));
  EXPECT_FALSE(reader.failed());
}

TEST(RowReader, PartialJsonUpdates) {
  // id INT, a JSON, b JSON
  TableMapEvent t;
  t.columns = {col(ColumnType::kLong), col(ColumnType::kJson, 4), col(ColumnType::kJson, 4)};
  const ByteVec all = {std::byte{0x07}};
  const ByteVec doc_a = BodyBuilder().raw({0x05, 0x01, 0x00});  // 1
  const ByteVec doc_b = BodyBuilder().raw({0x05, 0x02, 0x00});  // 2
  const ByteVec diffs = BodyBuilder().u8(0).packed(3).str("$.x").packed(3).raw({0x05, 0x03, 0x00});
  const ByteVec rows = BodyBuilder()
                           // row 1: before image, value options = PARTIAL_JSON, bits: b partial
                           .u8(0x00)
                           .u32(1)
                           .u32(3)
                           .bytes(doc_a)
                           .u32(3)
                           .bytes(doc_b)
                           .u8(0x01)
                           .u8(0x02)
                           .u8(0x00)
                           .u32(1)
                           .u32(3)
                           .bytes(doc_a)
                           .u32(diffs.size())
                           .bytes(diffs)
                           // row 2: value options 0, full documents
                           .u8(0x00)
                           .u32(2)
                           .u32(3)
                           .bytes(doc_a)
                           .u32(3)
                           .bytes(doc_b)
                           .u8(0x00)
                           .u8(0x04)
                           .u32(2)
                           .u32(3)
                           .bytes(doc_b);
  const RowsEvent e = rows_event(RowsKind::kPartialUpdate, all, all, rows, 3);
  RowReader reader(e, t, 0);
  RowChange row;
  ASSERT_TRUE(reader.next(row));
  EXPECT_EQ(texts(t, row.before), (Lines{"@1=1", "@2='1'", "@3='2'"}));
  EXPECT_FALSE(row.after.cells[1].partial_json);
  EXPECT_TRUE(row.after.cells[2].partial_json);
  EXPECT_EQ(texts(t, row.after), (Lines{"@1=1", "@2='1'", "@3=JSON_REPLACE(@3, '$.x', 3)"}));
  ASSERT_TRUE(reader.next(row));
  EXPECT_FALSE(row.before.cells[2].partial_json);
  EXPECT_EQ(texts(t, row.after), (Lines{"@1=2", "@2='2'", "@3=NULL"}));
  EXPECT_FALSE(reader.next(row));
  EXPECT_FALSE(reader.failed()) << reader.error().message;
}

TEST(RowReader, EveryTruncationIsAnError) {
  const TableMapEvent t = people();
  const ByteVec before = {std::byte{0x0f}}, after = {std::byte{0x0f}};
  const ByteVec rows = BodyBuilder()
                           .u8(0x00)
                           .u32(1)
                           .lstr("ann")
                           .u16(3)
                           .str("xyz")
                           .u64(10)
                           .u8(0x00)
                           .u32(1)
                           .lstr("bob")
                           .u16(4)
                           .str("wxyz")
                           .u64(11);
  for (std::size_t n = 0; n < rows.size(); ++n) {
    const ByteVec cut(rows.begin(), rows.begin() + static_cast<std::ptrdiff_t>(n));
    const RowsEvent e = rows_event(RowsKind::kUpdate, before, after, cut);
    RowReader reader(e, t, 500);
    RowChange row;
    while (reader.next(row)) {
    }
    if (n == 0) {
      EXPECT_FALSE(reader.failed());
      continue;
    }
    ASSERT_TRUE(reader.failed()) << "cut at " << n;
    EXPECT_GE(reader.error().offset, 500u);
    EXPECT_LE(reader.error().offset, 500u + n);
  }
}

// Without cells: the same images (bytes and offsets) and, at every cut, the same
// error, as with them; and no cell.
TEST(RowReader, WithoutCellsTheImagesAndErrorsAreTheSame) {
  const TableMapEvent t = people();
  const ByteVec before = {std::byte{0x0f}}, after = {std::byte{0x0d}};
  const ByteVec rows = BodyBuilder()
                           .u8(0x02)  // name NULL
                           .u32(1)
                           .u16(3)
                           .str("xyz")
                           .u64(10)
                           .u8(0x00)
                           .u32(1)
                           .u16(4)
                           .str("wxyz")
                           .u64(11);
  for (std::size_t n = 0; n <= rows.size(); ++n) {
    const ByteVec cut(rows.begin(), rows.begin() + static_cast<std::ptrdiff_t>(n));
    const RowsEvent e = rows_event(RowsKind::kUpdate, before, after, cut);
    RowReader with(e, t, 700), without(e, t, 700);
    without.without_cells();
    RowChange a, b;
    std::size_t count = 0;
    for (;;) {
      const bool more = with.next(a);
      ASSERT_EQ(without.next(b), more) << "cut at " << n;
      if (!more) break;
      ++count;
      EXPECT_TRUE(b.before.cells.empty());
      EXPECT_TRUE(b.after.cells.empty());
      EXPECT_EQ(b.before.offset, a.before.offset);
      EXPECT_EQ(b.after.offset, a.after.offset);
      EXPECT_TRUE(std::ranges::equal(b.before.raw, a.before.raw));
      EXPECT_TRUE(std::ranges::equal(b.after.raw, a.after.raw));
    }
    ASSERT_EQ(without.failed(), with.failed()) << "cut at " << n;
    if (n == rows.size()) {
      EXPECT_FALSE(with.failed()) << with.error().message;
      EXPECT_EQ(count, 1u);
    }
    if (with.failed()) {
      EXPECT_EQ(without.error().offset, with.error().offset) << "cut at " << n;
      EXPECT_EQ(without.error().message, with.error().message) << "cut at " << n;
    }
  }
}

TEST(RowReader, CellErrorsNameTheTypeAndOffset) {
  const TableMapEvent t = people();
  const ByteVec all = {std::byte{0x0f}};
  const ByteVec rows = BodyBuilder().u8(0x00).u32(1).lstr("ann").u16(300).str("short");
  const RowsEvent e = rows_event(RowsKind::kWrite, all, {}, rows);
  RowReader reader(e, t, 2000);
  RowChange row;
  EXPECT_FALSE(reader.next(row));
  ASSERT_TRUE(reader.failed());
  EXPECT_EQ(reader.error().offset, 2009u);
  EXPECT_NE(reader.error().message.find("BLOB"), std::string::npos) << reader.error().message;
}

TEST(RowReader, MismatchedEventsAreErrors) {
  const TableMapEvent t = people();
  const ByteVec all = {std::byte{0xff}};
  const ByteVec rows = BodyBuilder().u8(0).u32(1);
  RowChange row;
  {
    const RowsEvent e =
        rows_event(RowsKind::kWrite, all, {}, rows, 5);  // more columns than the map
    RowReader reader(e, t, 0);
    EXPECT_FALSE(reader.next(row));
    EXPECT_TRUE(reader.failed());
  }
  {
    const RowsEvent e = rows_event(RowsKind::kUpdate, all, {}, rows, 4);  // no after bitmap
    RowReader reader(e, t, 0);
    EXPECT_FALSE(reader.next(row));
    EXPECT_TRUE(reader.failed());
  }
  {
    const ByteVec none = {std::byte{0x00}};  // no column present: a row would take no bytes
    const RowsEvent e = rows_event(RowsKind::kWrite, none, {}, rows, 4);
    RowReader reader(e, t, 0);
    EXPECT_FALSE(reader.next(row));
    EXPECT_TRUE(reader.failed());
  }
}

TEST(RowReader, ReusesTheCellVectors) {
  const TableMapEvent t = people();
  const ByteVec all = {std::byte{0x0f}};
  BodyBuilder b;
  for (int i = 0; i < 100; ++i) b.u8(0x06).u32(i).u64(i);
  const ByteVec rows = b.data();
  const RowsEvent e = rows_event(RowsKind::kWrite, all, {}, rows);
  RowReader reader(e, t, 0);
  RowChange row;
  ASSERT_TRUE(reader.next(row));
  const Cell* cells = row.after.cells.data();
  int n = 1;
  while (reader.next(row)) {
    EXPECT_EQ(row.after.cells.data(), cells);
    ++n;
  }
  EXPECT_EQ(n, 100);
  EXPECT_FALSE(reader.failed());
}

}  // namespace
}  // namespace twinlog::protocol

namespace twinlog::protocol {
namespace {

TEST(RowReader, RefusesATableMapWithoutColumnMetadata) {
  TableMapEvent table;
  table.database = "test";
  table.table = "t1";
  table.columns.resize(1);
  table.columns[0].type = table.columns[0].real_type = ColumnType::kLong;
  table.has_column_metadata = false;
  std::vector<std::byte> present{std::byte{1}},
      data{std::byte{0}, std::byte{1}, std::byte{0}, std::byte{0}, std::byte{0}};
  RowsEvent rows;
  rows.column_count = 1;
  rows.columns_before = Bytes(present.data(), present.size());
  rows.rows = Bytes(data.data(), data.size());
  RowReader reader(rows, table, 100);
  RowChange row;
  EXPECT_FALSE(reader.next(row));
  ASSERT_TRUE(reader.failed());
  EXPECT_NE(reader.error().message.find("no column metadata"), std::string::npos);
}

}  // namespace
}  // namespace twinlog::protocol
