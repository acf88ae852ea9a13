// The digest entry a statement goes under: its table when the analyzer reads it,
// its default database's statements when not; and the same entry from
// FilterCheck's decision, which stream_digest.cpp matches it with.
#include "src/checks/statement_digest_key.h"

#include <gtest/gtest.h>

namespace twinlog::checks {
namespace {

std::string key_of(std::string_view database, std::string_view statement) {
  StatementDigestKey key;
  std::string out = "scratch left from before";
  key.key(database, statement, out);
  return out;
}

TEST(StatementDigestKey, TheTableItUpdates) {
  EXPECT_EQ(key_of("test", "INSERT INTO t (v) VALUES ('from A 1')"), "test.t");
  EXPECT_EQ(key_of("test", "UPDATE t SET n = n + 1 WHERE id = 1"), "test.t");
  EXPECT_EQ(key_of("test", "INSERT INTO loop_t VALUES (1, 1) ON DUPLICATE KEY UPDATE n = n + 1"),
            "test.loop_t");
  EXPECT_EQ(key_of("test", "CREATE TABLE t_x (id INT PRIMARY KEY)"), "test.t_x");
  EXPECT_EQ(key_of("test", "LOAD DATA INFILE '/tmp/x' INTO TABLE `a``b`"), "test.a`b");
}

TEST(StatementDigestKey, AQualifiedNameKeepsItsDatabase) {
  // The cross-db scenario's B statement: default database test, table other.t.
  EXPECT_EQ(key_of("test", "UPDATE other.t SET v = 'changed on B through USE test' WHERE id = 1"),
            "other.t");
  EXPECT_EQ(key_of("", "INSERT INTO test.t VALUES (1)"), "test.t");
}

TEST(StatementDigestKey, SeveralTablesTheFirstItNames) {
  EXPECT_EQ(key_of("test", "RENAME TABLE t TO t_old"), "test.t");
  EXPECT_EQ(key_of("test", "UPDATE a JOIN other.b ON a.id = b.id SET b.v = a.v"), "other.b");
  EXPECT_EQ(key_of("test", "DELETE t2, t1 FROM t1 JOIN t2 ON t1.a = t2.a"), "test.t1");
}

TEST(StatementDigestKey, NoTableOrCannotTellTheDatabasesStatements) {
  EXPECT_EQ(key_of("test", "SET @x = 1"), "test (statements)");
  EXPECT_EQ(key_of("test", "CREATE DATABASE other"), "test (statements)");
  EXPECT_EQ(key_of("test", "INSERT INTO 't VALUES (1)"), "test (statements)");
  // An unqualified table without a default database: no database to name.
  EXPECT_EQ(key_of("", "INSERT INTO t VALUES (1)"), " (statements)");
}

TEST(StatementDigestKey, TheDecisionsEntryIsTheSame) {
  StatementDecision d;
  d.database = "test";
  d.table = "other.t";
  EXPECT_EQ(statement_entry(d), "other.t");
  d.table.clear();
  EXPECT_EQ(statement_entry(d), "test (statements)");
  d.database.clear();
  d.table = ".t";
  EXPECT_EQ(statement_entry(d), " (statements)");
}

}  // namespace
}  // namespace twinlog::checks
