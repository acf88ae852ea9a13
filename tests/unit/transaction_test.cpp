#include "src/stream/transaction.h"

#include <gtest/gtest.h>

#include "src/source/memory_source.h"
#include "tests/support/event_builder.h"

namespace twinlog {
namespace {

using testing::BodyBuilder;
using testing::ByteVec;
using testing::HeaderFields;
using testing::make_binlog;
using testing::make_event;
using testing::make_fde;

ByteVec query(std::string_view sql, uint32_t server_id = 1, uint32_t timestamp = 1700000000) {
  return make_event(2, BodyBuilder().u32(7).u32(0).u8(4).u16(0).u16(0).cstr("test").str(sql),
                    HeaderFields{timestamp, server_id});
}
ByteVec xid(uint32_t server_id = 1, uint32_t timestamp = 1700000000) {
  return make_event(16, BodyBuilder().u64(5), HeaderFields{timestamp, server_id});
}
ByteVec maria_gtid(uint64_t seq, uint8_t flags, uint32_t server_id) {
  return make_event(162, BodyBuilder().u64(seq).u32(0).u8(flags),
                    HeaderFields{1700000000, server_id});
}

std::vector<TransactionSummary> transactions(const ByteVec& file,
                                             std::vector<Boundary>* boundaries = nullptr) {
  EventStream stream(memory_binlog_opener("mysql-bin.000001", ByteSpan(file.data(), file.size())),
                     {});
  TransactionAssembler assembler;
  std::vector<TransactionSummary> out;
  StreamEvent se;
  while (stream.next(se)) {
    Boundary b = assembler.add(se);
    if (boundaries) boundaries->push_back(b);
    if (assembler.completed()) out.push_back(*assembler.completed());
  }
  if (auto open = assembler.finish()) out.push_back(*open);
  return out;
}

TEST(TransactionAssembler, BeginToXid) {
  std::vector<Boundary> b;
  auto t = transactions(make_binlog({make_fde(), query("BEGIN", 2),
                                     query("INSERT INTO t VALUES (1)", 2), xid(2, 1700000009)}),
                        &b);
  ASSERT_EQ(t.size(), 1u);
  EXPECT_EQ(t[0].server_id, 2u);
  EXPECT_TRUE(t[0].committed);
  EXPECT_TRUE(t[0].complete);
  EXPECT_EQ(t[0].events, 3u);
  EXPECT_EQ(t[0].last_timestamp - t[0].first_timestamp, 9u);
  EXPECT_EQ(b, (std::vector<Boundary>{Boundary::kNone, Boundary::kBegin, Boundary::kInside,
                                      Boundary::kEnd}));
  EXPECT_EQ(t[0].start, 256u);
}

TEST(TransactionAssembler, MariadbGtidGroupsAndStandaloneDdl) {
  auto t = transactions(make_binlog(
      {make_fde(), maria_gtid(10, 0x0c, 1), query("BEGIN"), query("INSERT INTO t VALUES (1)"),
       xid(), maria_gtid(11, 0x01 | 0x20, 2), query("CREATE TABLE t2 (a INT)", 2)}));
  ASSERT_EQ(t.size(), 2u);
  EXPECT_EQ(t[0].gtid_text(), "0-1-10");
  EXPECT_EQ(t[0].events, 4u);
  EXPECT_EQ(t[1].gtid_text(), "0-2-11");
  EXPECT_EQ(t[1].server_id, 2u);
  EXPECT_EQ(t[1].events, 2u);
}

TEST(TransactionAssembler, MariadbGtidStandsForBegin) {
  // MariaDB writes GTID (not standalone), the statements, XID: no BEGIN query.
  auto t = transactions(
      make_binlog({make_fde(), maria_gtid(5, 0x0c, 2), query("INSERT INTO t VALUES (1)", 2),
                   query("INSERT INTO t VALUES (2)", 2), xid(2)}));
  ASSERT_EQ(t.size(), 1u);
  EXPECT_EQ(t[0].gtid_text(), "0-2-5");
  EXPECT_EQ(t[0].events, 4u);
  EXPECT_TRUE(t[0].complete);
}

TEST(TransactionAssembler, RollbackAndStatementAlone) {
  auto t = transactions(
      make_binlog({make_fde(), query("BEGIN"), query("UPDATE t SET a=1"), query("ROLLBACK"),
                   query("CREATE TABLE x (a INT)"), query("  commit")}));
  ASSERT_EQ(t.size(), 3u);
  EXPECT_FALSE(t[0].committed);
  EXPECT_EQ(t[1].events, 1u);
  EXPECT_TRUE(t[1].complete);
}

TEST(TransactionAssembler, SavepointRollbackStaysInside) {
  auto t = transactions(make_binlog(
      {make_fde(), query("BEGIN"), query("SAVEPOINT s"), query("ROLLBACK TO s"), xid()}));
  ASSERT_EQ(t.size(), 1u);
  EXPECT_EQ(t[0].events, 4u);
  EXPECT_TRUE(t[0].committed);
}

TEST(TransactionAssembler, UnfinishedTransactionIsIncomplete) {
  auto t = transactions(make_binlog({make_fde(), query("BEGIN"), query("INSERT INTO t VALUES (1)"),
                                     maria_gtid(3, 0x0c, 1), query("BEGIN"), xid()}));
  ASSERT_EQ(t.size(), 2u);
  EXPECT_FALSE(t[0].complete);
  EXPECT_TRUE(t[1].complete);
  auto open =
      transactions(make_binlog({make_fde(), query("BEGIN"), query("INSERT INTO t VALUES (1)")}));
  ASSERT_EQ(open.size(), 1u);
  EXPECT_FALSE(open[0].complete);
}

TEST(TransactionAssembler, FormatsGtids) {
  protocol::GtidEvent g;
  for (uint8_t i = 0; i < 16; ++i) g.sid.bytes[i] = static_cast<uint8_t>(i * 17);
  g.gno = 23;
  EXPECT_EQ(format_gtid(g), "00112233-4455-6677-8899-aabbccddeeff:23");
  g.tag = "blue";
  EXPECT_EQ(format_gtid(g), "00112233-4455-6677-8899-aabbccddeeff:blue:23");
  g.anonymous = true;
  EXPECT_EQ(format_gtid(g), "");
}

}  // namespace
}  // namespace twinlog
