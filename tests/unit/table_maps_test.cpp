// TableMaps: a map whose bytes are the kept map's is that map (not decoded again);
// any other byte, or a format that reads the bytes otherwise, decodes anew.
#include "src/stream/table_maps.h"

#include <gtest/gtest.h>

#include "tests/support/event_builder.h"
#include "tests/support/event_decode.h"

namespace twinlog {
namespace {

using testing::byte_vec;
using testing::ByteVec;
using testing::mariadb1011;
using testing::view_of;

ByteVec map_event(std::string_view table, uint64_t id = 42, uint32_t timestamp = 1700000000) {
  // INT, VARCHAR(20)
  return testing::table_map_event(
      {id, 1, "test", table, byte_vec({3, 15}), byte_vec({20, 0}), byte_vec({0x02}), {}},
      {.timestamp = timestamp});
}

const protocol::TableMapEvent& decoded(TableMaps& maps, const ByteVec& event,
                                       const protocol::FormatDescription& format) {
  auto kept = maps.decode(view_of(event, format), format);
  EXPECT_TRUE(kept.ok()) << (kept.ok() ? "" : kept.error().message);
  static const protocol::TableMapEvent empty;
  return kept.ok() ? std::get<protocol::TableMapEvent>(*kept.value()) : empty;
}

TEST(TableMaps, TheSameBytesAgainAreTheKeptMap) {
  const auto format = mariadb1011();
  TableMaps maps;
  const ByteVec first = map_event("t1");
  const protocol::TableMapEvent& a = decoded(maps, first, format);
  // Another event (another header: time, position) with the same body.
  ByteVec again = map_event("t1", 42, 1700000999);
  const protocol::TableMapEvent& b = decoded(maps, again, format);
  EXPECT_EQ(&a, &b);
  // The kept map's views are into its own copy, not into either event's bytes.
  again.assign(again.size(), std::byte{0});
  EXPECT_EQ(b.database, "test");
  EXPECT_EQ(b.table, "t1");
  ASSERT_EQ(b.columns.size(), 2u);
  EXPECT_EQ(b.columns[1].meta, 20);
  EXPECT_EQ(maps.find(42), &b);
}

// Each column's layout, kept with the map for RowReader, follows the map in force.
TEST(TableMaps, LayoutsFollowTheMapInForce) {
  const auto format = mariadb1011();
  TableMaps maps;
  const auto same = [](std::span<const protocol::CellLayout> kept,
                       const protocol::TableMapEvent& map) {
    if (kept.size() != map.columns.size()) return false;
    for (std::size_t i = 0; i < kept.size(); ++i) {
      const protocol::CellLayout expected = protocol::cell_layout(map.columns[i]);
      if (kept[i].kind != expected.kind || kept[i].size != expected.size ||
          kept[i].prefix != expected.prefix) {
        return false;
      }
    }
    return true;
  };
  (void)decoded(maps, map_event("t1"), format);
  TableMaps::Found found = maps.find_with_layouts(42);
  ASSERT_NE(found.map, nullptr);
  EXPECT_TRUE(same(found.layouts, *found.map));
  // INT, VARCHAR(20), BIGINT under the same id.
  const ByteVec wider = testing::table_map_event(
      {42, 1, "test", "t1", byte_vec({3, 15, 8}), byte_vec({20, 0}), byte_vec({0x02}), {}});
  (void)decoded(maps, wider, format);
  found = maps.find_with_layouts(42);
  ASSERT_EQ(found.layouts.size(), 3u);
  EXPECT_TRUE(same(found.layouts, *found.map));
  EXPECT_EQ(found.layouts[2].kind, protocol::CellLayout::kFixed);
  EXPECT_EQ(found.layouts[2].size, 8u);
  EXPECT_EQ(maps.find_with_layouts(7).map, nullptr);
}

TEST(TableMaps, AnyOtherByteIsDecodedAnew) {
  const auto format = mariadb1011();
  TableMaps maps;
  (void)decoded(maps, map_event("t1"), format);
  // Same id, another table: the map now says t2.
  const protocol::TableMapEvent& other = decoded(maps, map_event("t2"), format);
  EXPECT_EQ(other.table, "t2");
  EXPECT_EQ(maps.find(42)->table, "t2");
  // Another id with t1's bytes otherwise: a map of its own.
  const protocol::TableMapEvent& third = decoded(maps, map_event("t1", 43), format);
  EXPECT_EQ(third.table_id, 43u);
  EXPECT_EQ(maps.find(42)->table, "t2");
  EXPECT_EQ(maps.find(43)->table, "t1");
}

TEST(TableMaps, AFormatThatReadsTheBytesOtherwiseDecodesAnew) {
  const auto format = mariadb1011();
  TableMaps maps;
  const ByteVec event = map_event("t1");
  (void)decoded(maps, event, format);
  // A post-header of 10 bytes: the same bytes carry 2 more post-header bytes, so
  // the names are read 2 bytes further on and the map does not decode as before.
  auto wider = format;
  wider.post_header_lengths[static_cast<uint8_t>(protocol::EventType::kTableMap) - 1] = 10;
  auto kept = maps.decode(view_of(event, wider), wider);
  ASSERT_FALSE(kept.ok() && std::get<protocol::TableMapEvent>(*kept.value()).table == "t1");
}

}  // namespace
}  // namespace twinlog
