// `twinlog validate` against a real pair: the healthy pair passes every check
// (and its --probe row goes both ways and is removed), then each mistake the
// issue names is made for real on the running servers (an account named
// 'repl@127.0.0.1' at '%', FILE granted to the replication account, a stopped
// replica, one GTID domain on both with gtid_strict_mode, sync_binlog=0, both
// read_only), and a pair started with slave-skip-errors, and each is reported by
// its check.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>

#include "tests/live/sandbox_pair.h"
#include "tests/support/cli_run.h"

namespace twinlog::live {
namespace {

struct Validation {
  int code = -1;
  std::map<std::string, nlohmann::json> checks;  // by name
  std::string out, err;
  std::string status(const std::string& name) const {
    auto it = checks.find(name);
    return it == checks.end() ? "missing" : it->second["status"].get<std::string>();
  }
  bool has_code(const std::string& name, const std::string& code) const {
    auto it = checks.find(name);
    if (it == checks.end()) return false;
    for (const auto& c : it->second["codes"]) {
      if (c == code) return true;
    }
    return false;
  }
};

std::string live_pair(const SandboxPair& pair) {
  return "--a 127.0.0.1:" + std::to_string(pair.port('A')) +
         " --b 127.0.0.1:" + std::to_string(pair.port('B')) + " --user root --no-defaults";
}

Validation validate(const SandboxPair& pair, const std::string& options = "") {
  auto r = testing::run_twinlog("validate --format json " + options + " " + live_pair(pair));
  Validation v;
  v.code = r.code;
  v.out = r.out;
  v.err = r.err;
  if (r.code == 2) return v;
  auto doc = nlohmann::json::parse(r.out);
  for (const auto& c : doc["checks"]) v.checks[c["name"]] = c;
  return v;
}

TEST(ValidateLive, AHealthyPairPassesThenEachMistakeMadeOnItIsReported) {
  auto pair = SandboxPair::start({"--gtid", "--format", "ROW"});
  auto v = validate(*pair);
  ASSERT_EQ(v.code, 0) << v.out << v.err;
  for (const char* name :
       {"validate.server_ids", "validate.log_bin", "validate.binlog_format", "validate.gtid_domain",
        "validate.gtid_strict_mode", "validate.slave_skip_errors", "validate.read_only",
        "validate.replication_a_to_b", "validate.replication_b_to_a", "validate.replication_user",
        "validate.user_name_holds_host", "validate.user_privileges", "validate.user_any_host"}) {
    EXPECT_EQ(v.status(name), "pass") << name << "\n" << v.out;
  }
  EXPECT_NE(v.checks["validate.replication_user"]["found"].get<std::string>().find(
                "A: 'repl'@'127.0.0.1'; B: 'repl'@'127.0.0.1'"),
            std::string::npos)
      << v.out;
  EXPECT_EQ(v.status("validate.probe"), "missing");

  // The probe: a row each way, timed, and gone again on both masters; the
  // metrics tell both channels running.
  const std::string metrics = testing::write_temp_file("twinlog-validate-live.prom", "");
  v = validate(*pair, "--probe --metrics " + metrics);
  const std::string prom = read_file_bytes(metrics);
  EXPECT_NE(prom.find("twinlog_replication_running{command=\"validate\",server=\"A\"} 1\n"
                      "twinlog_replication_running{command=\"validate\",server=\"B\"} 1\n"),
            std::string::npos)
      << prom;
  EXPECT_EQ(run_command("promtool check metrics < " + metrics + " >/dev/null 2>&1").exit_code, 0);
  ASSERT_EQ(v.code, 0) << v.out << v.err;
  EXPECT_EQ(v.status("validate.probe"), "pass") << v.out;
  const std::string found = v.checks["validate.probe"]["found"];
  EXPECT_EQ(found.rfind("test.twinlog_probe: A->B ", 0), 0u) << found;
  EXPECT_NE(found.find(" ms); B->A "), std::string::npos) << found;
  EXPECT_NE(found.find(" ms (removal "), std::string::npos) << found;
  pair->wait_sync();
  EXPECT_EQ(pair->sql('A', "SELECT COUNT(*) FROM test.twinlog_probe"), "0");
  EXPECT_EQ(pair->sql('B', "SELECT COUNT(*) FROM test.twinlog_probe"), "0");

  // A stopped replica: B's row never reaches A, and the probe says so.
  pair->sql('A', "STOP SLAVE");
  v = validate(*pair, "--probe --probe-timeout 2 --metrics " + metrics);
  EXPECT_NE(read_file_bytes(metrics).find(
                "twinlog_replication_running{command=\"validate\",server=\"A\"} 0\n"),
            std::string::npos);
  std::filesystem::remove(metrics);
  EXPECT_EQ(v.code, 1) << v.out << v.err;
  EXPECT_EQ(v.status("validate.replication_b_to_a"), "fail") << v.out;
  EXPECT_TRUE(v.has_code("validate.replication_b_to_a", "replication.io_not_running"));
  EXPECT_TRUE(v.has_code("validate.replication_b_to_a", "replication.sql_not_running"));
  EXPECT_EQ(v.status("validate.replication_a_to_b"), "pass");
  EXPECT_EQ(v.status("validate.probe"), "fail") << v.out;
  EXPECT_TRUE(v.has_code("validate.probe", "probe.not_replicated"));
  EXPECT_EQ(pair->sql('B', "SELECT COUNT(*) FROM test.twinlog_probe"), "0");

  // The runbooks' grants as they write them, each on one master only (not
  // logged): user and host quoted as one string (one runbook), and
  // "replication slave,file" (another).
  pair->sql('A',
            "SET sql_log_bin=0; GRANT REPLICATION SLAVE ON *.* TO 'repl@127.0.0.1' "
            "IDENTIFIED BY 'repl'");
  pair->sql('B', "SET sql_log_bin=0; GRANT REPLICATION SLAVE, FILE ON *.* TO 'repl'@'127.0.0.1'");
  // One GTID domain on both, with strict mode; no binlog sync; both read-only.
  pair->sql('B', "SET GLOBAL gtid_domain_id=1");
  pair->sql('A', "SET GLOBAL gtid_strict_mode=ON");
  pair->sql('A', "SET GLOBAL sync_binlog=0");
  pair->sql('A', "SET GLOBAL read_only=ON");
  pair->sql('B', "SET GLOBAL read_only=ON");
  v = validate(*pair);
  EXPECT_EQ(v.code, 1) << v.out << v.err;
  EXPECT_EQ(v.status("validate.user_name_holds_host"), "fail") << v.out;
  EXPECT_TRUE(v.has_code("validate.user_name_holds_host", "user.name_holds_host"));
  EXPECT_EQ(v.status("validate.user_privileges"), "warn");
  EXPECT_TRUE(v.has_code("validate.user_privileges", "user.extra_privileges"));
  EXPECT_EQ(v.status("validate.user_any_host"), "warn");
  EXPECT_EQ(v.status("validate.gtid_domain"), "warn");
  EXPECT_TRUE(v.has_code("validate.gtid_domain", "config.shared_gtid_domain"));
  EXPECT_EQ(v.status("validate.gtid_strict_mode"), "fail");
  EXPECT_EQ(v.status("validate.sync_binlog"), "warn");
  EXPECT_EQ(v.status("validate.read_only"), "warn");
  EXPECT_TRUE(v.has_code("validate.read_only", "config.read_only_both"));
  EXPECT_EQ(v.status("validate.replication_b_to_a"), "fail");

  // The text report names the failing checks in their groups.
  auto text = testing::run_twinlog("validate " + live_pair(*pair));
  EXPECT_EQ(text.code, 1);
  EXPECT_NE(text.out.find("replication\n  fail  A applies B's changes: channel '' from 127.0.0.1:"),
            std::string::npos)
      << text.out;
  EXPECT_NE(text.out.find("fail  no account named with its host: "), std::string::npos);
  EXPECT_NE(
      text.out.find("statement: GRANT FILE, REPLICATION SLAVE ON *.* TO `repl`@`127.0.0.1`\n"),
      std::string::npos)
      << text.out;
  EXPECT_EQ(text.out.find("PASSWORD"), std::string::npos);  // no password hash in the report
}

TEST(ValidateLive, SlaveSkipErrorsIsReportedWithWhatItCosts) {
  auto pair = SandboxPair::start({"--gtid", "--format", "ROW", "--skip-errors", "1062"});
  auto v = validate(*pair);
  EXPECT_EQ(v.code, 1) << v.out << v.err;
  EXPECT_EQ(v.status("validate.slave_skip_errors"), "fail") << v.out;
  EXPECT_TRUE(v.has_code("validate.slave_skip_errors", "config.slave_skip_errors"));
  EXPECT_NE(v.out.find("a failing row skips its whole rows event"), std::string::npos);
  EXPECT_EQ(v.status("validate.replication_a_to_b"), "pass");
}

}  // namespace
}  // namespace twinlog::live
