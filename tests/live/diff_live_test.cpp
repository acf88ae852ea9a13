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

#include "tests/live/sandbox_pair.h"
#include "tests/support/cli_run.h"

namespace twinlog::live {
namespace {

namespace fs = std::filesystem;

const char* kFromReplication = " --a-start 0-1-1 --b-start 0-2-1";

struct Output {
  std::vector<nlohmann::json> findings;
  int code = -1;
  std::string out, err;
};

// `twinlog diff --format jsonl ARGS`, each evidence without its time and with the
// file without its directory (a live master names the file alone, a capture its
// path) and no option file path (the line number stays).
Output run_diff(const std::string& args) {
  auto r = testing::run_twinlog("diff --format jsonl " + args);
  Output out;
  out.code = r.code;
  out.out = r.out;
  out.err = r.err;
  EXPECT_TRUE(r.code == 0 || r.code == 1) << r.err;
  std::istringstream in(r.out);
  std::string line;
  const std::regex cnf_path(R"([^ ,]*\.cnf)");
  while (std::getline(in, line)) {
    auto j = nlohmann::json::parse(line);
    for (auto& e : j["evidence"]) {
      e.erase("time");
      if (e.contains("file")) e["file"] = fs::path(e["file"].get<std::string>()).filename();
      if (e.contains("option_source")) {
        e["option_source"] =
            std::regex_replace(e["option_source"].get<std::string>(), cnf_path, "CNF");
      }
    }
    out.findings.push_back(std::move(j));
  }
  return out;
}

std::vector<nlohmann::json> with_code(const Output& out, const std::string& code) {
  std::vector<nlohmann::json> found;
  for (const auto& f : out.findings) {
    if (f["code"] == code) found.push_back(f);
  }
  return found;
}

std::string dump(const Output& out) {
  std::string s;
  for (const auto& f : out.findings) s += f.dump() + "\n";
  return s + out.err;
}

std::string live_pair(const SandboxPair& pair) {
  return "--a-cnf " + shell_quote(trim(pair.sandbox_or_throw("cnf A"))) + " --b-cnf " +
         shell_quote(trim(pair.sandbox_or_throw("cnf B"))) + " --a " +
         shell_quote(pair.socket('A')) + " --b " + shell_quote(pair.socket('B')) +
         " --user root --no-defaults";
}

std::string captured_pair(const std::string& capture) {
  auto files = [&](const std::string& side) {
    std::vector<std::string> names;
    for (const auto& entry : fs::directory_iterator(fs::path(capture) / side)) {
      const std::string name = entry.path().filename().string();
      if (std::regex_match(name, std::regex(R"(.*-bin\.[0-9]+)"))) {
        names.push_back(entry.path().string());
      }
    }
    std::sort(names.begin(), names.end());
    std::string list;
    for (const auto& n : names) list += " " + shell_quote(n);
    return list;
  };
  return "--a-cnf " + shell_quote(capture + "/master-a.cnf") + " --b-cnf " +
         shell_quote(capture + "/master-b.cnf") + " --a-binlogs" + files("a") + " --b-binlogs" +
         files("b");
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
