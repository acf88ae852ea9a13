// The filter rules as the servers evaluate them (DESIGN.md, "Replication filters").
// The proof against a real pair is the filters issue's live generator; these pin
// the rules themselves, each case a line of rpl_filter.cc or a 10.11 observation.
#include "src/checks/filter_rules.h"

#include <gtest/gtest.h>

namespace twinlog::checks {
namespace {

using config::ServerConfig;
using config::ServerIdentity;

const ServerIdentity kMaria{protocol::Flavor::kMariaDB, protocol::ServerVersion{10, 11, 6}};
const ServerIdentity kMysql{protocol::Flavor::kMySQL, protocol::ServerVersion{8, 0, 36}};

ServerConfig config_of(const std::string& text, const ServerIdentity& id = kMaria) {
  return config::server_config_from_options(config::read_option_text(text, "my.cnf"), id);
}

TEST(WildMatch, PercentUnderscoreEscapeAndCase) {
  EXPECT_TRUE(wild_match("test.tmp%", "test.tmp"));
  EXPECT_TRUE(wild_match("test.tmp%", "TEST.tmp_1"));
  EXPECT_TRUE(wild_match("test.t_", "test.t1"));
  EXPECT_FALSE(wild_match("test.t_", "test.t12"));
  EXPECT_TRUE(wild_match("my\\_db.%", "my_db.x"));
  EXPECT_FALSE(wild_match("my\\_db.%", "myxdb.x"));
  EXPECT_TRUE(wild_match("%.%", "a.b"));
  EXPECT_FALSE(wild_match("test.t1", "test.t10"));
}

TEST(FilterRules, TheClassicPairsDatabaseRules) {
  auto c = config_of(
      "[mysqld]\nbinlog-do-db=test\nbinlog-ignore-db=mysql\nreplicate-do-db=test\n"
      "replicate-ignore-db=mysql,information_schema\n");
  FilterRules rules(c);
  EXPECT_TRUE(rules.binlog_db_ok("test").pass);
  // The do list decides alone: mysql fails by not being in it, not by the ignore list.
  auto mysql = rules.binlog_db_ok("mysql");
  EXPECT_FALSE(mysql.pass);
  EXPECT_EQ(mysql.rule, "not in binlog-do-db=test (my.cnf:2)");
  // The deciding line apart, for a finding's evidence.
  EXPECT_EQ(mysql.option, "binlog-do-db=test");
  EXPECT_EQ(mysql.source, "my.cnf:2");
  EXPECT_FALSE(rules.replicate_db_ok("other").pass);
  // MariaDB compares database names byte for byte.
  EXPECT_FALSE(rules.replicate_db_ok("TEST").pass);
}

TEST(FilterRules, NoDefaultDatabaseByFlavor) {
  std::string do_only = "[mysqld]\nreplicate-do-db=test\n";
  std::string ignore_only = "[mysqld]\nreplicate-ignore-db=mysql\n";
  // MariaDB 10.11 (seen on a real pair): a do list rejects it, an ignore list passes it.
  EXPECT_FALSE(FilterRules(config_of(do_only)).replicate_db_ok(std::nullopt).pass);
  EXPECT_TRUE(FilterRules(config_of(ignore_only)).replicate_db_ok(std::nullopt).pass);
  // MySQL 8's rpl_filter.cc passes it.
  EXPECT_TRUE(FilterRules(config_of(do_only, kMysql)).replicate_db_ok(std::nullopt).pass);
}

TEST(FilterRules, IgnoreListAloneAndMysqlCaseFolding) {
  FilterRules ignore(config_of("[mysqld]\nreplicate-ignore-db=mysql\n"));
  EXPECT_FALSE(ignore.replicate_db_ok("mysql").pass);
  EXPECT_TRUE(ignore.replicate_db_ok("test").pass);
  auto folded = config_of("[mysqld]\nreplicate-do-db=test\nlower_case_table_names=1\n", kMysql);
  EXPECT_TRUE(FilterRules(folded).replicate_db_ok("TEST").pass);
  auto exact = config_of("[mysqld]\nreplicate-do-db=test\n", kMysql);
  EXPECT_FALSE(FilterRules(exact).replicate_db_ok("TEST").pass);
}

TEST(FilterRules, TableRulesInTheServersOrder) {
  FilterRules rules(
      config_of("[mysqld]\nreplicate-do-table=test.t1\nreplicate-ignore-table=test.t1\n"
                "replicate-wild-do-table=test.keep%\nreplicate-wild-ignore-table=test.%\n"));
  // do-table wins over ignore-table for the same table: it is tested first.
  EXPECT_TRUE(rules.replicate_tables_ok({{"test", "t1"}}).pass);
  EXPECT_TRUE(rules.replicate_tables_ok({{"test", "keep_me"}}).pass);
  auto skipped = rules.replicate_tables_ok({{"test", "other"}});
  EXPECT_FALSE(skipped.pass);
  EXPECT_EQ(skipped.rule, "replicate-wild-ignore-table=test.% (my.cnf:5)");
  // First match over the tables in order: t1 passes the whole statement.
  EXPECT_TRUE(rules.replicate_tables_ok({{"test", "t1"}, {"test", "other"}}).pass);
  // No match and a do rule exists: fails.
  auto none = rules.replicate_tables_ok({{"db2", "x"}});
  EXPECT_FALSE(none.pass);
  EXPECT_NE(none.rule.find("replicate-do-table=test.t1"), std::string::npos);
  // Table rules ignore case on MariaDB.
  EXPECT_TRUE(rules.replicate_tables_ok({{"TEST", "T1"}}).pass);
  // A statement that names tables but updates none is ignored.
  EXPECT_FALSE(rules.replicate_tables_ok({}).pass);
}

TEST(FilterRules, NoDoTableRuleMeansNoMatchPasses) {
  FilterRules rules(config_of("[mysqld]\nreplicate-ignore-table=test.t9\n"));
  EXPECT_TRUE(rules.replicate_tables_ok({{"test", "t1"}}).pass);
  EXPECT_FALSE(rules.replicate_tables_ok({{"test", "t9"}}).pass);
  EXPECT_TRUE(FilterRules(config_of("[mysqld]\n")).replicate_tables_ok({}).pass);
}

TEST(FilterRules, RewriteAndDatabaseStatements) {
  FilterRules rules(
      config_of("[mysqld]\nreplicate-rewrite-db=staging->test\nreplicate-do-db=test\n"
                "replicate-wild-do-table=test.%\n"));
  EXPECT_EQ(rules.rewrite_db("staging"), "test");
  EXPECT_EQ(rules.rewrite_db("Staging"), "Staging");  // byte for byte on MariaDB
  EXPECT_TRUE(rules.replicate_database_statement_ok("test").pass);
  // CREATE DATABASE staging is not rewritten: it tests "staging" itself.
  EXPECT_FALSE(rules.replicate_database_statement_ok("staging").pass);
  // With a wild do rule, the database must also match it as "name.".
  FilterRules wild(config_of("[mysqld]\nreplicate-wild-do-table=app%.%\n"));
  EXPECT_TRUE(wild.replicate_database_statement_ok("app1").pass);
  EXPECT_FALSE(wild.replicate_database_statement_ok("other").pass);
}

TEST(FilterRules, AReplicaWithLowerCaseTableNamesLowersTheIncomingDatabase) {
  // Seen on MariaDB 10.11 (tests/live/filters_proof_test.cpp, lcase_do_db and
  // lcase_rewrite): the name is lowered, then compared byte for byte.
  auto c = config_of(
      "[mysqld]\nlower_case_table_names=1\nreplicate-do-db=Upper1\n"
      "replicate-rewrite-db=b37656->bug37656\n");
  FilterRules rules(c);
  EXPECT_EQ(rules.replica_database("B37656"), "b37656");
  EXPECT_EQ(rules.rewrite_db(rules.replica_database("B37656")), "bug37656");
  EXPECT_FALSE(rules.replicate_db_ok(rules.replica_database("Upper1")).pass);
  FilterRules plain(config_of("[mysqld]\nreplicate-do-db=Upper1\n"));
  EXPECT_EQ(plain.replica_database("Upper1"), "Upper1");
  EXPECT_TRUE(plain.replicate_db_ok(plain.replica_database("Upper1")).pass);
}

TEST(FilterRules, AccountStatementsMeetTheTableRulesThroughTheGrantTables) {
  // A do-table rule elsewhere: no grant table matches, so GRANT is skipped.
  auto skipped =
      FilterRules(config_of("[mysqld]\nreplicate-do-table=test.t1\n")).replicate_grant_tables_ok();
  ASSERT_TRUE(skipped);
  EXPECT_FALSE(skipped->pass);
  // wild-ignore mysql.%: every grant table matches, skipped.
  auto ignored = FilterRules(config_of("[mysqld]\nreplicate-wild-ignore-table=mysql.%\n"))
                     .replicate_grant_tables_ok();
  ASSERT_TRUE(ignored);
  EXPECT_FALSE(ignored->pass);
  EXPECT_EQ(ignored->option, "replicate-wild-ignore-table=mysql.%");
  // ignore-table of another database: applied.
  auto applied = FilterRules(config_of("[mysqld]\nreplicate-ignore-table=test.t1\n"))
                     .replicate_grant_tables_ok();
  ASSERT_TRUE(applied);
  EXPECT_TRUE(applied->pass);
  // A rule naming one grant table: which tables a statement writes decides.
  EXPECT_FALSE(FilterRules(config_of("[mysqld]\nreplicate-ignore-table=mysql.tables_priv\n"))
                   .replicate_grant_tables_ok());
}

}  // namespace
}  // namespace twinlog::checks
