// The audit's explanation over the captured scenarios (samples/scenarios: real
// MariaDB 10.11 pairs): the real checks run over both masters' binlogs (validate's
// configuration checks, filters, loops, auto-increment, the stream digests), then
// explain() ties each divergence to its cause. The table checksums need live
// servers; where a scenario's divergence is only in the tables, the findings
// `twinlog checksum` reports on that pair (the rows its README names) are added.
#include "src/audit/explain.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>

#include "src/checks/autoinc_check.h"
#include "src/checks/diff_run.h"
#include "src/checks/filter_check.h"
#include "src/checks/loop_check.h"
#include "src/checks/validate.h"
#include "src/config/server_config.h"
#include "src/stream/event_stream.h"
#include "tests/support/cli_run.h"
#include "tests/support/findings.h"

namespace twinlog::audit {
namespace {

using report::CauseKind;
using report::Evidence;
using report::Finding;
using report::Severity;
using twinlog::testing::with_code;

const config::ServerIdentity kCaptured{protocol::Flavor::kMariaDB,
                                       protocol::ServerVersion{10, 11, 19}};

std::string scenario_dir(const std::string& name) {
  return std::string(TWINLOG_SAMPLES_DIR) + "/scenarios/" + name;
}

template <class Items>
void append(std::vector<Finding>& out, Items items) {
  out.insert(out.end(), std::make_move_iterator(items.begin()),
             std::make_move_iterator(items.end()));
}

// Every finding the binlog checks give for a captured pair, explained.
struct Scenario {
  config::ServerConfig a, b;
  std::vector<Finding> findings;

  explicit Scenario(const std::string& name, std::vector<Finding> table_findings = {})
      : Scenario(At{scenario_dir(name)}, std::move(table_findings)) {}

  // A pair captured elsewhere than samples/scenarios.
  struct At {
    std::string dir;
  };
  Scenario(const At& at, std::vector<Finding> table_findings)
      : a(config::read_server_config(at.dir + "/master-a.cnf", kCaptured)),
        b(config::read_server_config(at.dir + "/master-b.cnf", kCaptured)) {
    const std::string& dir = at.dir;
    const std::string binlogs[2] = {dir + "/a/mysql-bin.000001", dir + "/b/mysql-bin.000001"};
    findings = checks::validate_configs(a, b).findings();
    checks::AutoIncrementCheck autoinc(a, b);
    const config::ServerConfig* configs[2] = {&a, &b};
    const std::string names[2] = {"A", "B"};
    for (int i = 0; i < 2; ++i) {
      const config::ServerConfig& self = *configs[i];
      const config::ServerConfig& peer = *configs[1 - i];
      checks::FilterCheck filters(self, peer, names[i], names[1 - i]);
      checks::LoopCheck loops(self, peer, names[i], names[1 - i]);
      autoinc.begin(names[i]);
      EventStream stream(binlog_files_opener({binlogs[i]}), {});
      StreamEvent se;
      while (stream.next(se)) {
        filters.add(se);
        loops.add(se);
        autoinc.add(se);
      }
      filters.finish();
      loops.finish();
      autoinc.end();
      append(findings, filters.findings());
      append(findings, loops.findings());
    }
    append(findings, autoinc.findings());
    checks::DiffResult diff = checks::run_diff(
        {binlog_files_opener({binlogs[0]}), &a, {}}, {binlog_files_opener({binlogs[1]}), &b, {}},
        {}, checks::DiffAligner::kDefaultMaxLag, [](const std::string&, const StreamWarning&) {});
    append(findings, std::move(diff.findings));
    append(findings, std::move(table_findings));
    explain(findings);
  }
};

// A row `twinlog checksum` reports, as checksum_compare.cpp words it.
Finding row_finding(const std::string& code, const std::string& table, const std::string& which,
                    std::vector<std::string> servers) {
  Finding f;
  f.severity = Severity::kError;
  f.code = code;
  f.message = table + ": row (" + which + ") " +
              (code == "checksum.row_missing" ? "is on " + servers.front() + " only" : "differs");
  for (const std::string& server : servers) {
    Evidence e;
    e.server = server;
    e.table = table;
    e.statement = which;
    f.evidence.push_back(e);
  }
  return f;
}

std::vector<const Finding*> divergences(const std::vector<Finding>& findings) {
  std::vector<const Finding*> out;
  for (const Finding& f : findings) {
    if (is_divergence(f.code)) out.push_back(&f);
  }
  return out;
}

bool has_code(const report::Cause& c, const std::string& code) {
  return std::find(c.codes.begin(), c.codes.end(), code) != c.codes.end();
}

// Every captured pair's binlogs hold the sandbox's own `CREATE DATABASE IF NOT
// EXISTS test`, run on each master before replication was set up, so never sent to
// the other: diff reports it missing, and nothing in the binlogs explains it.
void expect_setup_transactions_unexplained(const std::vector<Finding>& findings) {
  for (const Finding* f : with_code(findings, "diff.transaction_missing")) {
    const Evidence& e = f->evidence.front();
    if (e.start != 328u) continue;
    ASSERT_TRUE(f->cause) << f->message;
    EXPECT_EQ(f->cause->kind, CauseKind::kUnexplained) << f->message;
    EXPECT_TRUE(f->cause->codes.empty());
    EXPECT_EQ(f->cause->explanation.rfind("no binlog evidence explains this: ", 0), 0u);
  }
}

TEST(Explain, SkippedErrorsTheMissingTransactionsAreTheCollisionSkipped) {
  // Each replica skipped the other's INSERT of id 1 (at 664 in both binlogs);
  // A keeps 2 rows of test.t, B 1: the checksum finds id 3 on A only.
  const Scenario s("skipped-errors",
                   {row_finding("checksum.row_missing", "test.t", "id 3", {"A"})});
  int explained = 0;
  for (const Finding* f : with_code(s.findings, "diff.transaction_missing")) {
    ASSERT_TRUE(f->cause);
    if (f->evidence.front().start != 664u) continue;
    ++explained;
    const std::string lacking = f->evidence.front().server == "A" ? "B" : "A";
    EXPECT_EQ(f->cause->kind, CauseKind::kSkippedError) << f->message;
    EXPECT_EQ(f->cause->codes,
              (std::vector<std::string>{"config.slave_skip_errors", "autoinc.collision"}));
    EXPECT_EQ(f->cause->explanation.rfind(lacking + "'s replica skipped", 0), 0u)
        << f->cause->explanation;
    EXPECT_NE(f->cause->explanation.find("both masters inserted test.t id 1"), std::string::npos);
    // The evidence: the skipping side's setting and both colliding transactions.
    bool setting = false, a_insert = false, b_insert = false;
    for (const Evidence& e : f->cause->evidence) {
      setting = setting || (e.server == lacking && e.option == "slave_skip_errors=1062");
      a_insert = a_insert || (e.gtid == "0-1-3" && e.statement == "id 1");
      b_insert = b_insert || (e.gtid == "0-2-3" && e.statement == "id 1");
    }
    EXPECT_TRUE(setting && a_insert && b_insert);
  }
  EXPECT_EQ(explained, 2);
  expect_setup_transactions_unexplained(s.findings);
  const auto rows = with_code(s.findings, "checksum.row_missing");
  ASSERT_EQ(rows.size(), 1u);
  ASSERT_TRUE(rows[0]->cause);
  EXPECT_EQ(rows[0]->cause->kind, CauseKind::kSkippedError);
  // The collision on test.t itself, before the binlogs' own difference on test.t (the
  // missing INSERT, digested under its table): it says which replica lost the row.
  EXPECT_EQ(rows[0]->cause->codes,
            (std::vector<std::string>{"config.slave_skip_errors", "autoinc.collision"}));
  EXPECT_EQ(rows[0]->cause->explanation.rfind("B's replica skipped", 0), 0u)
      << rows[0]->cause->explanation;
  EXPECT_NE(rows[0]->cause->explanation.find("skipped the other master's rows"), std::string::npos)
      << rows[0]->cause->explanation;
}

TEST(Explain, CollisionWithoutSkippedErrorsIsTheCollision) {
  const Scenario s("collision");
  int explained = 0;
  for (const Finding* f : with_code(s.findings, "diff.transaction_missing")) {
    if (f->evidence.front().start != 664u) continue;
    ++explained;
    ASSERT_TRUE(f->cause);
    EXPECT_EQ(f->cause->kind, CauseKind::kCollision);
    EXPECT_EQ(f->cause->codes, std::vector<std::string>{"autoinc.collision"});
  }
  EXPECT_EQ(explained, 2);
  expect_setup_transactions_unexplained(s.findings);
}

TEST(Explain, CrossDbTheFilteredStatement) {
  // B's `USE test; UPDATE other.t`, applied by A although A excludes other: a
  // difference in other.t is that statement's. The two INSERTs into test.t under
  // USE mysql / USE other were never logged (binlog-do-db=test, STATEMENT): the
  // rows they left differ with no trace in either binlog.
  const Scenario s("cross-db", {row_finding("checksum.row_differs", "other.t", "id 1", {"A", "B"}),
                                row_finding("checksum.row_missing", "test.t", "id 100", {"A"}),
                                row_finding("checksum.row_missing", "test.t", "id 200", {"B"})});
  const auto differs = with_code(s.findings, "checksum.row_differs");
  ASSERT_EQ(differs.size(), 1u);
  ASSERT_TRUE(differs[0]->cause);
  EXPECT_EQ(differs[0]->cause->kind, CauseKind::kFilteredStatement);
  EXPECT_EQ(differs[0]->cause->codes, std::vector<std::string>{"filter.applied_to_excluded"});
  ASSERT_FALSE(differs[0]->cause->evidence.empty());
  EXPECT_EQ(differs[0]->cause->evidence.front().statement,
            "UPDATE other.t SET v = 'changed on B through USE test' WHERE id = 1");
  EXPECT_EQ(differs[0]->cause->evidence.front().gtid, "0-2-4");
  for (const Finding* f : with_code(s.findings, "checksum.row_missing")) {
    ASSERT_TRUE(f->cause);
    EXPECT_EQ(f->cause->kind, CauseKind::kUnloggedWrite) << f->message;
    EXPECT_TRUE(has_code(*f->cause, "config.binlog_format"));
    EXPECT_NE(f->cause->explanation.find("a statement run under another default database that "
                                         "the binlog filters kept out"),
              std::string::npos);
  }
  expect_setup_transactions_unexplained(s.findings);
}

TEST(Explain, SqlLogBinOffNoBinlogEvidence) {
  // On A, with sql_log_bin=0: INSERT id 3, UPDATE id 1. Both binlogs agree on test.t.
  const Scenario s("sql-log-bin-off",
                   {row_finding("checksum.row_missing", "test.t", "id 3", {"A"}),
                    row_finding("checksum.row_differs", "test.t", "id 1", {"A", "B"})});
  int rows = 0;
  for (const Finding* f : divergences(s.findings)) {
    if (f->code.rfind("checksum.", 0) != 0) continue;
    ++rows;
    ASSERT_TRUE(f->cause);
    EXPECT_EQ(f->cause->kind, CauseKind::kUnloggedWrite);
    EXPECT_EQ(f->cause->explanation.rfind("no binlog evidence explains this: no transaction of "
                                          "either binlog read touches test.t differently, so the "
                                          "change never reached a binlog: a write with "
                                          "sql_log_bin=0",
                                          0),
              0u)
        << f->cause->explanation;
  }
  EXPECT_EQ(rows, 2);
  expect_setup_transactions_unexplained(s.findings);
}

TEST(Explain, LoopTheCirculatingTransaction) {
  // C's transaction 0-3-3 came back round hundreds of times; the counter it bumped
  // in test.loop_t differs on the tables.
  const Scenario s("loop",
                   {row_finding("checksum.row_differs", "test.loop_t", "id 1", {"A", "B"})});
  const auto differs = with_code(s.findings, "checksum.row_differs");
  ASSERT_EQ(differs.size(), 1u);
  ASSERT_TRUE(differs[0]->cause);
  EXPECT_EQ(differs[0]->cause->kind, CauseKind::kLoop);
  EXPECT_EQ(differs[0]->cause->codes, std::vector<std::string>{"loop.duplicate_transaction"});
  // The loop's findings name the table its transaction changes: the cause is tied.
  EXPECT_EQ(differs[0]->cause->explanation.rfind(
                "a replication loop changed test.loop_t again on every round: transaction 0-3-3 "
                "is in A's binlog 465 times",
                0),
            0u)
      << differs[0]->cause->explanation;
  EXPECT_EQ(differs[0]->cause->evidence.front().table, "test.loop_t");

  // Another table of test: the loop did not change it, nothing ties it to the loop.
  const Scenario other("loop", {row_finding("checksum.row_differs", "test.t", "id 1", {"A", "B"})});
  const auto t = with_code(other.findings, "checksum.row_differs");
  ASSERT_EQ(t.size(), 1u);
  ASSERT_TRUE(t[0]->cause);
  EXPECT_EQ(t[0]->cause->kind, CauseKind::kUnloggedWrite) << t[0]->cause->explanation;
  expect_setup_transactions_unexplained(s.findings);
}

TEST(Explain, HealthyNothingButTheSetupAndNoOtherFindingTouched) {
  const Scenario s("healthy");
  for (const Finding& f : s.findings) {
    if (!is_divergence(f.code)) {
      EXPECT_FALSE(f.cause) << f.code;
      continue;
    }
    // The only divergences are the setup's CREATE DATABASE, one per master.
    EXPECT_EQ(f.code, "diff.transaction_missing");
    EXPECT_EQ(f.evidence.front().start, 328u);
  }
  EXPECT_EQ(divergences(s.findings).size(), 2u);
  expect_setup_transactions_unexplained(s.findings);
}

TEST(Explain, ACauseAlreadyGivenIsKeptAndExplainingTwiceChangesNothing) {
  std::vector<Finding> findings = {row_finding("checksum.row_missing", "test.t", "id 3", {"A"})};
  explain(findings);
  ASSERT_TRUE(findings[0].cause);
  EXPECT_EQ(findings[0].cause->kind, CauseKind::kUnloggedWrite);
  EXPECT_TRUE(findings[0].cause->codes.empty());
  const auto first = findings[0].cause->explanation;
  explain(findings);
  EXPECT_EQ(findings[0].cause->explanation, first);
}

// The table findings (checksum.*) of the live audit tools/demo ran, as its JSON
// holds them: the rows only the live tables show.
std::vector<Finding> table_findings_of(const nlohmann::json& audit) {
  std::vector<Finding> out;
  for (const auto& j : audit["findings"]) {
    const std::string code = j["code"];
    if (code.rfind("checksum.", 0) != 0) continue;
    Finding& f = out.emplace_back();
    f.severity = Severity::kError;
    f.code = code;
    f.message = j["message"];
    for (const auto& je : j["evidence"]) {
      Evidence& e = f.evidence.emplace_back();
      e.server = je.value("server", "");
      e.table = je.value("table", "");
      e.statement = je.value("statement", "");
    }
  }
  return out;
}

// tools/demo plants each scenario on its own table of one pair (samples/demo, its
// capture): every table difference gets the cause its scenario planted, none left
// open with candidates; and so do the binlogs' differences. Before the statements
// were digested per table and the loop findings named theirs, the tables of the
// statement-format pair were tied only to "test (statements)" and a loop of no
// table: candidates, the cause left open.
TEST(Explain, TheDemoEveryTableDifferenceHasItsPlantedCause) {
  const std::string dir = std::string(TWINLOG_SAMPLES_DIR) + "/demo";
  std::ifstream in(dir + "/audit.json");
  ASSERT_TRUE(in) << dir;
  const nlohmann::json audit = nlohmann::json::parse(in);
  const std::map<std::string, CauseKind> planted{
      {"test.t_cross_db", CauseKind::kUnloggedWrite},  // never logged: USE mysql / USE other
      {"test.t_skipped_errors", CauseKind::kSkippedError},
      {"test.t_sql_log_bin_off", CauseKind::kUnloggedWrite},
      {"test.t_loop", CauseKind::kLoop}};

  // The live audit's own explanation, as captured.
  std::map<std::string, int> live;
  for (const auto& j : audit["findings"]) {
    const std::string code = j["code"];
    if (!is_divergence(code)) continue;
    ASSERT_TRUE(j.contains("cause")) << j.dump();
    EXPECT_NE(j["cause"]["kind"], "unexplained") << j.dump();
    if (code.rfind("checksum.", 0) != 0) continue;
    const std::string table = j["evidence"][0]["table"];
    ++live[table];
  }
  EXPECT_EQ(live, (std::map<std::string, int>{{"test.t_cross_db", 2},
                                              {"test.t_loop", 1},
                                              {"test.t_skipped_errors", 2},
                                              {"test.t_sql_log_bin_off", 2}}));

  // Explained again from the captured binlogs: the same causes.
  const Scenario s(Scenario::At{dir}, table_findings_of(audit));
  int tables = 0;
  for (const Finding* f : divergences(s.findings)) {
    ASSERT_TRUE(f->cause) << f->message;
    if (f->code.rfind("diff.", 0) == 0 && f->evidence.front().start == 328u) {
      continue;  // the sandbox's set-up, before replication: expect_setup_... below
    }
    EXPECT_NE(f->cause->kind, CauseKind::kUnexplained)
        << f->message << ": " << f->cause->explanation;
    EXPECT_EQ(f->cause->explanation.find("no binlog evidence ties"), std::string::npos)
        << f->cause->explanation;
    EXPECT_EQ(f->cause->explanation.find("the only cause the binlogs read show"), std::string::npos)
        << f->cause->explanation;
    if (f->code.rfind("checksum.", 0) != 0) continue;
    ++tables;
    const std::string table = f->evidence.front().table;
    ASSERT_TRUE(planted.count(table)) << table;
    EXPECT_EQ(f->cause->kind, planted.at(table)) << f->message << ": " << f->cause->explanation;
  }
  EXPECT_EQ(tables, 7);
  const auto loop_rows = with_code(s.findings, "checksum.row_differs");
  for (const Finding* f : loop_rows) {
    if (f->evidence.front().table != "test.t_loop") continue;
    EXPECT_TRUE(has_code(*f->cause, "loop.duplicate_transaction")) << f->cause->explanation;
  }
  expect_setup_transactions_unexplained(s.findings);
}

// The tables are only on live masters: offline, --checksum is refused, saying why.
TEST(AuditChecksum, OfflineIsRefused) {
  const auto r =
      testing::run_twinlog("audit " + testing::scenario_pair_args("healthy") + " --checksum");
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err,
            "twinlog audit: --checksum compares the tables of both live masters: give --a and --b "
            "(offline, the binlogs cannot show a write that never reached them)\n");
}

}  // namespace
}  // namespace twinlog::audit
