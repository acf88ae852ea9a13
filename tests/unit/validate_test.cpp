// `twinlog validate` over option files: the runbook's pair (samples/configs) with
// what it gets right passing and its own mistakes (the comma lists, one GTID
// domain, MIXED format) reported under their checks, and a variant of the pair
// with each further mistake, each found by the check that owns it.
#include "src/checks/validate.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "src/checks/validate_render.h"
#include "tests/support/cli_run.h"

namespace twinlog {
namespace {

using checks::CheckStatus;
using checks::ValidationCheck;
using config::ServerConfig;

const config::ServerIdentity kMaria{protocol::Flavor::kMariaDB, protocol::ServerVersion{10, 11, 6}};
const std::string kConfigs = std::string(TWINLOG_SAMPLES_DIR) + "/configs/";

std::string sample(const std::string& name) {
  std::ifstream in(kConfigs + name);
  return {std::istreambuf_iterator<char>(in), {}};
}

ServerConfig config_of(const std::string& text, const std::string& name) {
  const std::string path = testing::write_temp_file("twinlog-validate-" + name, text);
  ServerConfig c = config::read_server_config(path, kMaria);
  std::filesystem::remove(path);
  return c;
}

// The pair: the samples with `extra_a` / `extra_b` lines added to [mysqld].
checks::Validation validate(const std::string& extra_a = "", const std::string& extra_b = "") {
  return checks::validate_configs(config_of(sample("master-a.cnf") + extra_a, "a.cnf"),
                                  config_of(sample("master-b.cnf") + extra_b, "b.cnf"));
}

const ValidationCheck& check(const checks::Validation& v, const std::string& name) {
  for (const auto& c : v.checks) {
    if (c.name == name) return c;
  }
  throw std::runtime_error("no check " + name);
}

std::vector<std::string> codes(const ValidationCheck& c) {
  std::vector<std::string> out;
  for (const auto& f : c.findings) out.push_back(f.code);
  return out;
}

TEST(Validate, TheRunbooksPairPassesWhatItGetsRightAndFlagsItsOwnMistakes) {
  const auto v = validate();
  for (const char* name :
       {"validate.server_ids", "validate.log_bin", "validate.log_slave_updates",
        "validate.binlog_checksum", "validate.binlog_row_image", "validate.sync_binlog",
        "validate.innodb_flush_log_at_trx_commit", "validate.auto_increment",
        "validate.slave_skip_errors", "validate.loops", "validate.gtid_strict_mode",
        "validate.gtid_ignore_duplicates", "validate.read_only", "validate.options"}) {
    EXPECT_EQ(check(v, name).status(), CheckStatus::kPass) << name;
  }
  EXPECT_EQ(check(v, "validate.server_ids").found,
            "A 1 (" + testing::temp_path("twinlog-validate-a.cnf") + ":6); B 2 (" +
                testing::temp_path("twinlog-validate-b.cnf") + ":5)");
  // The sample sets no binlog_format: MariaDB's default, MIXED.
  EXPECT_EQ(check(v, "validate.binlog_format").status(), CheckStatus::kWarn);
  EXPECT_EQ(codes(check(v, "validate.binlog_format")),
            (std::vector<std::string>{"config.binlog_format", "config.binlog_format"}));
  EXPECT_EQ(check(v, "validate.filter_comma_lists").status(), CheckStatus::kWarn);
  EXPECT_EQ(codes(check(v, "validate.filter_comma_lists")),
            (std::vector<std::string>{"config.filter_comma_list", "config.filter_comma_list"}));
  EXPECT_EQ(codes(check(v, "validate.gtid_domain")),
            std::vector<std::string>{"config.shared_gtid_domain"});
  EXPECT_EQ(report::exit_code_for(v.findings(), report::Severity::kError), 0);
  EXPECT_EQ(report::exit_code_for(v.findings(), report::Severity::kWarning), 1);
}

TEST(Validate, EachMistakeIsFoundByTheCheckThatOwnsIt) {
  struct Case {
    std::string extra_a, extra_b, check, code;
    CheckStatus status;
  };
  const Case cases[] = {
      {"server-id=2\n", "", "validate.server_ids", "config.same_server_id", CheckStatus::kFail},
      {"server-id=0\n", "", "validate.server_ids", "config.server_id_zero", CheckStatus::kFail},
      // Above 2^32-1 the server clamps it: the note is the server id check's.
      {"server-id=5000000000\n", "", "validate.server_ids", "config.value_adjusted",
       CheckStatus::kWarn},
      // A refused line sets nothing: the options check has it.
      {"sync_binlog=1x\n", "", "validate.options", "config.refused_value", CheckStatus::kFail},
      {"skip-log-bin\n", "", "validate.log_bin", "config.log_bin_off", CheckStatus::kFail},
      {"", "skip-log-slave-updates\n", "validate.log_slave_updates", "config.log_slave_updates_off",
       CheckStatus::kWarn},
      {"binlog_checksum=NONE\n", "", "validate.binlog_checksum", "config.binlog_checksum",
       CheckStatus::kWarn},
      {"binlog_row_image=MINIMAL\n", "", "validate.binlog_row_image", "config.binlog_row_image",
       CheckStatus::kWarn},
      {"sync_binlog=0\n", "", "validate.sync_binlog", "config.sync_binlog", CheckStatus::kWarn},
      {"innodb_flush_log_at_trx_commit=2\n", "", "validate.innodb_flush_log_at_trx_commit",
       "config.innodb_flush_log_at_trx_commit", CheckStatus::kWarn},
      {"", "auto_increment_offset=1\n", "validate.auto_increment", "autoinc.same_class",
       CheckStatus::kFail},
      {"", "binlog-do-db=other\n", "validate.filter_symmetry", "filter.asymmetric_rules",
       CheckStatus::kWarn},
      {"slave-skip-errors=1062\n", "", "validate.slave_skip_errors", "config.slave_skip_errors",
       CheckStatus::kFail},
      {"", "slave-skip-errors=ddl_exist_errors\n", "validate.slave_skip_errors",
       "config.slave_skip_errors", CheckStatus::kWarn},
      {"replicate-same-server-id\n", "", "validate.loops", "config.same_server_id_replicated",
       CheckStatus::kFail},
      {"gtid_strict_mode=ON\n", "gtid_strict_mode=ON\n", "validate.gtid_strict_mode",
       "config.gtid_strict_mode", CheckStatus::kFail},
      {"gtid_domain_id=1\ngtid_strict_mode=ON\n", "gtid_domain_id=2\n", "validate.gtid_strict_mode",
       "config.gtid_strict_mode", CheckStatus::kWarn},
      {"read_only=ON\n", "read_only=ON\n", "validate.read_only", "config.read_only_both",
       CheckStatus::kWarn},
      {"log-slave-updates=maybe\n", "", "validate.log_slave_updates", "config.bad_boolean",
       CheckStatus::kWarn},
  };
  for (const Case& c : cases) {
    const auto v = validate(c.extra_a, c.extra_b);
    const ValidationCheck& got = check(v, c.check);
    EXPECT_EQ(got.status(), c.status) << c.extra_a << c.extra_b;
    const auto found = codes(got);
    EXPECT_NE(std::find(found.begin(), found.end(), c.code), found.end())
        << c.extra_a << c.extra_b << " gave " << ::testing::PrintToString(found);
  }
}

TEST(Validate, OnMySqlTheMariaDbGtidSettingsDoNotApply) {
  const config::ServerIdentity mysql{protocol::Flavor::kMySQL, protocol::ServerVersion{8, 0, 36}};
  auto read = [&mysql](const std::string& name) {
    const std::string path = testing::write_temp_file("twinlog-validate-my-" + name, sample(name));
    ServerConfig c = config::read_server_config(path, mysql);
    std::filesystem::remove(path);
    return c;
  };
  const auto v = checks::validate_configs(read("master-a.cnf"), read("master-b.cnf"));
  EXPECT_EQ(check(v, "validate.gtid_domain").status(), CheckStatus::kPass);
  EXPECT_EQ(check(v, "validate.gtid_domain").found, "MySQL: GTIDs carry each server's uuid");
  EXPECT_EQ(check(v, "validate.gtid_strict_mode").status(), CheckStatus::kPass);
}

TEST(Validate, OneReadOnlyMasterIsAStandbyByDesign) {
  const auto v = validate("", "read_only=ON\n");
  EXPECT_EQ(check(v, "validate.read_only").status(), CheckStatus::kPass);
  EXPECT_NE(check(v, "validate.read_only").found.find("B ON"), std::string::npos);
}

TEST(Validate, EqualServerIdsAreOneFindingThoughTwoChecksSeeThem) {
  const auto v = validate("server-id=2\n");
  EXPECT_EQ(codes(check(v, "validate.server_ids")),
            std::vector<std::string>{"config.same_server_id"});
}

TEST(Validate, TextShowsEveryCheckGroupedWithWhatItShouldBeWhereItDidNotPass) {
  std::string out;
  checks::render_validation(validate("sync_binlog=0\n"), report::Format::kText, out, false);
  EXPECT_NE(out.find("durability\n  warn  sync_binlog=1: A 0 ("), std::string::npos) << out;
  EXPECT_NE(out.find("      should be: 1 on both\n"), std::string::npos) << out;
  EXPECT_NE(out.find("      warning config.sync_binlog: A has sync_binlog=0: "), std::string::npos)
      << out;
  EXPECT_NE(out.find("binary log\n  pass  log_bin on both masters: A ON ("), std::string::npos)
      << out;
  EXPECT_EQ(out.find("no findings"), std::string::npos);
  EXPECT_NE(out.find("18 checks: 14 pass, 4 warn, 0 fail (0 errors, 6 warnings, 0 info)\n"),
            std::string::npos)
      << out;
}

}  // namespace
}  // namespace twinlog
