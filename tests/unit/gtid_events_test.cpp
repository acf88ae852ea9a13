// GTID events: MySQL GTID / ANONYMOUS_GTID (5.6, 5.7, 8.0 layouts), GTID_TAGGED
// (mysql::serialization), PREVIOUS_GTIDS (untagged and tagged), TRANSACTION_CONTEXT,
// VIEW_CHANGE, XA_PREPARE, MariaDB GTID and GTID_LIST; and real ones.
#include <gtest/gtest.h>

#include <bit>
#include <cstdio>
#include <limits>
#include <set>
#include <string>

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

const ByteVec kSid = BodyBuilder()
                         .raw({0x55, 0x77, 0x89, 0x04, 0x02, 0x99, 0x11, 0xf1, 0xb1, 0xb8, 0x4e,
                               0xf0, 0xc4, 0x95, 0x6f, 0xeb})
                         .data();

std::string uuid_text(const Uuid& u) {
  std::string s;
  char buf[3];
  for (std::size_t i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) s += '-';
    std::snprintf(buf, sizeof buf, "%02x", u.bytes[i]);
    s += buf;
  }
  return s;
}

// mysql::serialization varlen integers, encoded the way the server does.
ByteVec varlen(uint64_t v) {
  const int n = ((std::bit_width(v) * 575) >> 12) + 1;
  BodyBuilder b;
  b.u8((((1u << (n - 1)) - 1) | (v << n)) & 0xff);
  if (n > 1) b.le(v >> (8 - n + ((n + 7) >> 4)), n - 1);
  return b.data();
}
ByteVec varlen_signed(int64_t v) {
  const uint64_t sign = v < 0 ? ~0ull : 0;
  return varlen(((static_cast<uint64_t>(v) ^ sign) << 1) | (sign & 1));
}

TEST(Varlen, EncoderMatchesTheRealSample) {
  // Bytes of the 9.6 sample: 0x89 is "25 02", 3 (signed) is "0c", 296 is "a1 04".
  EXPECT_EQ(varlen(0x89), BodyBuilder().raw({0x25, 0x02}).data());
  EXPECT_EQ(varlen_signed(3), BodyBuilder().raw({0x0c}).data());
  EXPECT_EQ(varlen(296), BodyBuilder().raw({0xa1, 0x04}).data());
  EXPECT_EQ(varlen(std::numeric_limits<uint64_t>::max()).size(), 9u);
}

// MySQL 8.0 GTID with every optional field.
ByteVec gtid80_body() {
  return BodyBuilder()
      .bytes(testing::mysql_gtid_body(kSid, std::numeric_limits<int64_t>::max(), 1, 41, 42))
      .le((1ull << 55) | 1700000000123456ull, 7)
      .le(1600000000000001ull, 7)
      .packed(1ull << 33)
      .u32((1u << 31) | 80036)
      .u32(50744)
      .u64(9)
      .data();
}

TEST(MySQLGtid, EveryField) {
  auto body = gtid80_body();
  auto r = decode_built(EventType::kGtid, body, mysql80());
  const auto& e = as<GtidEvent>(r);
  EXPECT_FALSE(e.anonymous);
  EXPECT_EQ(e.flags, 1);
  EXPECT_EQ(uuid_text(e.sid), "55778904-0299-11f1-b1b8-4ef0c4956feb");
  EXPECT_EQ(e.gno, std::numeric_limits<int64_t>::max());
  EXPECT_EQ(e.last_committed, 41);
  EXPECT_EQ(e.sequence_number, 42);
  EXPECT_EQ(e.immediate_commit_ts, 1700000000123456u);
  EXPECT_EQ(e.original_commit_ts, 1600000000000001u);
  EXPECT_EQ(e.transaction_length, 1ull << 33);
  EXPECT_EQ(e.immediate_server_version, 80036u);
  EXPECT_EQ(e.original_server_version, 50744u);
  EXPECT_EQ(e.commit_group_ticket, 9u);
  EXPECT_TRUE(e.tag.empty());
  // Valid shorter layouts: 5.6 (25 bytes), 5.7 (42), then each optional field.
  const std::set<std::size_t> ok = {25, 42, 56, 65, 73};
  check_truncations(EventType::kGtid, body, mysql80(),
                    [&](std::size_t n) { return ok.count(n) > 0; });
}

TEST(MySQLGtid, OriginalsDefaultToImmediate) {
  auto body = BodyBuilder()
                  .bytes(testing::mysql_gtid_body(kSid, 5, 0, 0, 1))
                  .le(123, 7)
                  .packed(100)
                  .u32(80400)
                  .data();
  auto r = decode_built(EventType::kGtid, body, mysql80());
  const auto& e = as<GtidEvent>(r);
  EXPECT_EQ(e.immediate_commit_ts, 123u);
  EXPECT_EQ(e.original_commit_ts, 123u);
  EXPECT_EQ(e.transaction_length, 100u);
  EXPECT_EQ(e.original_server_version, 80400u);
  EXPECT_FALSE(e.commit_group_ticket.has_value());
}

TEST(MySQLGtid, MySQL56LayoutAndAnonymous) {
  auto r = decode_built(EventType::kGtid, testing::mysql_gtid_body(kSid, 7), mysql80());
  EXPECT_EQ(as<GtidEvent>(r).gno, 7);
  EXPECT_FALSE(as<GtidEvent>(r).last_committed.has_value());
  auto a = decode_built(EventType::kAnonymousGtid,
                        testing::mysql_gtid_body(ByteVec(16), 0, 1, 3, 4), mysql80());
  EXPECT_TRUE(as<GtidEvent>(a).anonymous);
  EXPECT_EQ(as<GtidEvent>(a).sequence_number, 4);
}

TEST(MySQLGtid, BadInputFails) {
  // Logical clock type 3 (only 2 exists).
  auto lt = decode_built(
      EventType::kGtid,
      BodyBuilder().bytes(testing::mysql_gtid_body(kSid, 7)).u8(3).u64(0).u64(0).data(), mysql80());
  ASSERT_FALSE(lt.ok());
  EXPECT_EQ(lt.error().offset, 1019u + 25);
  auto extra = gtid80_body();
  extra.push_back(std::byte{1});
  ASSERT_FALSE(decode_built(EventType::kGtid, extra, mysql80()).ok());
}

// A GTID_TAGGED message: format 1, size, last non-ignorable 0, then `fields`.
ByteVec tagged_message(const ByteVec& fields, uint64_t last_non_ignorable = 0,
                       uint64_t version = 1) {
  // The size counts the whole message, its own varlen included.
  std::size_t size = fields.size() + varlen(version).size() + varlen(last_non_ignorable).size() + 1;
  if (varlen(size).size() > 1) size += varlen(size).size() - 1;
  return BodyBuilder()
      .bytes(varlen(version))
      .bytes(varlen(size))
      .bytes(varlen(last_non_ignorable))
      .bytes(fields)
      .data();
}

ByteVec tagged_fields(std::string_view tag, bool with_originals) {
  BodyBuilder b;
  b.bytes(varlen(0)).bytes(varlen(1));
  b.bytes(varlen(1));
  for (std::byte x : kSid) b.bytes(varlen(std::to_integer<uint64_t>(x)));
  b.bytes(varlen(2)).bytes(varlen_signed(std::numeric_limits<int64_t>::max()));
  b.bytes(varlen(3)).bytes(varlen(tag.size())).str(tag);
  b.bytes(varlen(4)).bytes(varlen_signed(-1));
  b.bytes(varlen(5)).bytes(varlen_signed(1));
  b.bytes(varlen(6)).bytes(varlen(1770000000000000ull));
  if (with_originals) b.bytes(varlen(7)).bytes(varlen(1660000000000000ull));
  b.bytes(varlen(8)).bytes(varlen(296));
  b.bytes(varlen(9)).bytes(varlen(90600));
  if (with_originals) b.bytes(varlen(10)).bytes(varlen(80400));
  b.bytes(varlen(11)).bytes(varlen(std::numeric_limits<uint64_t>::max()));
  return b.data();
}

TEST(GtidTagged, EveryField) {
  auto body = tagged_message(tagged_fields("a_tag_of_32_characters_xxxxxxxx", true));
  auto r = decode_built(EventType::kGtidTagged, body, mysql80());
  const auto& e = as<GtidEvent>(r);
  EXPECT_EQ(e.flags, 1);
  EXPECT_EQ(uuid_text(e.sid), "55778904-0299-11f1-b1b8-4ef0c4956feb");
  EXPECT_EQ(e.gno, std::numeric_limits<int64_t>::max());
  EXPECT_EQ(e.tag, "a_tag_of_32_characters_xxxxxxxx");
  EXPECT_EQ(e.last_committed, -1);
  EXPECT_EQ(e.sequence_number, 1);
  EXPECT_EQ(e.immediate_commit_ts, 1770000000000000u);
  EXPECT_EQ(e.original_commit_ts, 1660000000000000u);
  EXPECT_EQ(e.transaction_length, 296u);
  EXPECT_EQ(e.immediate_server_version, 90600u);
  EXPECT_EQ(e.original_server_version, 80400u);
  EXPECT_EQ(e.commit_group_ticket, std::numeric_limits<uint64_t>::max());
  EXPECT_EQ(check_truncations(EventType::kGtidTagged, body, mysql80()), body.size());
}

TEST(GtidTagged, MissingOriginalsTakeTheImmediateValues) {
  auto r =
      decode_built(EventType::kGtidTagged, tagged_message(tagged_fields("t", false)), mysql80());
  const auto& e = as<GtidEvent>(r);
  EXPECT_EQ(e.original_commit_ts, 1770000000000000u);
  EXPECT_EQ(e.original_server_version, 90600u);
}

TEST(GtidTagged, NewerIgnorableFieldsAreSkipped) {
  ByteVec fields = tagged_fields("t", true);
  auto extra = BodyBuilder().bytes(varlen(12)).bytes(varlen(5)).bytes(varlen(77)).data();
  fields.insert(fields.end(), extra.begin(), extra.end());
  auto r = decode_built(EventType::kGtidTagged, tagged_message(fields), mysql80());
  EXPECT_EQ(as<GtidEvent>(r).tag, "t");
}

TEST(GtidTagged, BadInputFails) {
  // An unknown field the reader may not ignore.
  ASSERT_FALSE(
      decode_built(EventType::kGtidTagged, tagged_message(tagged_fields("t", true), 14), mysql80())
          .ok());
  // Another serialization format.
  ASSERT_FALSE(decode_built(EventType::kGtidTagged, tagged_message(tagged_fields("t", true), 0, 2),
                            mysql80())
                   .ok());
  // A tag over 32 characters.
  ASSERT_FALSE(decode_built(EventType::kGtidTagged,
                            tagged_message(tagged_fields(std::string(33, 'x'), true)), mysql80())
                   .ok());
  // Field ids out of order.
  auto swapped =
      BodyBuilder().bytes(varlen(2)).bytes(varlen(1)).bytes(varlen(0)).bytes(varlen(1)).data();
  ASSERT_FALSE(decode_built(EventType::kGtidTagged, tagged_message(swapped), mysql80()).ok());
  // A uuid byte that does not fit a byte.
  auto wide = BodyBuilder().bytes(varlen(1)).bytes(varlen(256)).data();
  ASSERT_FALSE(decode_built(EventType::kGtidTagged, tagged_message(wide), mysql80()).ok());
  // Bytes after the message.
  auto trailing = tagged_message(tagged_fields("t", true));
  trailing.push_back(std::byte{0});
  ASSERT_FALSE(decode_built(EventType::kGtidTagged, trailing, mysql80()).ok());
}

TEST(PreviousGtids, Untagged) {
  auto body = BodyBuilder()
                  .u64(2)
                  .bytes(kSid)
                  .u64(2)
                  .u64(1)
                  .u64(6)
                  .u64(8)
                  .u64(std::numeric_limits<int64_t>::max())
                  .raw({0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1})
                  .u64(0)
                  .data();
  auto r = decode_built(EventType::kPreviousGtids, body, mysql80());
  const auto& e = as<PreviousGtidsEvent>(r);
  ASSERT_EQ(e.sets.size(), 2u);
  EXPECT_EQ(uuid_text(e.sets[0].sid), "55778904-0299-11f1-b1b8-4ef0c4956feb");
  ASSERT_EQ(e.sets[0].intervals.size(), 2u);
  EXPECT_EQ(e.sets[0].intervals[0].start, 1);
  EXPECT_EQ(e.sets[0].intervals[0].end, 6);
  EXPECT_EQ(e.sets[0].intervals[1].end, std::numeric_limits<int64_t>::max());
  EXPECT_TRUE(e.sets[1].intervals.empty());
  EXPECT_TRUE(e.sets[0].tag.empty());
  EXPECT_EQ(check_truncations(EventType::kPreviousGtids, body, mysql80()), body.size());
  auto empty = decode_built(EventType::kPreviousGtids, BodyBuilder().u64(0).data(), mysql80());
  EXPECT_TRUE(as<PreviousGtidsEvent>(empty).sets.empty());
}

TEST(PreviousGtids, Tagged) {
  auto body = BodyBuilder()
                  .u64((1ull << 56) | (2ull << 8) | 1)
                  .bytes(kSid)
                  .bytes(varlen(0))
                  .u64(1)
                  .u64(1)
                  .u64(14)
                  .bytes(kSid)
                  .bytes(varlen(5))
                  .str("mytag")
                  .u64(1)
                  .u64(1)
                  .u64(3)
                  .data();
  auto r = decode_built(EventType::kPreviousGtids, body, mysql80());
  const auto& e = as<PreviousGtidsEvent>(r);
  ASSERT_EQ(e.sets.size(), 2u);
  EXPECT_EQ(e.sets[0].tag, "");
  EXPECT_EQ(e.sets[0].intervals[0].end, 14);
  EXPECT_EQ(e.sets[1].tag, "mytag");
  EXPECT_EQ(e.sets[1].intervals[0].end, 3);
  EXPECT_EQ(check_truncations(EventType::kPreviousGtids, body, mysql80()), body.size());
}

TEST(PreviousGtids, BadInputFails) {
  ASSERT_FALSE(
      decode_built(EventType::kPreviousGtids, BodyBuilder().u64(2ull << 56).data(), mysql80())
          .ok());
  auto huge = decode_built(EventType::kPreviousGtids,
                           BodyBuilder().u64(1ull << 40).bytes(kSid).data(), mysql80());
  ASSERT_FALSE(huge.ok());
  EXPECT_EQ(huge.error().offset, 1019u);
  auto intervals = decode_built(EventType::kPreviousGtids,
                                BodyBuilder().u64(1).bytes(kSid).u64(1ull << 60).data(), mysql80());
  ASSERT_FALSE(intervals.ok());
  ASSERT_FALSE(
      decode_built(EventType::kPreviousGtids, BodyBuilder().u64(0).u8(0).data(), mysql80()).ok());
}

TEST(TransactionContext, Fields) {
  const std::string uuid = "8a94f357-aab4-11df-86ab-c80aa9429562";
  auto body = BodyBuilder()
                  .u8(uuid.size())
                  .u32(0xffffffff)
                  .u8(1)
                  .u32(0)
                  .u32(1)
                  .u32(0)
                  .str(uuid)
                  .u16(3)
                  .str("abc")
                  .data();
  auto r = decode_built(EventType::kTransactionContext, body, mysql80());
  const auto& e = as<TransactionContextEvent>(r);
  EXPECT_EQ(e.server_uuid, uuid);
  EXPECT_EQ(e.thread_id, 0xffffffffu);
  EXPECT_TRUE(e.gtid_specified);
  EXPECT_EQ(e.rest.size(), 5u);
  EXPECT_EQ(check_truncations(EventType::kTransactionContext, body, mysql80(),
                              [&](std::size_t n) { return n >= 18 + uuid.size(); }),
            18 + uuid.size());
}

TEST(ViewChange, Fields) {
  char id[40] = "1488878848:1";
  auto body = BodyBuilder()
                  .str(std::string_view(id, 40))
                  .u64(std::numeric_limits<uint64_t>::max())
                  .u32(0)
                  .data();
  auto r = decode_built(EventType::kViewChange, body, mysql80());
  EXPECT_EQ(as<ViewChangeEvent>(r).view_id, "1488878848:1");
  EXPECT_EQ(as<ViewChangeEvent>(r).seq_number, std::numeric_limits<uint64_t>::max());
  EXPECT_EQ(as<ViewChangeEvent>(r).rest.size(), 4u);
  EXPECT_EQ(check_truncations(EventType::kViewChange, body, mysql80(),
                              [](std::size_t n) { return n >= 48; }),
            48u);
}

TEST(XaPrepare, Fields) {
  auto body = BodyBuilder().u8(1).u32(0xffffffff).u32(3).u32(2).str("abcde").data();
  auto r = decode_built(EventType::kXaPrepare, body, mysql80());
  const auto& e = as<XaPrepareEvent>(r);
  EXPECT_TRUE(e.one_phase);
  EXPECT_EQ(e.xid.format_id, -1);
  EXPECT_EQ(as_chars(e.xid.gtrid), "abc");
  EXPECT_EQ(as_chars(e.xid.bqual), "de");
  EXPECT_EQ(check_truncations(EventType::kXaPrepare, body, mysql80()), body.size());
  auto big = decode_built(
      EventType::kXaPrepare,
      BodyBuilder().u8(0).u32(1).u32(65).u32(0).str(std::string(65, 'x')).data(), mysql80());
  ASSERT_FALSE(big.ok());
  EXPECT_EQ(big.error().offset, 1019u + 5);
}

TEST(MariaGtid, StandaloneWithPadding) {
  auto body = testing::maria_gtid_body(std::numeric_limits<uint64_t>::max(), 0xffffffff, 0x01);
  auto r = decode_built(EventType::kMariaGtid, body, mariadb1011());
  const auto& e = as<MariaGtidEvent>(r);
  EXPECT_EQ(e.seq_no, std::numeric_limits<uint64_t>::max());
  EXPECT_EQ(e.domain_id, 0xffffffffu);
  EXPECT_TRUE(e.standalone());
  EXPECT_FALSE(e.commit_id.has_value());
  EXPECT_FALSE(e.xid.has_value());
  EXPECT_EQ(e.flags_extra, 0);
  EXPECT_EQ(check_truncations(EventType::kMariaGtid, body, mariadb1011(),
                              [](std::size_t n) { return n >= 13; }),
            13u);
}

TEST(MariaGtid, CommitIdXaAndExtraFlags) {
  auto body = BodyBuilder()
                  .u64(100)
                  .u32(1)
                  .u8(0x02 | 0x04 | 0x40)
                  .u64(555)
                  .u32(1)
                  .u8(2)
                  .u8(1)
                  .str("gtb")
                  .u8(0x01 | 0x04)
                  .u8(2)
                  .u64(99)
                  .data();
  auto r = decode_built(EventType::kMariaGtid, body, mariadb1011());
  const auto& e = as<MariaGtidEvent>(r);
  EXPECT_EQ(e.commit_id, 555u);
  ASSERT_TRUE(e.xid.has_value());
  EXPECT_EQ(e.xid->format_id, 1);
  EXPECT_EQ(as_chars(e.xid->gtrid), "gt");
  EXPECT_EQ(as_chars(e.xid->bqual), "b");
  EXPECT_EQ(e.flags_extra, 0x05);
  // Without the extra flags (before 10.x) the event ends after the XID.
  const std::size_t xid_end = 13 + 8 + 6 + 3;
  EXPECT_EQ(check_truncations(EventType::kMariaGtid, body, mariadb1011(),
                              [&](std::size_t n) { return n == xid_end; }),
            body.size() - 1);
}

TEST(MariaGtidList, FlagsAndEntries) {
  auto body = BodyBuilder()
                  .u32((0xfu << 28) | 2)
                  .u32(0)
                  .u32(1)
                  .u64(24)
                  .u32(0xffffffff)
                  .u32(2)
                  .u64(std::numeric_limits<uint64_t>::max())
                  .data();
  auto r = decode_built(EventType::kMariaGtidList, body, mariadb1011());
  const auto& e = as<MariaGtidListEvent>(r);
  EXPECT_EQ(e.flags, 0xf);
  ASSERT_EQ(e.gtids.size(), 2u);
  EXPECT_EQ(e.gtids[0].server_id, 1u);
  EXPECT_EQ(e.gtids[0].seq_no, 24u);
  EXPECT_EQ(e.gtids[1].domain_id, 0xffffffffu);
  EXPECT_EQ(check_truncations(EventType::kMariaGtidList, body, mariadb1011()), body.size());
  ASSERT_FALSE(
      decode_built(EventType::kMariaGtidList, BodyBuilder().u32(0x0fffffff).data(), mariadb1011())
          .ok());
}

// Real binlogs.
TEST(GtidEventsCorpus, MySQL96TaggedGtidAndTaggedPreviousGtids) {
  const auto bytes = testing::read_file_bytes(
      testing::kCorpus +
      "blackbeam__rust_mysql_common/test-data__binlogs__binlog_transaction_with_GTID_TAG.000001");
  const auto events = testing::decode_file(bytes);
  auto gtids = testing::events_of<GtidEvent>(events);
  ASSERT_EQ(gtids.size(), 1u);
  const auto& g = *gtids[0];
  EXPECT_EQ(uuid_text(g.sid), "55778904-0299-11f1-b1b8-4ef0c4956feb");
  EXPECT_EQ(g.tag, "mytag");
  EXPECT_EQ(g.gno, 3);
  EXPECT_EQ(g.flags, 0);
  EXPECT_EQ(g.last_committed, 0);
  EXPECT_EQ(g.sequence_number, 1);
  EXPECT_EQ(g.immediate_commit_ts, 0x064a2414b8f31cu);
  EXPECT_EQ(g.original_commit_ts, g.immediate_commit_ts);
  EXPECT_EQ(g.transaction_length, 296u);
  EXPECT_EQ(g.immediate_server_version, 90600u);
  EXPECT_EQ(g.original_server_version, 90600u);
  EXPECT_FALSE(g.commit_group_ticket.has_value());
  // The transaction spans 245..541, the 296 bytes transaction_length says.
  auto prev = testing::events_of<PreviousGtidsEvent>(events);
  ASSERT_EQ(prev.size(), 1u);
  ASSERT_EQ(prev[0]->sets.size(), 2u);
  EXPECT_EQ(prev[0]->sets[0].tag, "");
  EXPECT_EQ(prev[0]->sets[0].intervals[0].start, 1);
  EXPECT_EQ(prev[0]->sets[0].intervals[0].end, 14);
  EXPECT_EQ(prev[0]->sets[1].tag, "mytag");
  EXPECT_EQ(prev[0]->sets[1].intervals[0].end, 3);
}

TEST(GtidEventsCorpus, MySQL56And57And80Gtids) {
  const struct {
    const char* file;
    const char* first;
    const char* last;
  } cases[] = {
      {"blackbeam__rust_mysql_common/test-data__binlogs__binlog_transaction_with_GTID.000001",
       "006c2cf2-b1ea-11e4-9057-8c705a3d3e78:1", "006c2cf2-b1ea-11e4-9057-8c705a3d3e78:3"},
      {"blackbeam__rust_mysql_common/test-data__binlogs__binlog_56_gtid_reserved_word.000001",
       "11111111-1111-1111-1111-111111111111:1", "11111111-1111-1111-1111-111111111111:6"},
      {"rust-us__mysql-cdc-rs/tests__events__5.7__33_35_gtid_prev_gtid__log.bin",
       "80549ecc-d2f2-11ea-b790-0242ac130002:1", "80549ecc-d2f2-11ea-b790-0242ac130002:3"},
      {"Percona-Lab__percona-binlog-server/data_80045_gtid__binlog.000001",
       "396e294c-1ca4-11f1-9ae7-00155da79c6b:1", "396e294c-1ca4-11f1-9ae7-00155da79c6b:4"},
  };
  for (const auto& c : cases) {
    const auto bytes = testing::read_file_bytes(testing::kCorpus + c.file);
    const auto gtids_events = testing::decode_file(bytes);
    auto gtids = testing::events_of<GtidEvent>(gtids_events);
    ASSERT_FALSE(gtids.empty()) << c.file;
    EXPECT_EQ(uuid_text(gtids.front()->sid) + ":" + std::to_string(gtids.front()->gno), c.first);
    EXPECT_EQ(uuid_text(gtids.back()->sid) + ":" + std::to_string(gtids.back()->gno), c.last);
  }
  // 8.0.45 writes every field up to the server versions.
  const auto bytes = testing::read_file_bytes(
      testing::kCorpus + "Percona-Lab__percona-binlog-server/data_80045_gtid__binlog.000001");
  const auto gtids_events = testing::decode_file(bytes);
  auto gtids = testing::events_of<GtidEvent>(gtids_events);
  for (auto* g : gtids) {
    EXPECT_EQ(g->immediate_server_version, 80045u);
    EXPECT_TRUE(g->transaction_length.has_value());
    EXPECT_TRUE(g->immediate_commit_ts.has_value());
  }
}

TEST(GtidEventsCorpus, PreviousGtidsUntagged) {
  const auto bytes = testing::read_file_bytes(
      testing::kCorpus + "ikarishinjieva__mysql_binlog_utils/test__mysql-bin56.000002");
  const auto prev_events = testing::decode_file(bytes);
  auto prev = testing::events_of<PreviousGtidsEvent>(prev_events);
  ASSERT_EQ(prev.size(), 1u);
  // 7e23401a-c603-11e3-8e13-5e10e6a05cfb:1-5, 8186fc1e-...:1-11, a6ce328c-...:1-6, b7009920-...:1-6
  std::string text;
  for (const auto& s : prev[0]->sets) {
    for (const auto& iv : s.intervals) {
      text += uuid_text(s.sid) + ":" + std::to_string(iv.start) + "-" + std::to_string(iv.end - 1) +
              ",";
    }
  }
  EXPECT_EQ(text,
            "7e23401a-c603-11e3-8e13-5e10e6a05cfb:1-5,8186fc1e-c5ff-11e3-8df9-e66ccf50db66:1-11,"
            "a6ce328c-c602-11e3-8e0d-e66ccf50db66:1-6,b7009920-c601-11e3-8e07-5e10e6a05cfb:1-6,");

  const auto b80 = testing::read_file_bytes(
      testing::kCorpus +
      "blackbeam__rust_mysql_common/"
      "test-data__binlogs__binlog_transaction_previous_GTID_no_tag.000001");
  const auto p80_events = testing::decode_file(b80);
  auto p80 = testing::events_of<PreviousGtidsEvent>(p80_events);
  ASSERT_EQ(p80.size(), 1u);
  ASSERT_EQ(p80[0]->sets.size(), 1u);
  EXPECT_EQ(uuid_text(p80[0]->sets[0].sid), "b9b88c66-0755-11f1-9899-4a9da94c4d71");
  EXPECT_EQ(p80[0]->sets[0].intervals[0].start, 1);
  EXPECT_EQ(p80[0]->sets[0].intervals[0].end, 3);
}

TEST(GtidEventsCorpus, MariaDB118) {
  // "Gtid list [0-10-292193]", then "GTID 0-10-292194 ddl", 0-10-292195, 0-10-292196
  const auto bytes =
      testing::read_file_bytes(testing::kCorpus +
                               "mariadb-operator__mariadb-poc/"
                               "mariadb-binlog__binlogs__domain_id_0__mariadb-repl-bin.000009");
  const auto events = testing::decode_file(bytes);
  auto lists = testing::events_of<MariaGtidListEvent>(events);
  ASSERT_EQ(lists.size(), 1u);
  ASSERT_EQ(lists[0]->gtids.size(), 1u);
  EXPECT_EQ(lists[0]->gtids[0].domain_id, 0u);
  EXPECT_EQ(lists[0]->gtids[0].server_id, 10u);
  EXPECT_EQ(lists[0]->gtids[0].seq_no, 292193u);
  auto gtids = testing::events_of<MariaGtidEvent>(events);
  ASSERT_EQ(gtids.size(), 3u);
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(gtids[i]->seq_no, 292194u + i);
    EXPECT_EQ(gtids[i]->domain_id, 0u);
    EXPECT_TRUE(gtids[i]->standalone());
    EXPECT_TRUE(gtids[i]->flags & 0x20);  // FL_DDL: "ddl"
  }
}

TEST(GtidEventsCorpus, MariaDB100) {
  // "Gtid list []", "GTID 0-1-1", "GTID 0-1-2", ...
  const auto bytes =
      testing::read_file_bytes(testing::kCorpus + "pingcap__tiflow/mysql-bin.000001");
  const auto events = testing::decode_file(bytes);
  auto lists = testing::events_of<MariaGtidListEvent>(events);
  ASSERT_EQ(lists.size(), 1u);
  EXPECT_TRUE(lists[0]->gtids.empty());
  auto gtids = testing::events_of<MariaGtidEvent>(events);
  ASSERT_EQ(gtids.size(), 20u);
  EXPECT_EQ(gtids[0]->seq_no, 1u);
  EXPECT_EQ(gtids[1]->seq_no, 2u);
  EXPECT_EQ(gtids[0]->domain_id, 0u);
}

}  // namespace
}  // namespace twinlog::protocol
