// `twinlog filters` gives the same findings on a live pair as on its captured
// binlogs, and as on the capture kept in samples/scenarios/: each scenario script
// builds a fresh pair (tools/scenarios/NAME.sh --capture), then twinlog reads
//   - live: the masters' binlogs through replica connections (--a / --b), the
//     configurations from the captured cnf files (what the servers ran with);
//   - offline: the capture's binlog files and cnf files;
//   - samples: samples/scenarios/NAME, captured earlier from the same script.
// Live and offline must agree on every finding and every transaction's decision;
// the committed sample was written at another time, so its evidence's times and
// positions may differ, never its findings.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>

#include "tests/live/sandbox_pair.h"
#include "tests/support/cli_run.h"

namespace twinlog::live {
namespace {

struct Output {
  std::vector<std::string> findings, transactions;
  int code = -1;
};

// Paths differ between a capture and the sample (the cnf's directory, the binlog's):
// keep the names. Times differ from run to run.
std::string without_directories(const std::string& text) {
  static const std::regex kPath(R"re([^ ()"]*/((master-[ab]\.cnf)|(mysql-bin\.[0-9]+)))re");
  return std::regex_replace(text, kPath, "$1");
}

Output run_filters(const std::string& args, bool keep_positions) {
  auto r = testing::run_twinlog("filters --format jsonl " + args);
  Output out;
  out.code = r.code;
  EXPECT_TRUE(r.code == 0 || r.code == 1) << r.err;
  std::istringstream in(r.out);
  std::string line;
  while (std::getline(in, line)) {
    auto j = nlohmann::json::parse(line);
    if (j.contains("kind")) {
      j.erase("file");
      if (!keep_positions) {
        for (const char* k : {"start", "end", "gtid"}) j.erase(k);
        for (auto& s : j["statements"]) s.erase("position");
      }
      out.transactions.push_back(without_directories(j.dump()));
      continue;
    }
    for (auto& e : j["evidence"]) {
      e.erase("time");
      if (!keep_positions) {
        for (const char* k : {"start", "end", "gtid"}) e.erase(k);
      }
    }
    out.findings.push_back(without_directories(j.dump()));
  }
  std::sort(out.findings.begin(), out.findings.end());
  return out;
}

std::string offline_args(const std::string& dir) {
  return "--a-cnf " + shell_quote(dir + "/master-a.cnf") + " --b-cnf " +
         shell_quote(dir + "/master-b.cnf") + " " + shell_quote(dir + "/a/mysql-bin.000001") +
         " --b-binlogs " + shell_quote(dir + "/b/mysql-bin.000001");
}

class FiltersScenario : public ::testing::TestWithParam<std::string> {};

TEST_P(FiltersScenario, LivePairCaptureAndSampleAgree) {
  const std::string name = GetParam();
  const std::string capture = std::filesystem::temp_directory_path().string() +
                              "/twinlog-filters-" + name + "-" + std::to_string(::getpid());
  std::filesystem::remove_all(capture);
  auto pair = SandboxPair::scenario(name, capture);

  const std::string live_args = "--a-cnf " + shell_quote(capture + "/master-a.cnf") + " --b-cnf " +
                                shell_quote(capture + "/master-b.cnf") + " --a " +
                                shell_quote(pair->socket('A')) + " --b " +
                                shell_quote(pair->socket('B')) + " --user root --no-defaults";
  const Output live = run_filters(live_args, true);
  const Output offline = run_filters(offline_args(capture), true);
  EXPECT_EQ(live.code, offline.code);
  EXPECT_EQ(live.findings, offline.findings);
  EXPECT_EQ(live.transactions, offline.transactions);
  EXPECT_FALSE(live.transactions.empty());

  // The configuration read from the live servers instead of the files: the same
  // filter findings; the comma lists cannot be told from the variables (the
  // server joins its rules with commas), so they are a note, not the finding.
  const Output variables =
      run_filters("--a " + shell_quote(pair->socket('A')) + " --b " +
                      shell_quote(pair->socket('B')) + " --user root --no-defaults",
                  true);
  // What was found and where; the rule's source differs by nature (a cnf line, a
  // variable).
  auto filter_only = [](const std::vector<std::string>& findings) {
    std::vector<std::string> out;
    for (const auto& text : findings) {
      auto f = nlohmann::json::parse(text);
      if (f["code"].get<std::string>().rfind("filter.", 0) != 0) continue;
      std::string where = f["severity"].get<std::string>() + " " + f["code"].get<std::string>();
      for (const auto& e : f["evidence"]) {
        for (const char* k : {"server", "table", "gtid", "statement", "option"}) {
          if (e.contains(k)) where += " " + e[k].get<std::string>();
        }
      }
      out.push_back(where);
    }
    return out;
  };
  EXPECT_EQ(filter_only(variables.findings), filter_only(live.findings));
  EXPECT_EQ(variables.transactions.size(), live.transactions.size());

  const Output sample = run_filters(
      offline_args(std::string(TWINLOG_SOURCE_DIR) + "/samples/scenarios/" + name), false);
  const Output capture_loose = run_filters(offline_args(capture), false);
  EXPECT_EQ(sample.findings, capture_loose.findings);
  EXPECT_EQ(sample.code, capture_loose.code);
  if (name != "loop") {  // how often the loop went round depends on timing
    EXPECT_EQ(sample.transactions, capture_loose.transactions);
  }
  std::filesystem::remove_all(capture);
}

INSTANTIATE_TEST_SUITE_P(Scenarios, FiltersScenario,
                         ::testing::Values("healthy", "cross-db", "collision", "skipped-errors",
                                           "sql-log-bin-off", "loop"),
                         [](const auto& info) {
                           std::string n = info.param;
                           std::replace(n.begin(), n.end(), '-', '_');
                           return n;
                         });

}  // namespace
}  // namespace twinlog::live
