// twinlog audit's parts: the state file (round trip, atomic replace, clear
// errors), binlog file order, the timeline's buckets, and the command over the
// captured scenarios (findings, resuming from the state, the HTML page).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "src/audit/audit_run.h"
#include "src/audit/audit_state.h"
#include "src/audit/timeline.h"
#include "tests/support/cli_run.h"
#include "tests/support/schema_check.h"

namespace twinlog::audit {
namespace {

namespace fs = std::filesystem;

TEST(AuditState, RoundTripAndTheFirstAudit) {
  const std::string path = fs::temp_directory_path().string() + "/twinlog-audit-state-test.json";
  fs::remove(path);
  std::string error;
  auto none = read_audit_state(path, error);
  ASSERT_TRUE(none.has_value()) << error;
  EXPECT_EQ(*none, AuditState{});
  AuditState s;
  s.a = MasterMark{"mysql-bin.000003", 1623, "0-1-6,0-2-5"};
  s.finished = 1'795'674'366;
  ASSERT_TRUE(write_audit_state(path, s, error)) << error;
  EXPECT_FALSE(fs::exists(path + ".tmp"));
  auto back = read_audit_state(path, error);
  ASSERT_TRUE(back.has_value()) << error;
  EXPECT_EQ(*back, s);
  fs::remove(path);
}

TEST(AuditState, WhatIsNotAStateIsAnErrorNamingTheFile) {
  const std::string path = testing::write_temp_file("twinlog-audit-bad-state.json", "[1, 2]");
  std::string error;
  EXPECT_FALSE(read_audit_state(path, error).has_value());
  EXPECT_EQ(error, path + ": not a twinlog audit state (not a JSON object)");
  std::ofstream(path)
      << R"({"twinlog_audit_state": 1, "a": {"file": "x", "position": -1, "gtids": ""}})";
  EXPECT_FALSE(read_audit_state(path, error).has_value());
  EXPECT_EQ(error, path +
                       ": master a: expected {\"file\": string, \"position\": unsigned integer, "
                       "\"gtids\": string}");
  fs::remove(path);
  EXPECT_FALSE(write_audit_state("/nonexistent/dir/state.json", AuditState{}, error));
  EXPECT_NE(error.find("/nonexistent/dir/state.json"), std::string::npos) << error;
}

TEST(AuditRun, BinlogFilesInTheServersOrder) {
  EXPECT_TRUE(binlog_file_before("mysql-bin.000009", "mysql-bin.000010"));
  EXPECT_TRUE(binlog_file_before("/a/b/mysql-bin.999999", "mysql-bin.1000000"));
  EXPECT_FALSE(binlog_file_before("mysql-bin.000010", "dir/mysql-bin.000010"));
  EXPECT_FALSE(binlog_file_before("mysql-bin.000011", "mysql-bin.000010"));
}

TEST(Timeline, MinutesMergeIntoAtMostAHundredAndTwentyBars) {
  TimelineCollector c;
  TransactionSummary t;
  t.server_id = 1;
  for (uint32_t minute = 0; minute < 600; ++minute) {
    t.first_timestamp = 1'700'000'040 + minute * 60;
    c.add("A", t);
  }
  t.server_id = 2;
  c.add("B", t);
  t.first_timestamp = 0;  // no time: not placed
  c.add("B", t);
  const report::Timeline tl = c.timeline();
  EXPECT_EQ(tl.bucket_seconds, 300u);  // 600 minutes in 120 bars of 5
  EXPECT_EQ(tl.buckets, 120u);
  EXPECT_EQ(tl.start, 1'700'000'040u / 60 * 60);
  ASSERT_EQ(tl.series.size(), 2u);
  uint64_t a = 0;
  for (uint64_t n : tl.series[0].counts) a += n;
  EXPECT_EQ(a, 600u);
  EXPECT_EQ(tl.series[1].counts.back(), 1u);
}

std::string scenario(const std::string& name) {
  return testing::scenario_pair_args(name);
}

TEST(AuditCli, EachScenarioGivesItsProblem) {
  auto r = testing::run_twinlog("audit --fail-on error " + scenario("healthy"));
  EXPECT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("0 errors, 5 warnings, 0 info"), std::string::npos) << r.out;
  r = testing::run_twinlog("audit " + scenario("collision"));
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.out.find("error   autoinc.collision: both masters inserted test.t id 1"),
            std::string::npos)
      << r.out;
  r = testing::run_twinlog("audit --format json " + scenario("loop"));
  EXPECT_EQ(r.code, 1);
  auto doc = nlohmann::json::parse(r.out);
  EXPECT_EQ(doc["masters"][0]["transactions"], 467);
  EXPECT_EQ(doc["summary"]["error"], 4);
  const std::string file = testing::write_temp_file("twinlog-audit-test.json", r.out);
  EXPECT_EQ(testing::validate_json(file, false, "document"), 0);
  fs::remove(file);
}

TEST(AuditCli, TheStateMakesTheNextAuditReadOnFromWhereThisOneStopped) {
  const std::string state = fs::temp_directory_path().string() + "/twinlog-audit-cli-state.json";
  const std::string html = fs::temp_directory_path().string() + "/twinlog-audit-cli.html";
  fs::remove(state);
  auto r = testing::run_twinlog("audit --state " + state + " --html " + html + " " +
                                scenario("collision"));
  EXPECT_EQ(r.code, 1) << r.err;
  std::string error;
  auto s = read_audit_state(state, error);
  ASSERT_TRUE(s && s->a && s->b) << error;
  EXPECT_EQ(*s->a, (MasterMark{"mysql-bin.000001", 892, "0-1-3"}));
  std::ifstream page(html);
  const std::string text{std::istreambuf_iterator<char>(page), {}};
  EXPECT_NE(text.find("Divergence or a fault found: 4 errors"), std::string::npos);
  // Nothing new since: the second audit reads no transaction and finds only what
  // the configuration says.
  r = testing::run_twinlog("audit --state " + state + " " + scenario("collision"));
  EXPECT_NE(r.out.find("A: 0 transactions, 0 events, 0 bytes read"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("autoinc.collision"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("autoinc.same_class"), std::string::npos) << r.out;
  fs::remove(state);
  fs::remove(html);
}

}  // namespace
}  // namespace twinlog::audit
