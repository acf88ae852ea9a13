// `twinlog autoinc` run as a DBA runs it on the captured scenarios: the collision
// pair (both masters auto_increment_offset=1) gives the collision with both
// transactions and the ids of the shared class; the healthy pair gives nothing at
// warning or above; JSON lines and the JSON document follow
// src/report/finding.schema.json; usage errors.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "tests/support/cli_run.h"
#include "tests/support/findings.h"
#include "tests/support/schema_check.h"

namespace twinlog {
namespace {

using twinlog::testing::has;

using testing::run_twinlog;

const std::string kScenarios = std::string(TWINLOG_SAMPLES_DIR) + "/scenarios/";

std::string configs(const std::string& scenario) {
  const std::string d = kScenarios + scenario + "/";
  return "--a-cnf " + d + "master-a.cnf --b-cnf " + d + "master-b.cnf ";
}

TEST(AutoincCli, CollisionScenarioFindsTheCollisionAndTheSharedClass) {
  auto r = run_twinlog("autoinc " + testing::scenario_pair_args("collision"));
  EXPECT_EQ(r.code, 1) << r.err;
  EXPECT_EQ(r.err, "");
  const std::string d = kScenarios + "collision/";
  EXPECT_TRUE(has(r.out, "error   autoinc.collision: both masters inserted test.t id 1")) << r.out;
  EXPECT_TRUE(has(r.out, "server A  " + d + "a/mysql-bin.000001:664-892  gtid 0-1-3  server_id 1"));
  EXPECT_TRUE(has(r.out, "server B  " + d + "b/mysql-bin.000001:664-878  gtid 0-2-3  server_id 2"));
  EXPECT_TRUE(has(r.out,
                  "error   autoinc.wrong_class: A inserted id 1 into test.t (INSERT_ID), "
                  "an id of B's class too"));
  EXPECT_TRUE(has(r.out,
                  "error   autoinc.wrong_class: B inserted id 1 into test.t (INSERT_ID), "
                  "an id of A's class too"));
  EXPECT_TRUE(has(r.out, "error   autoinc.same_class:"));
  EXPECT_TRUE(has(r.out, "option: auto_increment_offset=1 (" + d + "master-b.cnf:19)"));
  EXPECT_TRUE(has(r.out, "4 errors, 0 warnings, 0 info")) << r.out;
}

TEST(AutoincCli, OneBinlogShowsTheClassButNotTheCollision) {
  // A's replica stopped on B's row: A's binlog never logged it.
  auto r =
      run_twinlog("autoinc " + configs("collision") + kScenarios + "collision/a/mysql-bin.000001");
  EXPECT_EQ(r.code, 1);
  EXPECT_FALSE(has(r.out, "autoinc.collision")) << r.out;
  EXPECT_TRUE(has(r.out, "autoinc.wrong_class: A inserted id 1"));
}

TEST(AutoincCli, HealthyPairHasNoFindingAtWarningOrAbove) {
  auto r = run_twinlog("autoinc --fail-on warning " + testing::scenario_pair_args("healthy"));
  EXPECT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_TRUE(has(r.out, "no findings")) << r.out;
  EXPECT_TRUE(has(r.out,
                  "12 transactions read: 12 statement ids (0 statements with ids not known after "
                  "the first) and 0 row ids checked, 6 distinct "
                  "keys kept"))
      << r.out;
}

TEST(AutoincCli, JsonLinesAndDocumentFollowTheSchema) {
  auto r = run_twinlog("autoinc --format jsonl " + testing::scenario_pair_args("collision"));
  EXPECT_EQ(r.code, 1);
  std::istringstream in(r.out);
  std::string line;
  int findings = 0;
  while (std::getline(in, line)) {
    auto j = nlohmann::json::parse(line);
    if (j["code"] == "autoinc.collision") {
      ASSERT_EQ(j["evidence"].size(), 2u);
      EXPECT_EQ(j["evidence"][0]["gtid"], "0-1-3");
      EXPECT_EQ(j["evidence"][1]["gtid"], "0-2-3");
      EXPECT_EQ(j["evidence"][1]["start"], 664);
    }
    ++findings;
  }
  EXPECT_EQ(findings, 4);
  std::string file = testing::write_temp_file("twinlog-autoinc-test.jsonl", r.out);
  EXPECT_EQ(testing::validate_json(file, true, "finding"), 0);
  std::filesystem::remove(file);

  r = run_twinlog("autoinc --format json " + testing::scenario_pair_args("collision"));
  EXPECT_EQ(r.code, 1);
  auto doc = nlohmann::json::parse(r.out);
  EXPECT_EQ(doc["summary"]["error"], 4);
  EXPECT_EQ(doc["ids"], nlohmann::json::parse(R"({"transactions": 6, "statement_ids": 3,
      "statements_partly": 0, "row_ids": 0, "keys": 3, "unchecked_rows": 0})"))
      << doc["ids"].dump();
  file = testing::write_temp_file("twinlog-autoinc-test.json", r.out);
  EXPECT_EQ(testing::validate_json(file, false, "document"), 0);
  std::filesystem::remove(file);
}

TEST(AutoincCli, SchemaFileIsRead) {
  auto r = run_twinlog("autoinc --schema /nonexistent/dump.sql " +
                       testing::scenario_pair_args("healthy"));
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err, "twinlog autoinc: cannot read --schema /nonexistent/dump.sql\n");
  const std::string dump = testing::write_temp_file(
      "twinlog-autoinc-schema.sql", "CREATE TABLE `t` (`id` int AUTO_INCREMENT);\n");
  r = run_twinlog("autoinc --schema " + dump + " " + testing::scenario_pair_args("healthy"));
  EXPECT_EQ(r.code, 0) << r.err;
  std::filesystem::remove(dump);
}

TEST(AutoincCli, UsageErrors) {
  auto r = run_twinlog("autoinc --format yaml " + testing::scenario_pair_args("healthy"));
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err, "twinlog autoinc: --format must be text, jsonl or json, not 'yaml'\n");
  r = run_twinlog("autoinc --fail-on never " + testing::scenario_pair_args("healthy"));
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err, "twinlog autoinc: --fail-on must be info, warning or error, not 'never'\n");
  r = run_twinlog("autoinc --a-cnf " + kScenarios + "healthy/master-a.cnf " + kScenarios +
                  "healthy/a/mysql-bin.000001");
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err,
            "twinlog autoinc: no configuration for master B: give --b-cnf FILE or --b "
            "HOST[:PORT]\n");
}

}  // namespace
}  // namespace twinlog
