// The filter check's decisions and findings over binlogs built event by event
// (each case one of the traps DESIGN.md names) and over the captured scenarios.
// The proof against real servers is tests/live/filters_proof_test.cpp.
#include "src/checks/filter_check.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "src/checks/filter_pair.h"
#include "src/source/memory_source.h"
#include "tests/support/config_text.h"
#include "tests/support/event_builder.h"

namespace twinlog::checks {
namespace {

using config::ServerConfig;
using config::ServerIdentity;
using testing::ByteVec;
using testing::HeaderFields;

using testing::config_of;
const config::ServerIdentity& kMaria = testing::kMaria10116;

struct Decided {
  std::vector<TransactionDecision> decisions;
  std::vector<report::Finding> findings;
};

Decided run(FilterCheck& check, EventStream& stream) {
  Decided r;
  StreamEvent se;
  while (stream.next(se)) {
    if (const TransactionDecision* d = check.add(se)) r.decisions.push_back(*d);
  }
  if (const TransactionDecision* d = check.finish()) r.decisions.push_back(*d);
  r.findings = check.findings();
  return r;
}

Decided run_events(const ServerConfig& source, const ServerConfig& other,
                   const std::vector<ByteVec>& events) {
  std::vector<ByteVec> all{testing::make_fde()};
  all.insert(all.end(), events.begin(), events.end());
  const ByteVec file = testing::make_binlog(all);
  EventStream stream(memory_binlog_opener("mysql-bin.000001", ByteSpan(file.data(), file.size())),
                     {});
  FilterCheck check(source, other, "A", "B");
  return run(check, stream);
}

// A statement in a transaction of its own, as MariaDB writes DDL and
// non-transactional statements: GTID (standalone) + QUERY.
std::vector<ByteVec> standalone(uint64_t seq, std::string_view db, std::string_view sql,
                                uint32_t server_id = 1) {
  HeaderFields h;
  h.server_id = server_id;
  return {testing::maria_gtid_event(seq, 0, 1, h), testing::query_event(db, sql, h)};
}

std::vector<ByteVec> concat(std::initializer_list<std::vector<ByteVec>> parts) {
  std::vector<ByteVec> out;
  for (const auto& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

const report::Finding* find(const Decided& r, std::string_view code) {
  auto it = std::find_if(r.findings.begin(), r.findings.end(),
                         [&](const report::Finding& f) { return f.code == code; });
  return it == r.findings.end() ? nullptr : &*it;
}

// A logs everything (no binlog rules); B replicates test only.
const char* kOpenA = "[mysqld]\nserver-id=1\nlog-bin\nlog-slave-updates\n";
const char* kReplicaB =
    "[mysqld]\nserver-id=2\nlog-bin\nlog-slave-updates\nbinlog-do-db=test\n"
    "replicate-do-db=test\n";

TEST(FilterCheck, StatementsAreFilteredByTheirDefaultDatabase) {
  const ServerConfig a = config_of(kOpenA, "a.cnf"), b = config_of(kReplicaB, "b.cnf");
  Decided r = run_events(a, b,
                         concat({standalone(1, "mysql", "INSERT INTO test.t VALUES (1)"),
                                 standalone(2, "test", "UPDATE other.t SET v = 1"),
                                 standalone(3, "test", "INSERT INTO t VALUES (2)")}));
  ASSERT_EQ(r.decisions.size(), 3u);
  EXPECT_EQ(r.decisions[0].applied, Outcome::kNo);
  EXPECT_EQ(r.decisions[0].rule, "not in replicate-do-db=test (b.cnf:6)");
  EXPECT_EQ(r.decisions[1].applied, Outcome::kYes);
  EXPECT_EQ(r.decisions[1].relogged, Outcome::kYes);  // B's binlog-do-db=test: USE test
  EXPECT_EQ(r.decisions[2].applied, Outcome::kYes);
  EXPECT_EQ(r.decisions[2].transaction.gtid_text(), "0-1-3");

  const report::Finding* skipped = find(r, "filter.cross_db_skipped");
  ASSERT_NE(skipped, nullptr);
  EXPECT_EQ(skipped->severity, report::Severity::kError);
  ASSERT_EQ(skipped->evidence.size(), 1u);
  EXPECT_EQ(skipped->evidence[0].table, "test.t");
  EXPECT_EQ(skipped->evidence[0].gtid, "0-1-1");
  EXPECT_EQ(skipped->evidence[0].option, "replicate-do-db=test");
  EXPECT_EQ(skipped->evidence[0].option_source, "b.cnf:6");
  EXPECT_EQ(skipped->evidence[0].statement, "INSERT INTO test.t VALUES (1)");

  const report::Finding* excluded = find(r, "filter.applied_to_excluded");
  ASSERT_NE(excluded, nullptr);
  EXPECT_EQ(excluded->evidence[0].table, "other.t");
  EXPECT_EQ(r.findings.size(), 2u);
}

TEST(FilterCheck, ATableCreatedWhereTheOtherSkipsItIsMissingThere) {
  const ServerConfig a = config_of(kOpenA, "a.cnf"), b = config_of(kReplicaB, "b.cnf");
  Decided r = run_events(a, b,
                         concat({standalone(1, "other", "CREATE TABLE test.t4 (id INT)"),
                                 standalone(2, "test", "INSERT INTO t4 VALUES (1)"),
                                 standalone(3, "test", "INSERT INTO test.t4 VALUES (2)")}));
  ASSERT_EQ(r.decisions.size(), 3u);
  EXPECT_EQ(r.decisions[0].applied, Outcome::kNo);
  const report::Finding* missing = find(r, "filter.missing_table");
  ASSERT_NE(missing, nullptr);
  EXPECT_EQ(missing->evidence.size(), 2u);  // twice: the first and the last shown
  EXPECT_NE(missing->message.find("2 times"), std::string::npos);
  EXPECT_EQ(missing->evidence[0].gtid, "0-1-2");
  EXPECT_EQ(missing->evidence[1].gtid, "0-1-3");
}

TEST(FilterCheck, TheOtherMastersOwnEventsAreSkipped) {
  const ServerConfig a = config_of(kOpenA, "a.cnf"), b = config_of(kReplicaB, "b.cnf");
  Decided r = run_events(a, b, standalone(1, "test", "INSERT INTO t VALUES (1)", 2));
  ASSERT_EQ(r.decisions.size(), 1u);
  EXPECT_EQ(r.decisions[0].applied, Outcome::kNo);
  EXPECT_EQ(r.decisions[0].rule, "B's own server-id=2 (b.cnf:2): it skips its own events");
  EXPECT_TRUE(r.findings.empty());
}

TEST(FilterCheck, ATransactionThatSwitchesDatabasesIsAppliedPartly) {
  const ServerConfig a = config_of(kOpenA, "a.cnf"), b = config_of(kReplicaB, "b.cnf");
  HeaderFields h;
  Decided r = run_events(
      a, b,
      {testing::maria_gtid_event(7, 0, 0, h),
       testing::query_event("test", "INSERT INTO t VALUES (1)", h),
       testing::query_event("other", "INSERT INTO u VALUES (2)", h), testing::xid_event(9, h)});
  ASSERT_EQ(r.decisions.size(), 1u);
  EXPECT_EQ(r.decisions[0].applied, Outcome::kPartly);
  EXPECT_EQ(r.decisions[0].relogged, Outcome::kPartly);
  ASSERT_EQ(r.decisions[0].statements.size(), 2u);
  EXPECT_EQ(r.decisions[0].statements[0].applied, Outcome::kYes);
  EXPECT_EQ(r.decisions[0].statements[1].applied, Outcome::kNo);
  EXPECT_GT(r.decisions[0].statements[1].position, r.decisions[0].statements[0].position);
}

TEST(FilterCheck, RewriteRenamesTheDefaultDatabaseNotAQualifiedName) {
  const ServerConfig a = config_of(kOpenA, "a.cnf");
  const ServerConfig b = config_of(
      "[mysqld]\nserver-id=2\nreplicate-rewrite-db=src->test\nreplicate-do-table=test.t\n",
      "b.cnf");
  Decided r = run_events(a, b,
                         concat({standalone(1, "src", "INSERT INTO t VALUES (1)"),
                                 standalone(2, "src", "INSERT INTO src.t VALUES (1)")}));
  ASSERT_EQ(r.decisions.size(), 2u);
  EXPECT_EQ(r.decisions[0].applied, Outcome::kYes);  // t is test.t after the rewrite
  EXPECT_EQ(r.decisions[0].rule, "replicate-do-table=test.t (b.cnf:4)");
  EXPECT_EQ(r.decisions[1].applied, Outcome::kNo);  // src.t stays src.t
}

TEST(FilterCheck, PairFindingsOfTheClassicConfiguration) {
  const std::string samples = TWINLOG_SAMPLES_DIR;
  const ServerConfig a = config::read_server_config(samples + "/configs/master-a.cnf", kMaria);
  const ServerConfig b = config::read_server_config(samples + "/configs/master-b.cnf", kMaria);
  std::vector<report::Finding> f = pair_findings(a, b);
  std::vector<std::string> codes;
  codes.reserve(f.size());
  for (const auto& x : f)
    codes.push_back(x.code + ":" + std::string(report::severity_name(x.severity)));
  std::sort(codes.begin(), codes.end());
  // Both comma lists and the shared GTID domain; the ignore lists differ, but
  // the do lists decide alone, so no asymmetry.
  EXPECT_EQ(codes, (std::vector<std::string>{"config.filter_comma_list:warning",
                                             "config.filter_comma_list:warning",
                                             "config.shared_gtid_domain:warning"}));
  const auto comma = std::find_if(f.begin(), f.end(), [](const report::Finding& x) {
    return x.code == "config.filter_comma_list" && x.evidence[0].server == "A";
  });
  ASSERT_NE(comma, f.end());
  EXPECT_NE(comma->action.find("replicate-ignore-db=mysql, replicate-ignore-db=information_schema"),
            std::string::npos);
  EXPECT_EQ(
      comma->evidence[0].option_source.substr(comma->evidence[0].option_source.rfind('/') + 1),
      "master-a.cnf:11");
}

TEST(FilterCheck, AsymmetricDatabaseRules) {
  const ServerConfig a =
      config_of("[mysqld]\nserver-id=1\nbinlog-do-db=test\nbinlog-do-db=shop\n", "a.cnf");
  const ServerConfig b = config_of("[mysqld]\nserver-id=2\nreplicate-do-db=test\n", "b.cnf");
  std::vector<report::Finding> f = pair_findings(a, b);
  auto it = std::find_if(f.begin(), f.end(), [](const report::Finding& x) {
    return x.code == "filter.asymmetric_rules";
  });
  ASSERT_NE(it, f.end());
  EXPECT_EQ(it->message,
            "A logs changes to database shop but B does not apply them (not in "
            "replicate-do-db=test (b.cnf:3))");
}

// The captured cross-db pair: B logged `USE test; UPDATE other.t`, and A applied
// it to database other, which A's replicate-do-db=test excludes.
TEST(FilterCheck, CrossDbScenarioFromBsBinlog) {
  const std::string dir = std::string(TWINLOG_SAMPLES_DIR) + "/scenarios/cross-db/";
  const ServerConfig a = config::read_server_config(dir + "master-a.cnf", kMaria);
  const ServerConfig b = config::read_server_config(dir + "master-b.cnf", kMaria);
  EventStream stream = EventStream::from_files({dir + "b/mysql-bin.000001"}, {});
  FilterCheck check(b, a, "B", "A");
  Decided r = run(check, stream);
  const report::Finding* excluded = find(r, "filter.applied_to_excluded");
  ASSERT_NE(excluded, nullptr);
  EXPECT_EQ(excluded->evidence[0].table, "other.t");
  EXPECT_EQ(excluded->evidence[0].server, "B");
  EXPECT_EQ(excluded->evidence[0].start, 834u);
  for (const auto& f : r.findings) EXPECT_EQ(f.code, "filter.applied_to_excluded");
}

TEST(FilterCheck, AccountStatementsAreFilteredByTheGrantTables) {
  const ServerConfig a = config_of(kOpenA, "a.cnf");
  const ServerConfig b = config_of("[mysqld]\nserver-id=2\nreplicate-do-table=test.t1\n", "b.cnf");
  Decided r = run_events(a, b,
                         concat({standalone(1, "test", "GRANT SELECT ON test.* TO 'u'@'localhost'"),
                                 standalone(2, "", "CREATE USER 'v'@'localhost'"),
                                 standalone(3, "test", "INSERT INTO t1 VALUES (1)")}));
  ASSERT_EQ(r.decisions.size(), 3u);
  EXPECT_EQ(r.decisions[0].applied, Outcome::kNo);
  EXPECT_EQ(r.decisions[0].rule.rfind("the grant tables it writes (mysql.*): ", 0), 0u)
      << r.decisions[0].rule;
  EXPECT_EQ(r.decisions[1].applied, Outcome::kNo);
  EXPECT_EQ(r.decisions[2].applied, Outcome::kYes);
}

TEST(FilterCheck, ALowerCaseTableNamesReplicaLowersTheDatabaseFirst) {
  const ServerConfig a = config_of(kOpenA, "a.cnf");
  const ServerConfig b = config_of(
      "[mysqld]\nserver-id=2\nlower_case_table_names=1\nreplicate-do-db=Upper1\n", "b.cnf");
  Decided r = run_events(a, b, standalone(1, "Upper1", "INSERT INTO t VALUES (1)"));
  ASSERT_EQ(r.decisions.size(), 1u);
  EXPECT_EQ(r.decisions[0].applied, Outcome::kNo);
}

}  // namespace
}  // namespace twinlog::checks
