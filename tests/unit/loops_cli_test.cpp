// `twinlog loops` run as a DBA runs it on the captured scenarios: the loop
// scenario's circulating GTID found with its count, the healthy pair clean at
// warning, the json and jsonl output valid against src/report/finding.schema.json.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "tests/support/cli_run.h"
#include "tests/support/schema_check.h"

namespace twinlog {
namespace {

using testing::run_twinlog;

const std::string kScenarios = std::string(TWINLOG_SAMPLES_DIR) + "/scenarios/";

TEST(LoopsCli, TheLoopScenariosCirculatingGtidIsFoundWithItsCount) {
  auto r = run_twinlog("loops " + testing::scenario_pair_args("loop"));
  EXPECT_EQ(r.code, 1) << r.err;
  EXPECT_EQ(r.err, "");
  EXPECT_NE(r.out.find("transaction 0-3-3 is in A's binlog 465 times (first at 664, last at "
                       "96248"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("transaction 0-3-3 is in B's binlog 465 times"), std::string::npos);
  // The copies keep C's timestamp: the binlog cannot give a rate, and says so.
  EXPECT_NE(r.out.find("so the binlog gives no rate"), std::string::npos);
  EXPECT_NE(r.out.find("come from server_id 3, neither master's (A 1, B 2), changing test.loop_t; "
                       "some are there more than once: they circulate"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("config.gtid_ignore_duplicates_off"), std::string::npos);
}

TEST(LoopsCli, TheLoopScenarioAsJsonIsValid) {
  auto r = run_twinlog("loops --format json " + testing::scenario_pair_args("loop"));
  EXPECT_EQ(r.code, 1);
  auto doc = nlohmann::json::parse(r.out);
  int duplicates = 0;
  for (const auto& f : doc["findings"]) {
    if (f["code"] != "loop.duplicate_transaction") continue;
    ++duplicates;
    EXPECT_EQ(f["severity"], "error");
    EXPECT_EQ(f["evidence"][0]["gtid"], "0-3-3");
    EXPECT_EQ(f["evidence"][0]["start"], 664);
    EXPECT_EQ(f["evidence"][0]["origin_server_id"], 3);
  }
  EXPECT_EQ(duplicates, 2);  // one per master's binlog
  // Per binlog: C's one transaction, 465 times in each (464 extra copies).
  ASSERT_EQ(doc["binlogs"].size(), 2u);
  EXPECT_EQ(doc["binlogs"][1], nlohmann::json::parse(R"({"server": "B", "transactions": 467,
      "repeated": 1, "copies": 464, "foreign": 466})"));
  const std::string file = testing::write_temp_file("twinlog-loops-test.json", r.out);
  EXPECT_EQ(testing::validate_json(file, false, "document"), 0);
  std::filesystem::remove(file);

  r = run_twinlog("loops --format jsonl " + testing::scenario_pair_args("loop"));
  const std::string lines = testing::write_temp_file("twinlog-loops-test.jsonl", r.out);
  EXPECT_EQ(testing::validate_json(lines, true, "finding", true), 0);
  std::filesystem::remove(lines);
}

TEST(LoopsCli, TheHealthyPairHasNothingAtWarning) {
  auto r = run_twinlog("loops --fail-on warning " + testing::scenario_pair_args("healthy"));
  EXPECT_EQ(r.code, 0) << r.out;
  EXPECT_EQ(r.out.find("warning"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("config.filter_comma_list"), std::string::npos);
  EXPECT_NE(r.out.find("A: 6 transactions, 0 of them more than once"), std::string::npos) << r.out;
}

TEST(LoopsCli, UsageErrors) {
  auto r = run_twinlog("loops --format yaml " + testing::scenario_pair_args("healthy"));
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err, "twinlog loops: --format must be text, jsonl or json, not 'yaml'\n");
  r = run_twinlog("loops --fail-on never " + testing::scenario_pair_args("healthy"));
  EXPECT_EQ(r.code, 2);
  r = run_twinlog("loops --a-cnf " + kScenarios + "healthy/master-a.cnf " + kScenarios +
                  "healthy/a/mysql-bin.000001");
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err,
            "twinlog loops: no configuration for master B: give --b-cnf FILE or --b "
            "HOST[:PORT]\n");
}

}  // namespace
}  // namespace twinlog
