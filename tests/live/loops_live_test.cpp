// `twinlog loops` on a live pair driven into the loop (tools/scenarios/loop.sh: a
// third server feeds A while A and B replicate each other) finds C's circulating
// GTID, and the capture of the same pair gives the same findings offline.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <sstream>

#include "tests/live/sandbox_pair.h"
#include "tests/support/cli_run.h"

namespace twinlog::live {
namespace {

struct Output {
  std::vector<nlohmann::json> findings;
  int code = -1;
};

// The findings, each evidence without its file (a live master names the file
// alone, the capture its path).
Output run_loops(const std::string& args) {
  auto r = testing::run_twinlog("loops --format jsonl " + args);
  Output out;
  out.code = r.code;
  EXPECT_TRUE(r.code == 0 || r.code == 1) << r.err;
  std::istringstream in(r.out);
  std::string line;
  while (std::getline(in, line)) {
    auto j = nlohmann::json::parse(line);
    for (auto& e : j["evidence"]) e.erase("file");
    out.findings.push_back(std::move(j));
  }
  return out;
}

TEST(LoopsLive, TheCirculatingGtidIsFoundLiveAndOnTheCapture) {
  const std::string capture = std::filesystem::temp_directory_path().string() +
                              "/twinlog-loops-loop-" + std::to_string(::getpid());
  std::filesystem::remove_all(capture);
  auto pair = SandboxPair::scenario("loop", capture);
  const std::string cnfs = "--a-cnf " + shell_quote(capture + "/master-a.cnf") + " --b-cnf " +
                           shell_quote(capture + "/master-b.cnf");

  Output live = run_loops(cnfs + " --a " + shell_quote(pair->socket('A')) + " --b " +
                          shell_quote(pair->socket('B')) + " --user root --no-defaults");
  EXPECT_EQ(live.code, 1);
  // A's channel 'c' from C is seen live only (no binlog file holds a channel).
  auto channel =
      std::stable_partition(live.findings.begin(), live.findings.end(),
                            [](const auto& f) { return f["code"] != "loop.third_source"; });
  ASSERT_EQ(live.findings.end() - channel, 1);
  EXPECT_EQ((*channel)["evidence"][0]["server"], "A");
  EXPECT_EQ((*channel)["evidence"][0]["origin_server_id"], 3);
  live.findings.erase(channel, live.findings.end());
  std::vector<std::string> servers;
  for (const auto& f : live.findings) {
    if (f["code"] != "loop.duplicate_transaction") continue;
    EXPECT_EQ(f["evidence"][0]["gtid"], "0-3-3");
    EXPECT_EQ(f["evidence"][0]["origin_server_id"], 3);
    EXPECT_NE(f["message"].get<std::string>().find(" times (first at "), std::string::npos);
    servers.push_back(f["evidence"][0]["server"]);
  }
  std::sort(servers.begin(), servers.end());
  EXPECT_EQ(servers, (std::vector<std::string>{"A", "B"}));

  const Output offline = run_loops(cnfs + " " + shell_quote(capture + "/a/mysql-bin.000001") +
                                   " --b-binlogs " + shell_quote(capture + "/b/mysql-bin.000001"));
  EXPECT_EQ(offline.code, live.code);
  EXPECT_EQ(offline.findings, live.findings);
  std::filesystem::remove_all(capture);
}

}  // namespace
}  // namespace twinlog::live
