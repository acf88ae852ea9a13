// `twinlog diff` on ROW-format pairs, live, for the two findings the unit tests
// of the aligner prove on built events:
//   - diff.filtered: A logs a cross-database statement (`USE test; INSERT INTO
//     other.t`) because its binlog-do-db names other too; B's replicate-do-db=test
//     drops the rows event, whose table is other.t, so the transaction is not in
//     B's binlog: filtered as configured, on other.t (not on test, the statement's
//     default database), not missing;
//   - diff.rows_event_missing: B already holds a row of A's two-statement
//     transaction, and slave_skip_errors=1062 skips that whole rows event: B's copy
//     of the transaction lacks it, named with its table, row and position.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "tests/live/check_output.h"
#include "tests/live/sandbox_pair.h"

namespace twinlog::live {
namespace {

const char* kFromReplication = " --a-start 0-1-1 --b-start 0-2-1";

TEST(DiffRowFormatLive, ACrossDatabaseStatementThePeerFiltersIsFilteredOnItsTable) {
  auto pair = SandboxPair::start({"--format", "ROW", "--extra-a", "binlog-do-db=other"});
  // "other" on both masters, made around the binlogs.
  for (char s : {'A', 'B'}) {
    pair->sql(s,
              "SET sql_log_bin = 0; CREATE DATABASE other; "
              "CREATE TABLE other.t (id INT PRIMARY KEY, v VARCHAR(20))");
  }
  pair->sql('A', "USE test; CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(20))");
  pair->wait_sync();
  pair->sql('A', "USE test; INSERT INTO other.t VALUES (1, 'cross')");
  const std::string cross = pair->sql('A', "SELECT @@gtid_binlog_pos");
  pair->sql('A', "USE test; INSERT INTO t VALUES (1, 'replicated')");
  pair->wait_sync();
  // A logged it and B did not apply it; the row of test.t went through.
  ASSERT_EQ(pair->sql('B', "SELECT COUNT(*) FROM other.t"), "0");
  ASSERT_EQ(pair->sql('B', "SELECT COUNT(*) FROM test.t"), "1");

  const Output out = run_check("diff", live_pair(*pair) + kFromReplication);
  EXPECT_TRUE(with_code(out, "diff.transaction_missing").empty()) << dump(out);
  const auto filtered = with_code(out, "diff.filtered");
  ASSERT_EQ(filtered.size(), 1u) << dump(out);
  EXPECT_EQ(filtered[0]["severity"], "info");
  const std::string message = filtered[0]["message"];
  // The rule, and where B's option file sets it.
  EXPECT_EQ(message.rfind("1 transaction of A's binlog (other.t) not in B's, filtered as "
                          "configured: not in replicate-do-db=test (",
                          0),
            0u)
      << message;
  EXPECT_TRUE(message.ends_with("/b/master.cnf:9)")) << message;
  ASSERT_EQ(filtered[0]["evidence"].size(), 1u) << filtered[0].dump();
  EXPECT_EQ(filtered[0]["evidence"][0]["server"], "A");
  EXPECT_EQ(filtered[0]["evidence"][0]["gtid"], cross);
}

TEST(DiffRowFormatLive, ARowsEventASkippedErrorDroppedIsNamed) {
  auto pair = SandboxPair::start({"--format", "ROW", "--skip-errors", "1062"});
  pair->sql('A',
            "USE test; CREATE TABLE t (id INT PRIMARY KEY); "
            "CREATE TABLE u (id INT PRIMARY KEY, v VARCHAR(20))");
  pair->wait_sync();
  // B holds u's row 7 already, written around its binlog.
  pair->sql('B', "SET sql_log_bin = 0; INSERT INTO test.u VALUES (7, 'B')");
  pair->sql('A',
            "USE test; BEGIN; INSERT INTO t VALUES (1); INSERT INTO u VALUES (7, 'A'); COMMIT");
  const std::string gtid = pair->sql('A', "SELECT @@gtid_binlog_pos");
  pair->wait_sync();
  // B applied the first rows event and skipped the second, without an error.
  ASSERT_EQ(pair->sql('B', "SELECT COUNT(*) FROM test.t"), "1");
  ASSERT_EQ(pair->sql('B', "SELECT v FROM test.u"), "B");
  ASSERT_EQ(pair->slave_field('B', "Slave_SQL_Running"), "Yes");

  const Output out = run_check("diff", live_pair(*pair) + kFromReplication);
  EXPECT_EQ(out.code, 1) << dump(out);
  EXPECT_TRUE(with_code(out, "diff.transaction_missing").empty()) << dump(out);
  EXPECT_TRUE(with_code(out, "diff.rows_differ").empty()) << dump(out);
  const auto lacks = with_code(out, "diff.rows_event_missing");
  ASSERT_EQ(lacks.size(), 1u) << dump(out);
  EXPECT_EQ(lacks[0]["severity"], "error");
  const std::string message = lacks[0]["message"];
  const std::string head =
      "B's copy of a transaction lacks a whole rows event of A's (test.u, 1 row, at A position ";
  ASSERT_EQ(message.rfind(head, 0), 0u) << message;
  const uint64_t at = std::stoull(message.substr(head.size()));
  ASSERT_EQ(lacks[0]["evidence"].size(), 2u) << lacks[0].dump();
  const auto& a = lacks[0]["evidence"][0];
  EXPECT_EQ(a["server"], "A");
  EXPECT_EQ(a["gtid"], gtid);
  EXPECT_EQ(a["table"], "test.u");
  EXPECT_EQ(a["statement"], "(@1=7 @2='A')");
  // The rows event lies inside A's transaction.
  EXPECT_GT(at, a["start"].get<uint64_t>()) << a.dump();
  if (a.contains("end")) {
    EXPECT_LT(at, a["end"].get<uint64_t>()) << a.dump();
  }
  const auto& b = lacks[0]["evidence"][1];
  EXPECT_EQ(b["server"], "B");
  EXPECT_EQ(b["gtid"], gtid);
}

}  // namespace
}  // namespace twinlog::live
