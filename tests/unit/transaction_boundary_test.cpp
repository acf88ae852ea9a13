#include "protocol/transaction_boundary.h"

#include <gtest/gtest.h>

#include "tests/support/event_builder.h"

namespace twinlog {
namespace {

using protocol::TransactionBoundaryTracker;
using testing::BodyBuilder;
using testing::ByteVec;
using testing::make_event;
using testing::make_fde;
using testing::span;

uint64_t seq_no_of(const std::optional<protocol::Gtid>& gtid) {
  return std::get<protocol::MariaGtid>(gtid.value()).seq_no;
}

protocol::FormatDescription format_of(const ByteVec& fde) {
  auto f = protocol::decode_format_description(span(fde).subspan(protocol::kHeaderLength),
                                               protocol::kHeaderLength);
  EXPECT_TRUE(f.ok());
  return *f;
}

class TrackerTest : public ::testing::Test {
 protected:
  ByteVec fde = make_fde("10.11.6-MariaDB-log");
  protocol::FormatDescription format = format_of(fde);
  TransactionBoundaryTracker tracker;

  bool feed(const ByteVec& ev) { return tracker.feed(span(ev), format); }

  static ByteVec query(std::string_view text, std::string_view db = "test") {
    // thread_id, exec_time, db_len, error_code, status_vars_len (0), db NUL, text
    auto body = BodyBuilder().u32(7).u32(0).u8(db.size()).u16(0).u16(0).cstr(db).str(text);
    return make_event(2, body);
  }
  static ByteVec maria_gtid(uint64_t seq, uint32_t domain, uint8_t flags, uint32_t server_id = 1) {
    auto body = BodyBuilder().u64(seq).u32(domain).u8(flags).raw({0, 0, 0, 0, 0, 0});
    testing::HeaderFields h;
    h.server_id = server_id;
    return make_event(162, body, h);
  }
  static ByteVec event(uint8_t type) { return make_event(type, BodyBuilder().u64(1).u64(2)); }
  static ByteVec xid() { return make_event(16, BodyBuilder().u64(99)); }
};

TEST_F(TrackerTest, ControlEventsStandAlone) {
  EXPECT_TRUE(feed(fde));
  EXPECT_TRUE(feed(event(163)));  // GTID_LIST
  EXPECT_TRUE(feed(event(161)));  // BINLOG_CHECKPOINT
  EXPECT_TRUE(tracker.at_boundary());
}

TEST_F(TrackerTest, MariaDbTransactionEndsAtXid) {
  EXPECT_FALSE(feed(maria_gtid(5, 0, 0x04, 2)));
  EXPECT_FALSE(feed(event(160)));  // ANNOTATE_ROWS
  EXPECT_FALSE(feed(event(19)));   // TABLE_MAP
  EXPECT_FALSE(feed(event(30)));   // WRITE_ROWS
  EXPECT_FALSE(feed(event(13)));   // a FORMAT-less event inside changes nothing
  EXPECT_FALSE(tracker.at_boundary());
  EXPECT_TRUE(feed(xid()));
  ASSERT_TRUE(tracker.last_completed_gtid());
  EXPECT_EQ(*tracker.last_completed_gtid(), protocol::Gtid(protocol::MariaGtid{0, 2, 5}));
}

TEST_F(TrackerTest, MariaDbNonTransactionalEndsAtCommitQuery) {
  EXPECT_FALSE(feed(maria_gtid(6, 1, 0)));
  EXPECT_FALSE(feed(event(19)));
  EXPECT_FALSE(feed(event(23)));
  EXPECT_FALSE(feed(query("ROLLBACK TO SAVEPOINT s1")));
  EXPECT_TRUE(feed(query("COMMIT")));
  EXPECT_EQ(seq_no_of(tracker.last_completed_gtid()), 6u);
}

TEST_F(TrackerTest, MariaDbStandaloneDdlIsOneStatement) {
  EXPECT_FALSE(feed(maria_gtid(7, 0, 0x01 | 0x20)));
  EXPECT_TRUE(feed(query("CREATE TABLE t (id INT)")));
  EXPECT_EQ(seq_no_of(tracker.last_completed_gtid()), 7u);
  EXPECT_FALSE(feed(maria_gtid(8, 0, 0x01)));
  EXPECT_FALSE(feed(event(5)));  // INTVAR before the statement
  EXPECT_TRUE(feed(query("INSERT INTO m VALUES (NULL)")));
}

TEST_F(TrackerTest, MariaDbXaPrepareEndsTheGroup) {
  EXPECT_FALSE(feed(maria_gtid(9, 0, 0x40)));
  EXPECT_FALSE(feed(event(19)));
  EXPECT_FALSE(feed(event(30)));
  EXPECT_FALSE(feed(query("XA END X'31',X'',1")));
  EXPECT_TRUE(feed(make_event(38, BodyBuilder().u8(0).u32(1).u32(1).u32(0).str("1"))));
}

TEST_F(TrackerTest, MySqlGtidThenBeginUntilXid) {
  ByteVec gtid = make_event(33, BodyBuilder().u8(1).u64(1).u64(2).u64(3));
  EXPECT_FALSE(feed(gtid));
  EXPECT_FALSE(feed(query("BEGIN")));
  EXPECT_FALSE(feed(event(19)));
  EXPECT_FALSE(feed(event(31)));
  EXPECT_TRUE(feed(xid()));
  // MySQL GTIDs are read too (the old tracker knew only MariaDB's).
  ASSERT_TRUE(tracker.last_completed_gtid());
  EXPECT_EQ(protocol::to_string(*tracker.last_completed_gtid()),
            "01000000-0000-0000-0200-000000000000:3");
  EXPECT_FALSE(feed(gtid));
  EXPECT_TRUE(feed(query("ALTER TABLE t ADD c INT")));
  EXPECT_FALSE(feed(gtid));
  EXPECT_TRUE(feed(event(40)));  // TRANSACTION_PAYLOAD holds the whole transaction
}

TEST_F(TrackerTest, NoGtidsBeginCommitAndAutocommit) {
  EXPECT_FALSE(feed(query("BEGIN")));
  EXPECT_FALSE(feed(query("INSERT INTO t VALUES (1)")));
  EXPECT_TRUE(feed(query("COMMIT")));
  EXPECT_TRUE(feed(query("INSERT INTO myisam_t VALUES (1)")));
  EXPECT_FALSE(feed(query("XA START X'31'")));
  EXPECT_FALSE(feed(query("XA END X'31'")));
  EXPECT_TRUE(feed(make_event(38, BodyBuilder().u8(0).u32(1).u32(1).u32(0).str("1"))));
}

TEST_F(TrackerTest, RowsMetOutsideWaitForTheEnd) {
  // A stream that starts inside a transaction: nothing is a boundary until its XID.
  EXPECT_FALSE(feed(event(19)));
  EXPECT_FALSE(feed(event(30)));
  EXPECT_FALSE(feed(event(163)));
  EXPECT_TRUE(feed(xid()));
}

TEST_F(TrackerTest, QueryTextPastStatusVariablesAndWithoutChecksum) {
  auto body = BodyBuilder()
                  .u32(7)
                  .u32(0)
                  .u8(4)
                  .u16(0)
                  .u16(4)
                  .raw({0x05, 2, 'U', 'T'})  // Q_TIME_ZONE "UT"
                  .cstr("test")
                  .str(" commit ;");
  ByteVec fde_none = make_fde("10.11.6-MariaDB-log", 0);
  protocol::FormatDescription none = format_of(fde_none);
  EXPECT_FALSE(tracker.feed(span(maria_gtid(1, 0, 0)), none));
  EXPECT_TRUE(tracker.feed(span(make_event(2, body, {}, false)), none));
}

TEST_F(TrackerTest, ShortEventsDoNotCrash) {
  ByteVec tiny(10, std::byte{2});
  EXPECT_TRUE(feed(tiny));
  ByteVec short_query = make_event(2, BodyBuilder().u32(1));
  EXPECT_TRUE(feed(short_query));
  ByteVec short_gtid = make_event(162, BodyBuilder().u32(1));
  EXPECT_TRUE(feed(short_gtid));
}

}  // namespace
}  // namespace twinlog
