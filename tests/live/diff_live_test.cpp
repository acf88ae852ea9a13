// `twinlog diff` against real pairs: a healthy ROW pair under a workload on both
// masters (the binlogs agree on every table and origin), the skipped-errors
// scenario (each master's lost INSERT is missing from the other's binlog, with the
// skipping setting quoted; live and the capture give the same findings), and a
// write made with sql_log_bin=0 (invisible to the binlogs, which agree). Each
// master is read from after its own CREATE DATABASE, logged before the pair
// replicated (--a-start 0-1-1 --b-start 0-2-1: the GTID start point). And what B's
// replica SQL thread has not executed yet (stopped while A writes) is in flight,
// not missing; once B skips one of those transactions, that one is missing.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <sstream>
#include <vector>

#include "tests/live/check_output.h"
#include "tests/live/sandbox_pair.h"
#include "tests/support/cli_run.h"

namespace twinlog::live {
namespace {

namespace fs = std::filesystem;

const char* kFromReplication = " --a-start 0-1-1 --b-start 0-2-1";

Output run_diff(const std::string& args) {
  return run_check("diff", args);
}

TEST(DiffLive, AHealthyRowPairUnderAWorkloadOnBothMastersAgrees) {
  auto pair = SandboxPair::start({"--format", "ROW"});
  const std::string workload = std::string(TWINLOG_BINARY_DIR) + "/tools/workload/twinlog-workload";
  auto r = run_command(workload + " --sandbox " + shell_quote(pair->dir()) +
                       " --seed 21 --transactions 400 --quiet");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  pair->wait_sync();
  const Output out = run_diff(live_pair(*pair) + kFromReplication + " --fail-on warning");
  EXPECT_EQ(out.code, 0) << dump(out);
  std::set<uint32_t> origins;
  for (const auto& f : out.findings) {
    EXPECT_EQ(f["severity"], "info") << f.dump();
    EXPECT_EQ(f["code"], "diff.table_digest") << f.dump();
    EXPECT_EQ(f["evidence"][0]["statement"], f["evidence"][1]["statement"]) << f.dump();
    origins.insert(f["evidence"][0]["origin_server_id"].get<uint32_t>());
  }
  // Row changes of both masters, on several tables: the agreement covers both origins.
  EXPECT_EQ(origins, (std::set<uint32_t>{1, 2})) << dump(out);
  EXPECT_GE(out.findings.size(), 6u) << dump(out);
}

TEST(DiffLive, TheSkippedErrorsScenarioIsFoundLiveAndOnTheCapture) {
  const std::string capture =
      fs::temp_directory_path().string() + "/twinlog-h1-diff-skipped-" + std::to_string(::getpid());
  auto pair = SandboxPair::scenario("skipped-errors", capture);
  const Output live = run_diff(live_pair(*pair) + kFromReplication);
  EXPECT_EQ(live.code, 1) << dump(live);
  const auto missing = with_code(live, "diff.transaction_missing");
  ASSERT_EQ(missing.size(), 2u) << dump(live);
  std::set<std::string> gtids;
  for (const auto& f : missing) {
    gtids.insert(f["evidence"][0]["gtid"].get<std::string>());
    ASSERT_EQ(f["evidence"].size(), 2u) << f.dump();
    EXPECT_EQ(f["evidence"][1]["option"], "slave_skip_errors=1062") << f.dump();
  }
  // A's INSERT (0-1-3) lost by B and B's (0-2-3) lost by A.
  EXPECT_EQ(gtids, (std::set<std::string>{"0-1-3", "0-2-3"})) << dump(live);
  EXPECT_EQ(pair->sql('A', "SELECT COUNT(*) FROM test.t"), "2");
  EXPECT_EQ(pair->sql('B', "SELECT COUNT(*) FROM test.t"), "1");

  const Output captured = run_diff(captured_pair(capture) + kFromReplication);
  EXPECT_EQ(captured.findings, live.findings) << "live:\n"
                                              << dump(live) << "capture:\n"
                                              << dump(captured);
  fs::remove_all(capture);
}

TEST(DiffLive, AWriteWithSqlLogBinOffIsNotInTheBinlogsWhichAgree) {
  auto pair = SandboxPair::scenario("sql-log-bin-off");
  const Output out = run_diff(live_pair(*pair) + kFromReplication + " --fail-on warning");
  EXPECT_EQ(out.code, 0) << dump(out);
  bool table_t = false;
  for (const auto& f : out.findings) {
    EXPECT_EQ(f["severity"], "info") << f.dump();
    if (f["code"] == "diff.table_digest" && f["evidence"][0]["table"] == "test.t" &&
        f["evidence"][0]["origin_server_id"] == 1) {
      table_t = true;
      EXPECT_NE(f["message"].get<std::string>().find("A's and B's binlogs agree"),
                std::string::npos);
    }
  }
  EXPECT_TRUE(table_t) << dump(out);
  // The tables do differ: only table checksums can see it.
  EXPECT_EQ(pair->sql('A', "SELECT COUNT(*) FROM test.t"), "4");
  EXPECT_EQ(pair->sql('B', "SELECT COUNT(*) FROM test.t"), "3");
}

TEST(DiffLive, WhatBHasNotExecutedYetIsInFlightWhatItSkippedIsMissing) {
  auto pair = SandboxPair::start({"--format", "ROW"});
  pair->sql('A', "USE test; CREATE TABLE flight (id INT PRIMARY KEY, v VARCHAR(20))");
  pair->wait_sync();
  pair->sql('B', "STOP SLAVE SQL_THREAD");
  std::vector<std::string> gtids;  // A's three INSERTs
  for (int id = 1; id <= 3; ++id) {
    pair->sql('A', "USE test; INSERT INTO flight VALUES (" + std::to_string(id) + ", 'a')");
    gtids.push_back(pair->sql('A', "SELECT @@gtid_binlog_pos"));
  }

  const Output held = run_diff(live_pair(*pair) + kFromReplication + " --fail-on warning");
  EXPECT_EQ(held.code, 0) << dump(held);
  EXPECT_TRUE(with_code(held, "diff.transaction_missing").empty()) << dump(held);
  const auto in_flight = with_code(held, "diff.in_flight");
  ASSERT_EQ(in_flight.size(), 1u) << dump(held);
  EXPECT_EQ(in_flight[0]["severity"], "info");
  EXPECT_NE(in_flight[0]["message"].get<std::string>().find("3 transactions of A's binlog"),
            std::string::npos)
      << in_flight[0].dump();
  ASSERT_EQ(in_flight[0]["evidence"].size(), 2u) << in_flight[0].dump();
  EXPECT_EQ(in_flight[0]["evidence"][0]["gtid"], gtids.front());
  EXPECT_EQ(in_flight[0]["evidence"][1]["gtid"], gtids.back());
  EXPECT_EQ(pair->sql('B', "SELECT COUNT(*) FROM test.flight"), "0");

  // B skips the first of them and executes the other two: that one is lost.
  pair->sql('B', "SET GLOBAL sql_slave_skip_counter=1; START SLAVE SQL_THREAD");
  pair->wait_sync();
  EXPECT_EQ(pair->sql('B', "SELECT COUNT(*) FROM test.flight"), "2");
  const Output skipped = run_diff(live_pair(*pair) + kFromReplication);
  EXPECT_EQ(skipped.code, 1) << dump(skipped);
  EXPECT_TRUE(with_code(skipped, "diff.in_flight").empty()) << dump(skipped);
  const auto missing = with_code(skipped, "diff.transaction_missing");
  ASSERT_EQ(missing.size(), 1u) << dump(skipped);
  EXPECT_EQ(missing[0]["evidence"][0]["server"], "A");
  EXPECT_EQ(missing[0]["evidence"][0]["gtid"], gtids.front());
}

}  // namespace
}  // namespace twinlog::live
