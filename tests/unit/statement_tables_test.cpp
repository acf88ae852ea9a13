// The tables a statement updates, as a replica's tables_ok sees them (MariaDB's
// sql_parse.cc / sql_yacc.yy / sql_grant.cc facts, noted in statement_tables.cpp),
// and the lexing rules of sql_lex.cc. Every unreadable shape must be "cannot tell".
#include "src/checks/statement_tables.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace twinlog::checks {
namespace {

// "db.t" or "t" for each updated table, in order.
std::vector<std::string> updated(const StatementTables& r) {
  std::vector<std::string> out;
  for (const TableRef& t : r.updated)
    out.push_back(t.database.empty() ? t.table : t.database + "." + t.table);
  return out;
}

using Names = std::vector<std::string>;

struct Analyzed {
  StatementKind kind;
  Names tables;
  std::string reason;
};

Analyzed analyze(std::string_view sql, uint32_t version = 0) {
  StatementAnalyzer a(version);
  const StatementTables& r = a.analyze(sql);
  return {r.kind, updated(r), r.reason};
}

void expect_change(std::string_view sql, const Names& tables) {
  SCOPED_TRACE(std::string(sql));
  Analyzed a = analyze(sql);
  EXPECT_EQ(a.kind, StatementKind::kTableChange) << a.reason;
  EXPECT_EQ(a.tables, tables);
}

void expect_ddl(std::string_view sql, const Names& tables) {
  SCOPED_TRACE(std::string(sql));
  Analyzed a = analyze(sql);
  EXPECT_EQ(a.kind, StatementKind::kTableDdl) << a.reason;
  EXPECT_EQ(a.tables, tables);
}

void expect_cannot_tell(std::string_view sql, std::string_view reason_part) {
  SCOPED_TRACE(std::string(sql));
  Analyzed a = analyze(sql);
  EXPECT_EQ(a.kind, StatementKind::kCannotTell);
  EXPECT_TRUE(a.tables.empty());
  EXPECT_NE(a.reason.find(reason_part), std::string::npos) << a.reason;
}

TEST(StatementTables, TransactionControl) {
  for (const char* sql : {"BEGIN", "begin work", "COMMIT", "COMMIT WORK AND NO CHAIN", "ROLLBACK",
                          "ROLLBACK TO SAVEPOINT s1", "SAVEPOINT s1", "RELEASE SAVEPOINT s1",
                          "START TRANSACTION", "start transaction read only", "XA START 'x'",
                          "XA END 'x'", "XA PREPARE 'x'", "XA COMMIT 'x'"}) {
    SCOPED_TRACE(sql);
    Analyzed a = analyze(sql);
    EXPECT_EQ(a.kind, StatementKind::kTransactionControl) << a.reason;
    EXPECT_TRUE(a.tables.empty());
  }
  expect_cannot_tell("BEGIN NOT ATOMIC INSERT INTO t VALUES (1); END", "compound statement");
  expect_cannot_tell("START SLAVE", "START other than START TRANSACTION");
}

TEST(StatementTables, InsertAndReplace) {
  expect_change("INSERT INTO t VALUES (1)", {"t"});
  expect_change("insert into test.t (a, b) values (1, 2), (3, 4)", {"test.t"});
  expect_change("INSERT LOW_PRIORITY IGNORE INTO `test`.`t` SET a = 1", {"test.t"});
  expect_change("INSERT DELAYED t VALUES (1)", {"t"});
  expect_change("INSERT HIGH_PRIORITY INTO t VALUES (1) ON DUPLICATE KEY UPDATE a = a + 1", {"t"});
  expect_change("REPLACE INTO other.t SELECT * FROM test.u JOIN mysql.user", {"other.t"});
  expect_change("REPLACE LOW_PRIORITY t VALUES (1)", {"t"});
  // INSERT ... SELECT: only the target updates.
  expect_change("INSERT INTO test.t SELECT a FROM other.u WHERE b IN (SELECT c FROM x.v)",
                {"test.t"});
  expect_cannot_tell("INSERT INTO (1)", "expected a table name at byte 12");
  // Reading stops at the target, which nothing after it can change: the rows of a
  // large INSERT are not lexed (the server accepted the text before logging it).
  expect_change("INSERT INTO t VALUES ('abc", {"t"});
}

TEST(StatementTables, SingleTableUpdate) {
  expect_change("UPDATE t SET a = 1 WHERE b = 2", {"t"});
  expect_change("UPDATE LOW_PRIORITY IGNORE test.t AS x SET x.a = 1", {"test.t"});
  // A single table: an unqualified column is its column.
  expect_change("UPDATE other . `t` SET a = (SELECT MAX(b) FROM test.u) ORDER BY c LIMIT 1",
                {"other.t"});
}

TEST(StatementTables, MultiTableUpdateTakesTheTablesAssigned) {
  expect_change("UPDATE a, b SET a.x = 1, b.y = 2", {"a", "b"});
  expect_change("UPDATE a, b SET b.y = a.x", {"b"});
  expect_change("UPDATE test.t AS x JOIN other.u y ON x.id = y.id SET x.v = 1", {"test.t"});
  expect_change("UPDATE test.t4 NATURAL JOIN test.t1 SET t1.a = 5", {"test.t1"});
  expect_change("UPDATE d1.t0, d2.t1 SET d1.t0.id = 1 WHERE d1.t0.id = d2.t1.id", {"d1.t0"});
  expect_change(
      "UPDATE t1 LEFT OUTER JOIN (t2 INNER JOIN t3 ON t2.a = t3.a) ON t1.a = LEFT(t2.b, 1) "
      "SET t3.c = 1, t1.d = t2.e WHERE t1.a > 0",
      {"t1", "t3"});
  expect_change(
      "UPDATE t1 FORCE INDEX (PRIMARY) STRAIGHT_JOIN t2 USE KEY FOR JOIN (k) "
      "SET t2.a = 1",
      {"t2"});
  expect_change("UPDATE t1 JOIN (SELECT a FROM t2) AS d USING (a) SET t1.b = d.a", {"t1"});
  expect_change("UPDATE t1 PARTITION (p0), t2 SET `T1`.a = 1", {"t1"});
  expect_cannot_tell("UPDATE a, b SET x = 1", "a column without its table");
  // A join begun and not finished stops the reading (found by fuzz_statement: the
  // single table before it was taken as updated, with the reason left set).
  expect_cannot_tell("UPDATE t0 LEFT OUTER SET t1.a = 1", "expected JOIN at byte 21");
  expect_cannot_tell("UPDATE t0 INNER SET a = 1", "expected JOIN");
  expect_cannot_tell("UPDATE a, b SET c.x = 1", "names no table");
  expect_cannot_tell("UPDATE test.a, b SET test.a.x = 1, db.b.y = 2", "default database");
  expect_cannot_tell("UPDATE t1 JOIN (SELECT a FROM t2) AS d ON 1 SET d.a = 1", "derived table");
  expect_cannot_tell("UPDATE a, b SET", "expected a column");
  expect_cannot_tell("UPDATE a WHERE 1", "expected SET");
}

TEST(StatementTables, Delete) {
  expect_change("DELETE FROM t WHERE a = 1", {"t"});
  expect_change("DELETE LOW_PRIORITY QUICK IGNORE FROM test.t ORDER BY a LIMIT 1", {"test.t"});
  // Multi-table: the targets, matched to the references, in the references' order.
  expect_change("DELETE t2, t1 FROM t1 JOIN t2 ON t1.a = t2.a", {"t1", "t2"});
  expect_change("DELETE t1 FROM t1 JOIN t2 ON t1.a = t2.a WHERE t2.b = 1", {"t1"});
  expect_change("DELETE FROM t1, t2 USING t1 JOIN t2 JOIN t3", {"t1", "t2"});
  expect_change("DELETE x.* FROM test.t AS x, other.u y WHERE x.a = y.a", {"test.t"});
  expect_change("DELETE test.t.* FROM test.t, other.u", {"test.t"});
  expect_change("DELETE FROM y USING test.t x, other.u y", {"other.u"});
  expect_cannot_tell("DELETE t1 FROM test.t1, t2", "one with its database and one without");
  expect_cannot_tell("DELETE test.x FROM test.t AS x", "names no table");
  expect_cannot_tell("DELETE FROM t1, t2 WHERE 1", "expected USING");
  expect_cannot_tell("DELETE t1 WHERE 1", "expected FROM");
}

TEST(StatementTables, LoadData) {
  expect_change(
      "LOAD DATA LOCAL INFILE '/tmp/SQL_LOAD-1-2-3.data' REPLACE INTO TABLE `test`.`t` "
      "FIELDS TERMINATED BY ','",
      {"test.t"});
  expect_change("load data concurrent infile 'x' ignore into table t", {"t"});
  expect_change("LOAD XML INFILE 'x.xml' INTO TABLE t ROWS IDENTIFIED BY '<row>'", {"t"});
  expect_cannot_tell("LOAD DATA INFILE x INTO TABLE t", "expected the file name");
  expect_cannot_tell("LOAD INDEX INTO CACHE t", "expected DATA or XML");
}

TEST(StatementTables, CreateTable) {
  StatementAnalyzer a;
  const StatementTables& r = a.analyze("CREATE TEMPORARY TABLE IF NOT EXISTS test.t (a INT)");
  EXPECT_EQ(r.kind, StatementKind::kTableDdl);
  EXPECT_EQ(updated(r), Names{"test.t"});
  EXPECT_TRUE(r.temporary);
  expect_ddl("CREATE TABLE t LIKE other.u", {"t"});
  expect_ddl("CREATE OR REPLACE TABLE t4 SELECT * FROM test.t", {"t4"});
  expect_ddl("create table `we``ird` (a int) engine=InnoDB comment 'x'", {"we`ird"});
  expect_ddl("CREATE SEQUENCE s", {"s"});
  expect_ddl("CREATE UNIQUE INDEX i USING BTREE ON test.t (a)", {"test.t"});
  expect_ddl("CREATE INDEX IF NOT EXISTS i ON t (a)", {"t"});
  expect_cannot_tell("CREATE VIEW v AS SELECT 1", "a CREATE twinlog does not read");
  expect_cannot_tell(
      "CREATE DEFINER=`root`@`localhost` TRIGGER tr BEFORE INSERT ON t FOR EACH "
      "ROW SET NEW.a = 1",
      "a CREATE twinlog does not read");
  expect_cannot_tell("CREATE TEMPORARY DATABASE d", "expected TABLE");
}

TEST(StatementTables, AlterTableKeepsTheNewNameApart) {
  StatementAnalyzer a;
  const StatementTables& r = a.analyze("ALTER ONLINE IGNORE TABLE test.t RENAME TO other.u");
  EXPECT_EQ(r.kind, StatementKind::kTableDdl);
  EXPECT_EQ(updated(r), Names{"test.t"});
  EXPECT_EQ(r.renamed_to.database, "other");
  EXPECT_EQ(r.renamed_to.table, "u");
  const StatementTables& r2 = a.analyze("ALTER TABLE t RENAME COLUMN a TO b, ADD c INT");
  EXPECT_EQ(updated(r2), Names{"t"});
  EXPECT_TRUE(r2.renamed_to.table.empty());
  expect_ddl("ALTER TABLE t ADD COLUMN (b INT, c INT), RENAME INDEX i TO j", {"t"});
  expect_ddl("ALTER TABLE IF EXISTS t ENGINE = InnoDB", {"t"});
  expect_cannot_tell("ALTER TABLE t EXCHANGE PARTITION p WITH TABLE u", "EXCHANGE PARTITION");
  expect_cannot_tell("ALTER VIEW v AS SELECT 1", "expected TABLE");
}

TEST(StatementTables, DropRenameTruncateIndex) {
  StatementAnalyzer a;
  const StatementTables& r =
      a.analyze("DROP TEMPORARY TABLE IF EXISTS `t1`, test.t2 /* generated by server */");
  EXPECT_EQ(r.kind, StatementKind::kTableDdl);
  EXPECT_EQ(updated(r), (Names{"t1", "test.t2"}));
  EXPECT_TRUE(r.temporary);
  EXPECT_TRUE(r.if_exists);
  expect_ddl("DROP TABLE t", {"t"});
  expect_ddl("drop view if exists v1, v2", {"v1", "v2"});
  expect_ddl("RENAME TABLE a TO b, test.c TO other.d", {"a", "b", "test.c", "other.d"});
  expect_ddl("TRUNCATE TABLE test.t", {"test.t"});
  expect_ddl("TRUNCATE t", {"t"});
  expect_ddl("DROP INDEX i ON test.t", {"test.t"});
  expect_cannot_tell("DROP TRIGGER tr", "a DROP twinlog does not read");
  expect_cannot_tell("RENAME TABLE a b", "expected TO");
}

TEST(StatementTables, Databases) {
  StatementAnalyzer a;
  const StatementTables& c = a.analyze("CREATE DATABASE IF NOT EXISTS `my db`");
  EXPECT_EQ(c.kind, StatementKind::kCreateDatabase);
  EXPECT_EQ(c.database, "my db");
  EXPECT_TRUE(c.updated.empty());
  const StatementTables& s = a.analyze("create schema d2 character set utf8");
  EXPECT_EQ(s.kind, StatementKind::kCreateDatabase);
  EXPECT_EQ(s.database, "d2");
  const StatementTables& al = a.analyze("ALTER DATABASE d1 CHARACTER SET latin1");
  EXPECT_EQ(al.kind, StatementKind::kAlterDatabase);
  EXPECT_EQ(al.database, "d1");
  const StatementTables& def = a.analyze("ALTER SCHEMA DEFAULT CHARACTER SET latin1");
  EXPECT_EQ(def.kind, StatementKind::kAlterDatabase);
  EXPECT_EQ(def.database, "");
  const StatementTables& d = a.analyze("DROP DATABASE IF EXISTS mysqltest");
  EXPECT_EQ(d.kind, StatementKind::kDropDatabase);
  EXPECT_EQ(d.database, "mysqltest");
  EXPECT_TRUE(d.if_exists);
}

TEST(StatementTables, OtherStatementsAndTheTablesTheyStillName) {
  for (const char* sql :
       {"SET @a = 1", "SET GLOBAL replicate_ignore_db = 'mysql'", "GRANT SELECT ON test.* TO u",
        "GRANT ALL ON *.* TO 'u'@'%'", "REVOKE ALL PRIVILEGES, GRANT OPTION FROM u",
        "GRANT r1 TO u", "GRANT PROXY ON 'a'@'b' TO 'c'@'d'", "FLUSH PRIVILEGES",
        "FLUSH TABLES WITH READ LOCK", "FLUSH LOGS", "CREATE USER u IDENTIFIED BY 'p'",
        "DROP USER u", "CREATE ROLE r", "ALTER USER u ACCOUNT LOCK", "RENAME USER a TO b",
        "DROP PROCEDURE IF EXISTS p", "DROP FUNCTION f", "INSTALL SONAME 'x'"}) {
    SCOPED_TRACE(sql);
    Analyzed a = analyze(sql);
    EXPECT_EQ(a.kind, StatementKind::kOther) << a.reason;
    EXPECT_TRUE(a.tables.empty());
  }
  // sql_grant.cc: GRANT / REVOKE on a table add it as updating.
  Analyzed g = analyze("GRANT SELECT (a, b), INSERT ON TABLE test.t TO u");
  EXPECT_EQ(g.kind, StatementKind::kOther);
  EXPECT_EQ(g.tables, Names{"test.t"});
  EXPECT_EQ(analyze("REVOKE SELECT ON t FROM u").tables, Names{"t"});
  Analyzed an = analyze("ANALYZE NO_WRITE_TO_BINLOG TABLE t1, test.t2 PERSISTENT FOR ALL");
  EXPECT_EQ(an.kind, StatementKind::kOther);
  EXPECT_EQ(an.tables, (Names{"t1", "test.t2"}));
  EXPECT_EQ(analyze("OPTIMIZE TABLE t").tables, Names{"t"});
  EXPECT_EQ(analyze("REPAIR LOCAL TABLE t QUICK").tables, Names{"t"});
  expect_cannot_tell("GRANT EXECUTE ON PROCEDURE test.p TO u", "routine privilege");
  expect_cannot_tell("FLUSH TABLES t1, t2", "FLUSH TABLES with a table list");
  expect_cannot_tell("SELECT 1", "a statement twinlog does not read at byte 0");
  expect_cannot_tell("CALL p()", "a statement twinlog does not read");
  expect_cannot_tell("WITH c AS (SELECT 1) UPDATE t SET a = 1", "WITH");
  expect_cannot_tell("(SELECT 1)", "parentheses");
  expect_cannot_tell("", "empty statement at byte 0");
  expect_cannot_tell("  -- only a comment\n", "empty statement");
}

TEST(StatementTables, SetStatementForIsItsStatement) {
  expect_change("SET STATEMENT max_statement_time = (1), sql_mode = '' FOR UPDATE t SET a = 1",
                {"t"});
  expect_cannot_tell("SET STATEMENT x = 1", "expected FOR");
}

TEST(StatementLexing, CommentsAndQuotes) {
  expect_change("/* a comment */ INSERT /* INTO x */ INTO -- INTO y\n t VALUES (1)", {"t"});
  expect_change("# INSERT INTO x\nINSERT INTO t VALUES (1)", {"t"});
  // `--` without a following space is two minus signs, not a comment.
  expect_change("UPDATE t SET a = 1--1", {"t"});
  expect_change("UPDATE t1, t2 SET t1.a = 1--1, t2.b = 2", {"t1", "t2"});
  expect_change("UPDATE t1, t2 SET t1.a = 1-- , t2.b = 2\n", {"t1"});
  // Strings hide keywords, quotes and commas: backslash escapes and doubled quotes.
  expect_change("UPDATE t1, t2 SET t1.a = 'x\\', t2.b = 1', t1.c = \"it\"\"s, t2.d\"", {"t1"});
  expect_change("UPDATE t1, t2 SET t1.a = 'it''s, t2.b = 2'", {"t1"});
  // Double quotes are a string (no ANSI_QUOTES), never a name.
  expect_cannot_tell("INSERT INTO \"t\" VALUES (1)", "expected a table name");
  // Backquotes: any text, `` is one backquote, spaces around the dot.
  expect_change("INSERT INTO `my db` . `a``b` VALUES (1)", {"my db.a`b"});
  expect_change(
      "UPDATE `x`, y SET `X`.`a` = _utf8'x' COLLATE utf8_bin, y.b = X'4142', "
      "y.c = 0x41 WHERE y.d = b'1'",
      {"x", "y"});
  expect_cannot_tell("INSERT INTO 'abc", "unterminated string at byte 12");
  expect_cannot_tell("UPDATE t1, t2 SET t1.a = 'abc", "unterminated string at byte 25");
  expect_cannot_tell("INSERT INTO `t VALUES (1)", "unterminated backquoted name at byte 12");
  expect_cannot_tell("INSERT /* INTO t", "unterminated comment at byte 7");
}

TEST(StatementLexing, ExecutableComments) {
  expect_ddl("/*!40000 ALTER TABLE `t` DISABLE KEYS */", {"t"});
  expect_ddl("CREATE /*!32312 TEMPORARY */ TABLE t (a INT)", {"t"});
  expect_change("INSERT /*! IGNORE */ INTO t VALUES (1)", {"t"});
  expect_change("DELETE /*M!100300 IGNORE */ FROM t", {"t"});
  // By version: 10.11.0 reads /*!50001 and /*M!100300 as code, not /*M!110500.
  StatementAnalyzer maria(101100);
  EXPECT_EQ(maria.analyze("/*M!110500 INSERT INTO x VALUES (1) */ UPDATE t SET a = 1").kind,
            StatementKind::kTableChange);
  EXPECT_EQ(updated(maria.analyze("/*M!110500 INSERT INTO x VALUES (1) */ UPDATE t SET a = 1")),
            Names{"t"});
  EXPECT_EQ(updated(maria.analyze("/*!50001 DROP TABLE t */")), Names{"t"});
  EXPECT_EQ(updated(maria.analyze("DROP TABLE a /*M!100300 , b */ /*!999999 , c */")),
            (Names{"a", "b"}));
  // Version 0: every executable comment is code.
  EXPECT_EQ(analyze("DROP TABLE a /*!999999 , c */").tables, (Names{"a", "c"}));
  expect_cannot_tell("/*!50001 DROP TABLE t", "unterminated executable comment");
  expect_cannot_tell("/*!50001 DROP /*!50001 TABLE */ t */", "nested executable comment");
}

TEST(StatementTables, AccountStatementsAreMarked) {
  StatementAnalyzer a;
  for (const char* sql :
       {"GRANT SELECT ON test.* TO 'u'@'%'", "REVOKE ALL ON *.* FROM u", "CREATE USER 'u'@'%'",
        "drop user u", "ALTER USER u ACCOUNT LOCK", "RENAME USER a TO b", "CREATE ROLE r",
        "SET PASSWORD FOR u = PASSWORD('x')"}) {
    EXPECT_TRUE(a.analyze(sql).account) << sql;
    EXPECT_EQ(a.analyze(sql).kind, StatementKind::kOther) << sql;
  }
  EXPECT_FALSE(a.analyze("SET @x = 1").account);
  EXPECT_FALSE(a.analyze("INSERT INTO t VALUES (1)").account);
  EXPECT_FALSE(a.analyze("DROP PROCEDURE p").account);
}

TEST(StatementAnalyzer, ReusedAnalyzerStartsAfresh) {
  StatementAnalyzer a;
  a.analyze("DROP TEMPORARY TABLE IF EXISTS t1, t2");
  const StatementTables& r = a.analyze("CREATE DATABASE d");
  EXPECT_EQ(r.kind, StatementKind::kCreateDatabase);
  EXPECT_TRUE(r.updated.empty());
  EXPECT_FALSE(r.temporary);
  EXPECT_FALSE(r.if_exists);
  EXPECT_TRUE(r.reason.empty());
  const StatementTables& bad = a.analyze("SELECT 1");
  EXPECT_EQ(bad.kind, StatementKind::kCannotTell);
  EXPECT_TRUE(bad.database.empty());
  EXPECT_EQ(statement_kind_name(StatementKind::kCannotTell), "cannot tell");
  EXPECT_EQ(statement_kind_name(StatementKind::kTableChange), "table change");
}

}  // namespace
}  // namespace twinlog::checks
