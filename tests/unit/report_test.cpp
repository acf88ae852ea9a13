// Findings rendered as text, JSON lines and one JSON document; the JSON forms are
// validated against src/report/finding.schema.json with Debian's python3-jsonschema
// (/usr/bin/python3: the Debian interpreter that package installs into).
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "src/report/render.h"
#include "tests/support/cli_run.h"
#include "tests/support/schema_check.h"

namespace twinlog::report {
namespace {

std::vector<Finding> sample_findings() {
  Finding cross;
  cross.severity = Severity::kError;
  cross.code = "filter.cross_db_skipped";
  cross.message = "B skips a transaction that changes test.t";
  Evidence tx;
  tx.server = "A";
  tx.file = "mysql-bin.000002";
  tx.start = 1234;
  tx.end = 1456;
  tx.gtid = "0-1-24";
  tx.origin_server_id = 1;
  tx.table = "test.t";
  tx.statement = "USE mysql; INSERT INTO test.t VALUES (\"x\")";
  Evidence rule;
  rule.server = "B";
  rule.option = "replicate-do-db=test";
  rule.option_source = "master-b.cnf:9";
  cross.evidence = {tx, rule};
  cross.action = "qualify nothing across databases, or use ROW format";
  Finding comma{Severity::kWarning, "config.filter_comma_list", "one database name", {}, {}};
  Finding info{Severity::kInfo, "autoinc.gap", "ids consumed but not logged", {}, {}};
  return {info, comma, cross};
}

// Validates `json_file` (one finding per line, or one document).
int validate(const std::string& json_file, bool lines, bool document) {
  return testing::validate_json(json_file, lines, document ? "document" : "finding");
}

TEST(Report, TextGroupsBySeverityWithEvidenceAndSummary) {
  std::string out;
  render_text(sample_findings(), out, false);
  EXPECT_EQ(out,
            "error   filter.cross_db_skipped: B skips a transaction that changes test.t\n"
            "        server A  mysql-bin.000002:1234-1456  gtid 0-1-24  server_id 1  test.t\n"
            "        statement: USE mysql; INSERT INTO test.t VALUES (\"x\")\n"
            "        server B\n"
            "        option: replicate-do-db=test (master-b.cnf:9)\n"
            "        what to do: qualify nothing across databases, or use ROW format\n"
            "warning config.filter_comma_list: one database name\n"
            "info    autoinc.gap: ids consumed but not logged\n"
            "1 error, 1 warning, 1 info\n");
  std::string coloured;
  render_text(sample_findings(), coloured, true);
  EXPECT_NE(coloured.find("\x1b[1;31merror  \x1b[0m"), std::string::npos);
  std::string none;
  render_text({}, none, false);
  EXPECT_EQ(none, "no findings\n");
}

TEST(Report, JsonLinesAndDocumentFollowTheSchema) {
  std::string lines, doc;
  render_json_lines(sample_findings(), lines);
  render_json(sample_findings(), doc);
  auto parsed = nlohmann::json::parse(doc);
  EXPECT_EQ(parsed["summary"]["error"], 1);
  EXPECT_EQ(parsed["findings"][2]["evidence"][0]["start"], 1234);
  EXPECT_EQ(parsed["findings"][2]["evidence"][0]["statement"],
            "USE mysql; INSERT INTO test.t VALUES (\"x\")");
  char dir[] = "/tmp/twinlog-report-XXXXXX";
  ASSERT_NE(::mkdtemp(dir), nullptr);
  std::string lines_file = std::string(dir) + "/f.jsonl", doc_file = std::string(dir) + "/f.json";
  std::ofstream(lines_file) << lines;
  std::ofstream(doc_file) << doc;
  EXPECT_EQ(validate(lines_file, true, false), 0);
  EXPECT_EQ(validate(doc_file, false, true), 0);
  // The schema can fail: a finding without evidence, or a bad severity, is refused.
  std::ofstream(lines_file) << R"({"severity":"fatal","code":"x.y","message":"m","evidence":[]})"
                            << "\n";
  EXPECT_NE(validate(lines_file, true, false), 0);
  std::ofstream(lines_file) << R"({"severity":"error","code":"x.y","message":"m"})"
                            << "\n";
  EXPECT_NE(validate(lines_file, true, false), 0);
  std::filesystem::remove_all(dir);
}

// Whether `text` (JSON lines, or one document) follows the schema.
bool follows_schema(const std::string& text, bool lines, bool document) {
  const std::string file = testing::write_temp_file("twinlog-report-cause.json", text);
  const bool valid = validate(file, lines, document) == 0;
  std::filesystem::remove(file);
  return valid;
}

// A divergence the audit explained: its cause under its evidence, in every form.
Finding explained_finding() {
  Finding f{Severity::kError,
            "diff.transaction_missing",
            "a transaction of A's binlog is not in B's binlog",
            {},
            "compare test.t"};
  Evidence tx;
  tx.server = "A";
  tx.file = "mysql-bin.000001";
  tx.start = 664;
  tx.end = 892;
  tx.gtid = "0-1-3";
  tx.table = "test.t";
  f.evidence = {tx};
  Cause c;
  c.kind = CauseKind::kSkippedError;
  c.codes = {"config.slave_skip_errors", "autoinc.collision"};
  c.explanation = "B's replica skipped the other master's rows";
  Evidence setting;
  setting.server = "B";
  setting.option = "slave_skip_errors=1062";
  setting.option_source = "master-b.cnf:19";
  tx.statement = "id 1";
  c.evidence = {setting, tx};
  f.cause = c;
  return f;
}

TEST(Report, ACauseFollowsTheEvidenceInTextAndJson) {
  std::string text;
  render_text({explained_finding()}, text, false);
  EXPECT_EQ(text,
            "error   diff.transaction_missing: a transaction of A's binlog is not in B's binlog\n"
            "        server A  mysql-bin.000001:664-892  gtid 0-1-3  test.t\n"
            "        cause (skipped_error; shown by config.slave_skip_errors, autoinc.collision): "
            "B's replica skipped the other master's rows\n"
            "          server B\n"
            "          option: slave_skip_errors=1062 (master-b.cnf:19)\n"
            "          server A  mysql-bin.000001:664-892  gtid 0-1-3  test.t\n"
            "          statement: id 1\n"
            "        what to do: compare test.t\n"
            "1 error, 0 warnings, 0 info\n");
  std::string lines, doc;
  render_json_lines({explained_finding()}, lines);
  render_json({explained_finding(), sample_findings()[1]}, doc);
  const auto parsed = nlohmann::json::parse(lines);
  EXPECT_EQ(parsed["cause"]["kind"], "skipped_error");
  EXPECT_EQ(parsed["cause"]["codes"][1], "autoinc.collision");
  EXPECT_EQ(parsed["cause"]["evidence"][0]["option"], "slave_skip_errors=1062");
  EXPECT_EQ(parsed["cause"]["evidence"][1]["gtid"], "0-1-3");
  EXPECT_FALSE(nlohmann::json::parse(doc)["findings"][1].contains("cause"));
  EXPECT_TRUE(follows_schema(lines, true, false));
  EXPECT_TRUE(follows_schema(doc, false, true));
  // A cause of an unknown kind, or without its explanation, is refused.
  std::string bad = lines;
  bad.replace(bad.find("skipped_error"), 13, "bad_luck");
  EXPECT_FALSE(follows_schema(bad, true, false));
  bad = lines;
  bad.replace(bad.find("\"explanation\""), 13, "\"explained\"");
  EXPECT_FALSE(follows_schema(bad, true, false));
}

TEST(Report, ExitCodesFollowFailOn) {
  auto f = sample_findings();
  EXPECT_EQ(exit_code_for(f, Severity::kError), kExitFindings);
  f.pop_back();  // no error left
  EXPECT_EQ(exit_code_for(f, Severity::kError), kExitClean);
  EXPECT_EQ(exit_code_for(f, Severity::kWarning), kExitFindings);
  EXPECT_EQ(exit_code_for({}, Severity::kInfo), kExitClean);
  EXPECT_EQ(parse_severity("warning"), Severity::kWarning);
  EXPECT_FALSE(parse_severity("fatal"));
}

}  // namespace
}  // namespace twinlog::report
