// `twinlog validate` run as a DBA runs it on the runbook's option files: every
// check printed, the exit code by --fail-on, and the json / jsonl output valid
// against src/report/finding.schema.json.
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

const std::string kPair = "--a-cnf " + std::string(TWINLOG_SAMPLES_DIR) +
                          "/configs/master-a.cnf --b-cnf " + std::string(TWINLOG_SAMPLES_DIR) +
                          "/configs/master-b.cnf";

TEST(ValidateCli, TheRunbooksOptionFilesPassAtErrorAndWarnAtWarning) {
  auto r = run_twinlog("validate " + kPair);
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.err, "");
  EXPECT_NE(r.out.find("servers\n  pass  server ids distinct and valid: A 1 ("), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("  warn  no comma list in a filter option: "), std::string::npos);
  EXPECT_NE(r.out.find("not run: replication running both ways and the replication accounts "
                       "(give --a and --b)\n"),
            std::string::npos);
  r = run_twinlog("validate --fail-on warning " + kPair);
  EXPECT_EQ(r.code, 1);
}

TEST(ValidateCli, JsonAndJsonLinesFollowTheSchema) {
  auto r = run_twinlog("validate --format json " + kPair);
  EXPECT_EQ(r.code, 0) << r.err;
  auto doc = nlohmann::json::parse(r.out);
  ASSERT_GE(doc["checks"].size(), 18u);
  EXPECT_EQ(doc["checks"][0]["name"], "validate.server_ids");
  EXPECT_EQ(doc["checks"][0]["status"], "pass");
  const std::string file = testing::write_temp_file("twinlog-validate-test.json", r.out);
  EXPECT_EQ(testing::validate_json(file, false, "document"), 0);
  std::filesystem::remove(file);

  r = run_twinlog("validate --format jsonl " + kPair);
  std::istringstream in(r.out);
  std::string line, checks, findings;
  while (std::getline(in, line)) {
    (nlohmann::json::parse(line).contains("kind") ? checks : findings) += line + "\n";
  }
  EXPECT_NE(checks.find("\"status\":\"warn\""), std::string::npos) << checks;
  ASSERT_FALSE(findings.empty());
  const std::string checks_file = testing::write_temp_file("twinlog-validate-checks.jsonl", checks);
  const std::string findings_file =
      testing::write_temp_file("twinlog-validate-findings.jsonl", findings);
  EXPECT_EQ(testing::validate_json(checks_file, true, "validate_check"), 0);
  EXPECT_EQ(testing::validate_json(findings_file, true, "finding"), 0);
  std::filesystem::remove(checks_file);
  std::filesystem::remove(findings_file);
}

TEST(ValidateCli, MetricsAreWrittenForTheTextfileCollectorAndPassPromtool) {
  const std::string file = testing::write_temp_file("twinlog-validate-test.prom", "old\n");
  auto r = run_twinlog("validate --metrics " + file + " " + kPair);
  EXPECT_EQ(r.code, 0) << r.err;
  std::ifstream in(file);
  const std::string text{std::istreambuf_iterator<char>(in), {}};
  EXPECT_NE(text.find("twinlog_findings{command=\"validate\",code=\"config.filter_comma_list\","
                      "severity=\"warning\"} 2\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("twinlog_run_success{command=\"validate\"} 1\n"), std::string::npos);
  // Offline there is no replication to tell about.
  EXPECT_EQ(text.find("twinlog_replication_running"), std::string::npos);
  EXPECT_EQ(std::system(("promtool check metrics < " + file + " >/dev/null 2>&1").c_str()), 0);
  std::filesystem::remove(file);

  r = run_twinlog("validate --metrics /nonexistent-dir/twinlog.prom " + kPair);
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(
      r.err.find("twinlog validate: --metrics: cannot create /nonexistent-dir/twinlog.prom.tmp."),
      std::string::npos)
      << r.err;
}

TEST(ValidateCli, WithoutThePairItIsAUsageError) {
  auto r =
      run_twinlog("validate --a-cnf " + std::string(TWINLOG_SAMPLES_DIR) + "/configs/master-a.cnf");
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("twinlog validate: "), std::string::npos) << r.err;
  r = run_twinlog("validate --probe " + kPair);
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err, "twinlog validate: --probe needs the live masters (--a and --b)\n");
}

}  // namespace
}  // namespace twinlog
