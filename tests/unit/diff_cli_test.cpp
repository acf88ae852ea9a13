// `twinlog diff` run as a DBA runs it on the captured scenarios, from the point
// where the pair replicates (both masters ran CREATE DATABASE before): the healthy
// pair's binlogs agree, skipped-errors' lost INSERTs are missing with the skipping
// setting quoted, sql-log-bin-off's invisible write leaves the binlogs agreeing,
// and the json and jsonl output is valid against src/report/finding.schema.json.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "tests/support/cli_run.h"
#include "tests/support/findings.h"
#include "tests/support/schema_check.h"

namespace twinlog {
namespace {

using twinlog::testing::has;

using testing::run_twinlog;

// After each master's own CREATE DATABASE, logged before the pair replicated.
const std::string kFromReplication =
    " --a-start mysql-bin.000001:476 --b-start mysql-bin.000001:476";

std::string diff_args(const std::string& scenario) {
  return testing::scenario_pair_args(scenario) + kFromReplication;
}

TEST(DiffCli, TheHealthyPairsBinlogsAgree) {
  auto r = run_twinlog("diff --fail-on warning " + diff_args("healthy"));
  EXPECT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_EQ(r.err, "");
  EXPECT_TRUE(has(r.out,
                  "test.t, changes from server 1: A's and B's binlogs agree "
                  "(compared by statement, not by rows)"))
      << r.out;
  EXPECT_TRUE(has(r.out, "test.t, changes from server 2: A's and B's binlogs agree"));
  EXPECT_TRUE(has(r.out,
                  "A: 5 transactions, B: 5; 5 found in both binlogs (0 of them "
                  "differing), 0 of A's and 0 of B's missing from the other"))
      << r.out;
}

TEST(DiffCli, WithoutAStartTheSetUpIsMissingFromThePeer) {
  // Each master's CREATE DATABASE IF NOT EXISTS ran before replication: true, and said.
  auto r = run_twinlog("diff " + testing::scenario_pair_args("healthy"));
  EXPECT_EQ(r.code, 1);
  EXPECT_TRUE(has(r.out, "healthy/a/mysql-bin.000001:328-476  gtid 0-1-1")) << r.out;
  EXPECT_TRUE(has(r.out, "healthy/b/mysql-bin.000001:328-476  gtid 0-2-1")) << r.out;
}

TEST(DiffCli, TheSkippedErrorsScenariosLostInsertsAreMissing) {
  auto r = run_twinlog("diff " + diff_args("skipped-errors"));
  EXPECT_EQ(r.code, 1) << r.err;
  EXPECT_TRUE(has(r.out,
                  "diff.transaction_missing: a transaction of A's binlog (origin server 1, "
                  "test.t, 1 change) is not in B's binlog"))
      << r.out;
  EXPECT_TRUE(has(r.out, "skipped-errors/a/mysql-bin.000001:664-892  gtid 0-1-3")) << r.out;
  EXPECT_TRUE(has(r.out, "skipped-errors/b/mysql-bin.000001:664-878  gtid 0-2-3")) << r.out;
  EXPECT_TRUE(has(r.out, "option: slave_skip_errors=1062")) << r.out;
  EXPECT_TRUE(has(r.out, "test.t, changes from server 1: A's and B's binlogs differ"));
  EXPECT_TRUE(has(r.out, "2 errors, 2 warnings, 0 info")) << r.out;
}

TEST(DiffCli, TheSqlLogBinOffWriteIsNotInTheBinlogsWhichAgree) {
  auto r = run_twinlog("diff --fail-on warning " + diff_args("sql-log-bin-off"));
  EXPECT_EQ(r.code, 0) << r.out;
  EXPECT_TRUE(has(r.out, "test.t, changes from server 1: A's and B's binlogs agree")) << r.out;
  EXPECT_TRUE(has(r.out, "0 errors, 0 warnings, 2 info"));
}

TEST(DiffCli, TheCrossDbScenarioHasNothingMissing) {
  // Its divergent writes were never logged (binlog-do-db on their master); B's
  // UPDATE other.t through USE test was logged, applied by A and logged again.
  auto r = run_twinlog("diff --fail-on warning " + diff_args("cross-db"));
  EXPECT_EQ(r.code, 0) << r.out;
  EXPECT_TRUE(has(r.out, "3 found in both binlogs (0 of them differing)")) << r.out;
}

TEST(DiffCli, JsonAndJsonLinesAreValid) {
  auto r = run_twinlog("diff --format json " + diff_args("skipped-errors"));
  EXPECT_EQ(r.code, 1);
  auto doc = nlohmann::json::parse(r.out);
  int missing = 0;
  for (const auto& f : doc["findings"]) {
    if (f["code"] != "diff.transaction_missing") continue;
    ++missing;
    EXPECT_EQ(f["severity"], "error");
    EXPECT_EQ(f["evidence"][0]["start"], 664);
  }
  EXPECT_EQ(missing, 2);
  const std::string file = testing::write_temp_file("twinlog-diff-test.json", r.out);
  EXPECT_EQ(testing::validate_json(file, false, "document"), 0);
  std::filesystem::remove(file);

  r = run_twinlog("diff --format jsonl " + diff_args("skipped-errors"));
  const std::string lines = testing::write_temp_file("twinlog-diff-test.jsonl", r.out);
  EXPECT_EQ(testing::validate_json(lines, true, "finding", true), 0);
  std::filesystem::remove(lines);
}

TEST(DiffCli, SinceSkipsByTheTransactionsTime) {
  // 2026-11-22 16:37:50 UTC: after the CREATE TABLE, before the two INSERTs.
  auto r = run_twinlog("diff --since '2026-11-22 16:37:50' " +
                       testing::scenario_pair_args("skipped-errors"));
  EXPECT_EQ(r.code, 1);
  EXPECT_TRUE(has(r.out, "A: 1 transactions, B: 1; 0 found in both binlogs")) << r.out;
}

TEST(DiffCli, UsageErrors) {
  auto r = run_twinlog("diff --help");
  EXPECT_EQ(r.code, 0);
  EXPECT_TRUE(has(r.out, "--a-start")) << r.out;
  EXPECT_TRUE(has(r.out, "--since"));
  r = run_twinlog("diff --a 127.0.0.1:1 --b 127.0.0.1:2");
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err,
            "twinlog diff: a live master's binlogs need a start point: --a-start "
            "FILE:POS|GTID_SET or --since TIME\n");
  r = run_twinlog("diff --a-start nonsense " + testing::scenario_pair_args("healthy"));
  EXPECT_EQ(r.code, 2);
  EXPECT_TRUE(has(r.err, "--a-start wants FILE:POS or a GTID set, not 'nonsense'")) << r.err;
  r = run_twinlog("diff --since yesterday " + testing::scenario_pair_args("healthy"));
  EXPECT_EQ(r.code, 2);
  r = run_twinlog("diff --a-cnf x.cnf --b-cnf y.cnf");
  EXPECT_EQ(r.code, 2);
}

}  // namespace
}  // namespace twinlog
