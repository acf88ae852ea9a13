// `twinlog audit --checksum` against real pairs driven into two scenarios
// (tools/scenarios): a write made with sql_log_bin=0 on one master, which only the
// tables show and the audit explains as a write that never reached a binlog; and
// the auto-increment collision under slave-skip-errors=1062, whose row differences
// the audit ties to the skipped duplicate-key error and the collision its binlogs
// show.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "tests/live/sandbox_pair.h"
#include "tests/support/cli_run.h"
// schema_check.h finds the schema beside samples/, which the live suite does not
// define.
#ifndef TWINLOG_SAMPLES_DIR
#define TWINLOG_SAMPLES_DIR TWINLOG_SOURCE_DIR "/samples"
#endif
#include "tests/support/schema_check.h"

namespace twinlog::live {
namespace {

struct Audit {
  int code = -1;
  std::string out, err;
  std::vector<nlohmann::json> findings;

  std::vector<nlohmann::json> with_prefix(const std::string& prefix) const {
    std::vector<nlohmann::json> out_;
    for (const auto& f : findings) {
      if (f["code"].get<std::string>().rfind(prefix, 0) == 0) out_.push_back(f);
    }
    return out_;
  }
};

Audit audit(const SandboxPair& pair, const std::string& extra) {
  const std::string args = "audit --a " + shell_quote(pair.socket('A')) + " --b " +
                           shell_quote(pair.socket('B')) + " --user root --no-defaults " + extra;
  auto r = testing::run_twinlog(args);
  Audit a;
  a.code = r.code;
  a.out = r.out;
  a.err = r.err;
  if (extra.find("--format jsonl") == std::string::npos) return a;
  std::istringstream in(r.out);
  std::string line;
  while (std::getline(in, line)) a.findings.push_back(nlohmann::json::parse(line));
  return a;
}

std::string codes_of(const nlohmann::json& cause) {
  std::string out;
  for (const auto& c : cause["codes"]) out += c.get<std::string>() + " ";
  return out;
}

void expect_schema(const std::string& jsonl) {
  const std::string file = testing::write_temp_file("twinlog-audit-checksum-live.jsonl", jsonl);
  EXPECT_EQ(testing::validate_json(file, true, "finding"), 0) << jsonl;
}

TEST(AuditChecksumLive, AWriteWithSqlLogBinOffIsAWriteThatNeverReachedTheBinlog) {
  // On A, with sql_log_bin=0: INSERT id 3 and UPDATE id 1 of test.t.
  auto pair = SandboxPair::scenario("sql-log-bin-off");
  const Audit a = audit(*pair, "--checksum --format jsonl");
  EXPECT_EQ(a.code, 1) << a.err;
  const auto rows = a.with_prefix("checksum.");
  ASSERT_EQ(rows.size(), 2u) << a.out << a.err;
  for (const auto& f : rows) {
    const std::string message = f["message"];
    EXPECT_TRUE(message.rfind("test.t: row (`id` = 3) is on A only", 0) == 0 ||
                message.rfind("test.t: row (`id` = 1) differs", 0) == 0)
        << message;
    ASSERT_TRUE(f.contains("cause")) << f.dump();
    EXPECT_EQ(f["cause"]["kind"], "unlogged_write") << f.dump();
    const std::string why = f["cause"]["explanation"];
    EXPECT_EQ(why.rfind("no binlog evidence explains this: no transaction of either binlog read "
                        "touches test.t differently, so the change never reached a binlog: a "
                        "write with sql_log_bin=0",
                        0),
              0u)
        << why;
  }
  // Nothing else is a divergence, and no other finding gets a cause.
  for (const auto& f : a.findings) {
    if (f["code"].get<std::string>().rfind("checksum.", 0) != 0) {
      EXPECT_FALSE(f.contains("cause")) << f.dump();
    }
  }
  expect_schema(a.out);
  // The text says it under each row.
  const Audit text = audit(*pair, "--checksum");
  EXPECT_NE(text.out.find("        cause (unlogged_write"), std::string::npos) << text.out;
}

TEST(AuditChecksumLive, SkippedErrorsTheRowsAreTheSkippedCollision) {
  // Both masters inserted id 1 into test.t; each replica skipped the other's
  // INSERT on error 1062 (slave-skip-errors=1062): A holds ids 1 and 3, B id 1
  // with B's values.
  auto pair = SandboxPair::scenario("skipped-errors");
  const Audit a = audit(*pair, "--checksum --format jsonl");
  EXPECT_EQ(a.code, 1) << a.err;
  const auto rows = a.with_prefix("checksum.");
  ASSERT_EQ(rows.size(), 2u) << a.out << a.err;
  bool missing = false, differs = false;
  for (const auto& f : rows) {
    ASSERT_TRUE(f.contains("cause")) << f.dump();
    EXPECT_EQ(f["cause"]["kind"], "skipped_error") << f.dump();
    const std::string codes = codes_of(f["cause"]);
    EXPECT_NE(codes.find("config.slave_skip_errors "), std::string::npos) << codes;
    EXPECT_NE(codes.find("autoinc.collision "), std::string::npos) << codes;
    const std::string why = f["cause"]["explanation"];
    EXPECT_NE(why.find("skipped the other master's rows on the duplicate-key error (1062)"),
              std::string::npos)
        << why;
    EXPECT_NE(why.find("both masters inserted test.t id 1"), std::string::npos) << why;
    // The transactions involved: both masters' INSERT of id 1, with their GTIDs.
    int inserts = 0;
    for (const auto& e : f["cause"]["evidence"]) {
      if (e.value("statement", "") == "id 1" && e.contains("gtid")) ++inserts;
    }
    EXPECT_EQ(inserts, 2) << f.dump();
    const std::string message = f["message"];
    if (f["code"] == "checksum.row_missing") {
      missing = message.rfind("test.t: row (`id` = 3) is on A only", 0) == 0;
      // B lacks the row: B's replica skipped it, B's setting is the evidence.
      EXPECT_EQ(why.rfind("B's replica skipped", 0), 0u) << why;
    }
    if (f["code"] == "checksum.row_differs") {
      differs = message.rfind("test.t: row (`id` = 1) differs", 0) == 0;
      // Each master kept its own id 1: both replicas skipped, both settings show it.
      EXPECT_EQ(why.rfind("each replica skipped", 0), 0u) << why;
    }
  }
  EXPECT_TRUE(missing && differs) << a.out;
  expect_schema(a.out);
}

}  // namespace
}  // namespace twinlog::live
