// The loop check over binlogs built event by event: a GTID logged three times, a
// transaction without GTID repeated (found by its content), a third server id, the
// peer's own id applied again under replicate-same-server-id, and the settings.
#include "src/checks/loop_check.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "src/source/memory_source.h"
#include "tests/support/config_text.h"
#include "tests/support/event_builder.h"
#include "tests/support/findings.h"

namespace twinlog::checks {
namespace {

using twinlog::testing::has;
using twinlog::testing::with_code;

using config::ServerConfig;
using report::Finding;
using report::Severity;
using testing::ByteVec;
using testing::HeaderFields;

using testing::config_of;

const char* kA = "[mysqld]\nserver-id=1\nlog-bin\nlog-slave-updates\n";
const char* kB = "[mysqld]\nserver-id=2\nlog-bin\nlog-slave-updates\n";

std::vector<Finding> run_events(const ServerConfig& source, const ServerConfig& other,
                                const std::vector<ByteVec>& events,
                                LoopCheck::Totals* totals = nullptr) {
  std::vector<ByteVec> all{testing::make_fde()};
  all.insert(all.end(), events.begin(), events.end());
  const ByteVec file = testing::make_binlog(all);
  EventStream stream(memory_binlog_opener("mysql-bin.000001", ByteSpan(file.data(), file.size())),
                     {});
  LoopCheck check(source, other, "A", "B");
  StreamEvent se;
  while (stream.next(se)) check.add(se);
  check.finish();
  if (totals) *totals = check.totals();
  return check.findings();
}

// GTID (standalone) + QUERY, from `server_id` at `timestamp`.
void standalone(std::vector<ByteVec>& out, uint64_t seq, std::string_view sql,
                uint32_t server_id = 1, uint32_t timestamp = 1700000000) {
  HeaderFields h;
  h.server_id = server_id;
  h.timestamp = timestamp;
  out.push_back(testing::maria_gtid_event(seq, 0, 1, h));
  out.push_back(testing::query_event("test", sql, h));
}

// A QUERY without GTID, as an old or a GTID-less server logs it; the thread id is
// the one a copy may change.
ByteVec bare_query(std::string_view sql, uint32_t thread_id, uint32_t timestamp,
                   uint32_t server_id = 1) {
  HeaderFields h;
  h.server_id = server_id;
  h.timestamp = timestamp;
  testing::QueryFields q;
  q.thread_id = thread_id;
  q.exec_time = thread_id;
  return testing::make_event(protocol::EventType::kQuery, testing::query_body("test", sql, q), h);
}

TEST(LoopCheck, AGtidLoggedThreeTimesIsOneDuplicate) {
  std::vector<ByteVec> events;
  standalone(events, 1, "INSERT INTO t VALUES (1)");
  standalone(events, 2, "UPDATE t SET n = n + 1", 2, 1700000000);
  standalone(events, 2, "UPDATE t SET n = n + 1", 2, 1700000001);
  standalone(events, 3, "INSERT INTO t VALUES (3)");
  standalone(events, 2, "UPDATE t SET n = n + 1", 2, 1700000002);
  LoopCheck::Totals totals;
  auto findings = run_events(config_of(kA, "a.cnf"), config_of(kB, "b.cnf"), events, &totals);
  auto dups = with_code(findings, "loop.duplicate_transaction");
  ASSERT_EQ(dups.size(), 1u);
  EXPECT_EQ(findings.size(), 1u);
  const Finding& f = *dups[0];
  EXPECT_EQ(f.severity, Severity::kError);
  EXPECT_TRUE(has(f.message, "transaction 0-2-2 is in A's binlog 3 times")) << f.message;
  EXPECT_TRUE(has(f.message, "1 copy per second")) << f.message;
  ASSERT_EQ(f.evidence.size(), 2u);
  EXPECT_EQ(f.evidence[0].gtid, "0-2-2");
  EXPECT_EQ(f.evidence[0].origin_server_id, 2u);
  EXPECT_LT(*f.evidence[0].start, *f.evidence[1].start);
  EXPECT_EQ(f.evidence[1].time, 1700000002u);
  // The table its copies change, as the stream digests name a statement's.
  EXPECT_EQ(f.evidence[0].table, "test.t");
  EXPECT_EQ(f.evidence[1].table, "test.t");
  EXPECT_EQ(totals.transactions, 5u);
  EXPECT_EQ(totals.repeated, 1u);
  EXPECT_EQ(totals.copies, 2u);
}

TEST(LoopCheck, ATransactionWithoutGtidIsKnownByItsContent) {
  // The copies differ in thread id and exec time, as copies applied elsewhere
  // do; the same statement at another second is another transaction.
  const std::vector<ByteVec> events{
      bare_query("INSERT INTO t VALUES (7)", 5, 1700000000, 2),
      bare_query("INSERT INTO t VALUES (8)", 5, 1700000000, 2),
      bare_query("INSERT INTO t VALUES (7)", 9, 1700000000, 2),
      bare_query("INSERT INTO t VALUES (7)", 5, 1700000050, 2),
  };
  LoopCheck::Totals totals;
  auto findings = run_events(config_of(kA, "a.cnf"), config_of(kB, "b.cnf"), events, &totals);
  auto dups = with_code(findings, "loop.duplicate_transaction");
  ASSERT_EQ(dups.size(), 1u);
  EXPECT_TRUE(has(dups[0]->message,
                  "a transaction of server_id 2 (no GTID; the same content) is "
                  "in A's binlog 2 times"))
      << dups[0]->message;
  EXPECT_TRUE(
      has(dups[0]->message, "carries the original's timestamp, so the binlog gives no rate"));
  EXPECT_EQ(dups[0]->evidence[0].gtid, "");
  EXPECT_EQ(dups[0]->evidence[0].table, "test.t");
  EXPECT_EQ(totals.copies, 1u);
}

// GTID, BEGIN, the statements, XID: one transaction from `server_id`.
void transaction(std::vector<ByteVec>& out, uint64_t seq, std::vector<std::string_view> sqls,
                 uint32_t server_id) {
  HeaderFields h;
  h.server_id = server_id;
  h.timestamp = 1700000000;
  out.push_back(testing::maria_gtid_event(seq, 0, 0, h));
  out.push_back(testing::query_event("test", "BEGIN", h));
  for (std::string_view sql : sqls) out.push_back(testing::query_event("test", sql, h));
  out.push_back(testing::xid_event(seq, h));
}

TEST(LoopCheck, ACopyNamesEveryTableItChanges) {
  // Each table once, in the order the transaction changes them; a statement the
  // analyzer cannot read stands for its database's statements. The first copy of
  // a GTID from a master is not looked into: only a copy is.
  std::vector<ByteVec> events;
  const std::vector<std::string_view> sqls{"INSERT INTO t VALUES (1)", "UPDATE other.u SET v = 2",
                                           "INSERT INTO t VALUES (2)",
                                           "INSERT INTO 'broken VALUES (3)"};
  transaction(events, 7, sqls, 2);
  transaction(events, 7, sqls, 2);
  transaction(events, 8, {"INSERT INTO w VALUES (1)"}, 2);
  auto findings = run_events(config_of(kA, "a.cnf"), config_of(kB, "b.cnf"), events);
  auto dups = with_code(findings, "loop.duplicate_transaction");
  ASSERT_EQ(dups.size(), 1u);
  std::vector<std::string> tables;
  for (const report::Evidence& e : dups[0]->evidence) tables.push_back(e.table);
  EXPECT_EQ(tables, (std::vector<std::string>{"test.t", "test.t", "other.u", "test (statements)"}));
  EXPECT_EQ(dups[0]->evidence[2].start, dups[0]->evidence[0].start);
  EXPECT_EQ(dups[0]->evidence[2].gtid, "0-2-7");
}

TEST(LoopCheck, AThirdServerIdIsAWarningUntilItCirculates) {
  std::vector<ByteVec> events;
  standalone(events, 1, "INSERT INTO t VALUES (1)", 3);
  auto findings = run_events(config_of(kA, "a.cnf"), config_of(kB, "b.cnf"), events);
  auto foreign = with_code(findings, "loop.foreign_server_id");
  ASSERT_EQ(foreign.size(), 1u);
  EXPECT_EQ(foreign[0]->severity, Severity::kWarning);
  EXPECT_EQ(foreign[0]->message,
            "1 transaction in A's binlog come from server_id 3, neither master's (A 1, B 2), "
            "changing test.t; none is there twice");
  EXPECT_EQ(foreign[0]->evidence[0].table, "test.t");

  standalone(events, 1, "INSERT INTO t VALUES (1)", 3);
  findings = run_events(config_of(kA, "a.cnf"), config_of(kB, "b.cnf"), events);
  foreign = with_code(findings, "loop.foreign_server_id");
  ASSERT_EQ(foreign.size(), 1u);
  EXPECT_EQ(foreign[0]->severity, Severity::kError);
  EXPECT_TRUE(has(foreign[0]->message, "they circulate"));
  EXPECT_EQ(foreign[0]->evidence.size(), 2u);
  EXPECT_EQ(with_code(findings, "loop.duplicate_transaction").size(), 1u);
}

TEST(LoopCheck, ThePeersOwnIdAppliedAgainUnderReplicateSameServerId) {
  std::vector<ByteVec> events;
  standalone(events, 1, "INSERT INTO t VALUES (1)", 1);
  standalone(events, 2, "INSERT INTO t VALUES (2)", 2);
  // B's binlog holds A's transaction 0-1-1 (B logs what it applied from A).
  const ServerConfig a_same = config_of(std::string(kA) + "replicate-same-server-id\n", "a.cnf");
  auto findings = run_events(config_of(kB, "b.cnf"), a_same, events);
  auto same = with_code(findings, "loop.same_server_id_applied");
  ASSERT_EQ(same.size(), 1u);
  EXPECT_EQ(same[0]->severity, Severity::kError);
  EXPECT_TRUE(has(same[0]->message,
                  "carry server_id 1, B's own, and B has "
                  "replicate-same-server-id (a.cnf:5)"))
      << same[0]->message;
  EXPECT_EQ(same[0]->evidence[0].gtid, "0-1-1");

  // Without the option the peer skips its own: nothing to say.
  EXPECT_TRUE(run_events(config_of(kB, "b.cnf"), config_of(kA, "a.cnf"), events).empty());
}

TEST(LoopCheck, SettingsThatLoop) {
  const ServerConfig a = config_of(kA, "a.cnf"), b = config_of(kB, "b.cnf");
  EXPECT_TRUE(loop_config_findings(a, b, false).empty());

  auto same = loop_config_findings(a, config_of("[mysqld]\nserver-id=1\n", "b.cnf"), false);
  ASSERT_EQ(same.size(), 1u);
  EXPECT_EQ(same[0].code, "config.same_server_id");
  EXPECT_EQ(same[0].evidence[1].option_source, "b.cnf:2");

  auto zero = loop_config_findings(config_of("[mysqld]\nserver-id=0\n", "a.cnf"), b, false);
  ASSERT_EQ(zero.size(), 1u);
  EXPECT_EQ(zero[0].code, "config.server_id_zero");

  auto looping = loop_config_findings(
      a, config_of(std::string(kB) + "replicate-same-server-id\n", "b.cnf"), false);
  ASSERT_EQ(looping.size(), 1u);
  EXPECT_EQ(looping[0].code, "config.same_server_id_replicated");
  EXPECT_EQ(looping[0].severity, Severity::kError);
  EXPECT_TRUE(has(looping[0].message, "refuses to start"));
  // Without log-bin the server ignores log-slave-updates: nothing goes round.
  EXPECT_TRUE(loop_config_findings(
                  a,
                  config_of("[mysqld]\nserver-id=2\nlog-slave-updates\nreplicate-same-server-id\n",
                            "b.cnf"),
                  false)
                  .empty());

  // gtid_ignore_duplicates only once a third server is seen; ON on A silences A's.
  auto third = loop_config_findings(
      config_of(std::string(kA) + "gtid-ignore-duplicates\n", "a.cnf"), b, true);
  ASSERT_EQ(third.size(), 1u);
  EXPECT_EQ(third[0].code, "config.gtid_ignore_duplicates_off");
  EXPECT_EQ(third[0].evidence[0].server, "B");
  EXPECT_EQ(third[0].severity, Severity::kWarning);
}

}  // namespace
}  // namespace twinlog::checks
