// `twinlog filters` run as a DBA runs it on the captured scenarios: exit codes by
// --fail-on, the per-transaction objects of --format jsonl and the json document
// valid against src/report/finding.schema.json, --explain, and usage errors.
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

TEST(FiltersCli, HealthyPairExitsZeroWithItsTwoKindsOfWarning) {
  auto r = run_twinlog("filters " + testing::scenario_pair_args("healthy"));
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.err, "");
  EXPECT_NE(r.out.find("0 errors, 3 warnings, 0 info"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("A -> B: 6 transactions in A's binlog: 4 applied by B, 0 skipped by its "
                       "rules, 2 B's own (skipped)"),
            std::string::npos)
      << r.out;
  EXPECT_EQ(run_twinlog("filters --fail-on warning " + testing::scenario_pair_args("healthy")).code,
            1);
}

TEST(FiltersCli, CrossDbScenarioIsAnError) {
  auto r = run_twinlog("filters " + testing::scenario_pair_args("cross-db"));
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.out.find("error   filter.applied_to_excluded: A applies statements of B that change "
                       "other.t"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("b/mysql-bin.000001:834-1046  gtid 0-2-4  server_id 2"), std::string::npos);
}

TEST(FiltersCli, JsonLinesHaveOneObjectPerTransactionThenTheFindings) {
  auto r = run_twinlog("filters --format jsonl " + testing::scenario_pair_args("cross-db"));
  EXPECT_EQ(r.code, 1);
  std::istringstream in(r.out);
  std::string line;
  int transactions = 0, findings = 0;
  bool saw_update = false;
  while (std::getline(in, line)) {
    auto j = nlohmann::json::parse(line);
    if (j.contains("kind")) {
      EXPECT_EQ(findings, 0) << "transactions come before the findings";
      ++transactions;
      if (j["server"] == "B" && j["start"] == 834) {
        saw_update = true;
        EXPECT_EQ(j["file"], kScenarios + "cross-db/b/mysql-bin.000001");
        EXPECT_EQ(j["end"], 1046);
        EXPECT_EQ(j["gtid"], "0-2-4");
        EXPECT_EQ(j["server_id"], 2);
        EXPECT_EQ(j["applied"], true);
        EXPECT_EQ(j["relogged"], true);
        EXPECT_EQ(j["rule"], "replicate-do-db=test (" + kScenarios + "cross-db/master-a.cnf:10)");
        ASSERT_EQ(j["statements"].size(), 1u);
        EXPECT_EQ(j["statements"][0]["position"], 876);
      }
    } else {
      ++findings;
    }
  }
  EXPECT_EQ(transactions, 8);
  EXPECT_EQ(findings, 4);
  EXPECT_TRUE(saw_update);
  const std::string file = testing::write_temp_file("twinlog-filters-test.jsonl", r.out);
  EXPECT_EQ(testing::validate_json(file, true, "finding", true), 0);
  std::filesystem::remove(file);
}

TEST(FiltersCli, JsonDocumentWithExplainIsValid) {
  auto r = run_twinlog("filters --format json --explain " + testing::scenario_pair_args("healthy"));
  EXPECT_EQ(r.code, 0);
  auto doc = nlohmann::json::parse(r.out);
  EXPECT_EQ(doc["transactions"].size(), 12u);
  EXPECT_EQ(doc["directions"][0]["own"], 2);
  EXPECT_EQ(doc["summary"]["warning"], 3);
  const std::string file = testing::write_temp_file("twinlog-filters-test.json", r.out);
  EXPECT_EQ(testing::validate_json(file, false, "document"), 0);
  std::filesystem::remove(file);
}

TEST(FiltersCli, ExplainNamesTheRulePerTransaction) {
  auto r = run_twinlog("filters --explain " + testing::scenario_pair_args("cross-db"));
  EXPECT_NE(r.out.find("gtid 0-2-4 server_id 2: B skips it (B's own server-id=2 ("),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("    at 876 statement in test: applied (replicate-do-db=test ("),
            std::string::npos);
}

TEST(FiltersCli, UsageErrors) {
  auto r = run_twinlog("filters --format yaml " + testing::scenario_pair_args("healthy"));
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err, "twinlog filters: --format must be text, jsonl or json, not 'yaml'\n");
  r = run_twinlog("filters --fail-on never " + testing::scenario_pair_args("healthy"));
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err, "twinlog filters: --fail-on must be info, warning or error, not 'never'\n");
  r = run_twinlog("filters --a-cnf " + kScenarios + "healthy/master-a.cnf " + kScenarios +
                  "healthy/a/mysql-bin.000001");
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err,
            "twinlog filters: no configuration for master B: give --b-cnf FILE or --b "
            "HOST[:PORT]\n");
}

TEST(FiltersCli, ATruncatedBinlogIsAnErrorAfterWhatWasRead) {
  std::ifstream in(kScenarios + "healthy/a/mysql-bin.000001", std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), {});
  const std::string cut =
      testing::write_temp_file("twinlog-filters-cut.bin", bytes.substr(0, bytes.size() - 10));
  auto r = run_twinlog("filters --a-cnf " + kScenarios + "healthy/master-a.cnf --b-cnf " +
                       kScenarios + "healthy/master-b.cnf " + cut);
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("twinlog filters: " + cut + ": at offset "), std::string::npos) << r.err;
  std::filesystem::remove(cut);
}

}  // namespace
}  // namespace twinlog
