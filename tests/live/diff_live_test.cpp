// `twinlog diff` against real pairs: a healthy ROW pair under a workload on both
// masters (the binlogs agree on every table and origin), the skipped-errors
// scenario (each master's lost INSERT is missing from the other's binlog, with the
// skipping setting quoted; live and the capture give the same findings), and a
// write made with sql_log_bin=0 (invisible to the binlogs, which agree). Each
// master is read from after its own CREATE DATABASE, logged before the pair
// replicated (--a-start 0-1-1 --b-start 0-2-1: the GTID start point).
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <sstream>

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
    if (f["code"] == "diff.table_digest" && f["evidence"][0]["table"] == "test (statements)" &&
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

}  // namespace
}  // namespace twinlog::live
