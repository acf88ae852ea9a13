// The auto-increment check over binlogs built event by event: ids outside a
// master's class by INTVAR and by row image, a collision between the masters, a
// session override, the configuration cases, and the CREATE / ALTER TABLE reader
// that finds the AUTO_INCREMENT column.
#include "src/checks/autoinc_check.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "src/report/render.h"
#include "src/source/memory_source.h"
#include "tests/support/config_text.h"
#include "tests/support/event_builder.h"

namespace twinlog::checks {
namespace {

using config::ServerConfig;
using config::ServerIdentity;
using report::Finding;
using testing::BodyBuilder;
using testing::ByteVec;
using testing::EventType;
using testing::HeaderFields;

using testing::config_of;

const char* kA = "[mysqld]\nserver-id=1\nauto_increment_increment=2\nauto_increment_offset=1\n";
const char* kB = "[mysqld]\nserver-id=2\nauto_increment_increment=2\nauto_increment_offset=2\n";

HeaderFields from(uint32_t server_id) {
  HeaderFields h;
  h.server_id = server_id;
  return h;
}

// A QUERY with the Q_AUTO_INCREMENT status variable (code 3: increment u16, offset u16).
ByteVec query_with(std::string_view sql, uint32_t server_id, uint16_t increment, uint16_t offset) {
  testing::QueryFields fields;
  fields.status = BodyBuilder().u8(3).u16(increment).u16(offset);
  return testing::make_event(EventType::kQuery, testing::query_body("test", sql, fields),
                             from(server_id));
}

ByteVec insert_id(uint64_t id, uint32_t server_id) {
  return testing::make_event(EventType::kIntvar, BodyBuilder().u8(2).u64(id), from(server_id));
}

// A statement-format insert under the session's increment / offset.
std::vector<ByteVec> statement_insert(uint64_t seq, uint64_t id, uint32_t server_id,
                                      uint16_t increment, uint16_t offset,
                                      std::string_view sql = "INSERT INTO t (v) VALUES (1)") {
  return {testing::maria_gtid_event(seq, 0, 0, from(server_id)),
          query_with("BEGIN", server_id, increment, offset), insert_id(id, server_id),
          query_with(sql, server_id, increment, offset), testing::xid_event(seq, from(server_id))};
}

// A row-format insert of one row of test.t (id INT, v INT): id as given, v 0.
std::vector<ByteVec> row_insert(uint64_t seq, uint32_t id, uint32_t server_id, uint16_t increment,
                                uint16_t offset) {
  testing::TableMapFields map;
  map.types = testing::byte_vec({3, 3});
  map.nulls = testing::byte_vec({0});
  testing::RowsFields rows;
  rows.columns = 2;
  rows.rows = BodyBuilder().u8(0).u32(id).u32(0);
  return {testing::maria_gtid_event(seq, 0, 0, from(server_id)),
          query_with("BEGIN", server_id, increment, offset),
          testing::table_map_event(map, from(server_id)),
          testing::rows_event(EventType::kWriteRowsV1, rows, from(server_id)),
          testing::xid_event(seq, from(server_id))};
}

std::vector<ByteVec> create_t(uint32_t server_id) {
  return {testing::maria_gtid_event(1, 0, 1, from(server_id)),
          query_with("CREATE TABLE t (`id` int NOT NULL /* the key */ AUTO_INCREMENT, v int, "
                     "PRIMARY KEY (id))",
                     server_id, 2, 1)};
}

std::vector<ByteVec> concat(std::initializer_list<std::vector<ByteVec>> parts) {
  std::vector<ByteVec> out;
  for (const auto& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

void read(AutoIncrementCheck& check, const std::string& reader,
          const std::vector<ByteVec>& events) {
  std::vector<ByteVec> all{testing::make_fde()};
  all.insert(all.end(), events.begin(), events.end());
  const ByteVec file = testing::make_binlog(all);
  EventStream stream(memory_binlog_opener("mysql-bin.000001", ByteSpan(file.data(), file.size())),
                     {});
  check.begin(reader);
  StreamEvent se;
  while (stream.next(se)) check.add(se);
  check.end();
}

// One check reading A's binlog then B's; and, for B's, the audit's way too: a
// check of its own kept for merge and merged into A's, which must find the same.
std::vector<Finding> run(const std::vector<ByteVec>& a_binlog,
                         const std::vector<ByteVec>& b_binlog = {}) {
  AutoIncrementCheck check(config_of(kA, "a.cnf"), config_of(kB, "b.cnf"));
  read(check, "A", a_binlog);
  if (b_binlog.empty()) return check.findings();
  AutoIncrementCheck first(config_of(kA, "a.cnf"), config_of(kB, "b.cnf"));
  AutoIncrementCheck later(config_of(kA, "a.cnf"), config_of(kB, "b.cnf"));
  read(first, "A", a_binlog);
  later.keep_for_merge();
  read(later, "B", b_binlog);
  first.merge(std::move(later));
  read(check, "B", b_binlog);
  std::string sequential, merged;
  report::render_json_lines(check.findings(), sequential);
  report::render_json_lines(first.findings(), merged);
  EXPECT_EQ(merged, sequential);
  EXPECT_EQ(first.totals().keys, check.totals().keys);
  return check.findings();
}

const Finding* find(const std::vector<Finding>& findings, std::string_view code) {
  auto it = std::find_if(findings.begin(), findings.end(),
                         [&](const Finding& f) { return f.code == code; });
  return it == findings.end() ? nullptr : &*it;
}

TEST(AutoIncrementCheck, IdsOfTheirOwnClassGiveNoFinding) {
  auto f = run(concat({create_t(1), statement_insert(2, 3, 1, 2, 1), row_insert(3, 5, 1, 2, 1),
                       statement_insert(4, 4, 2, 2, 2), row_insert(5, 6, 2, 2, 2)}));
  EXPECT_TRUE(f.empty()) << f.front().code << ": " << f.front().message;
}

TEST(AutoIncrementCheck, WrongClassByInsertId) {
  // A (offset 1 of 2) logged INSERT_ID 4 under its configured session values.
  auto f = run(concat({create_t(1), statement_insert(2, 4, 1, 2, 1)}));
  const Finding* w = find(f, "autoinc.wrong_class");
  ASSERT_NE(w, nullptr);
  EXPECT_EQ(w->severity, report::Severity::kError);
  EXPECT_NE(w->message.find("A inserted id 4 into test.t (INSERT_ID)"), std::string::npos)
      << w->message;
  ASSERT_EQ(w->evidence.size(), 1u);
  EXPECT_EQ(w->evidence[0].gtid, "0-1-2");
  EXPECT_EQ(w->evidence[0].option, "auto_increment_increment=2, auto_increment_offset=1");
  EXPECT_EQ(w->evidence[0].option_source, "a.cnf:4, a.cnf:3");
}

TEST(AutoIncrementCheck, WrongClassByRowImage) {
  auto f = run(concat({create_t(1), row_insert(2, 7, 2, 2, 2), row_insert(3, 9, 2, 2, 2)}));
  const Finding* w = find(f, "autoinc.wrong_class");
  ASSERT_NE(w, nullptr);
  EXPECT_NE(w->message.find("B inserted id 7 into test.t (row image)"), std::string::npos)
      << w->message;
  EXPECT_NE(w->message.find("2 times"), std::string::npos);
  ASSERT_EQ(w->evidence.size(), 2u);
  EXPECT_EQ(w->evidence[1].gtid, "0-2-3");
  EXPECT_EQ(w->evidence[1].origin_server_id, 2u);
}

TEST(AutoIncrementCheck, RowsOfATableWithoutItsCreateTableAreUnchecked) {
  auto f = run(row_insert(2, 8, 1, 2, 1));
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].code, "autoinc.column_unknown");
  EXPECT_EQ(f[0].severity, report::Severity::kInfo);
  EXPECT_NE(f[0].message.find("test.t"), std::string::npos);
  EXPECT_NE(f[0].message.find("1 written rows unchecked"), std::string::npos) << f[0].message;
}

TEST(AutoIncrementCheck, SchemaDumpNamesTheColumn) {
  AutoIncrementCheck check(config_of(kA, "a.cnf"), config_of(kB, "b.cnf"));
  check.add_schema(
      "-- MariaDB dump\n/*!40101 SET NAMES utf8mb4 */;\nDROP TABLE IF EXISTS `t`;\n"
      "CREATE TABLE `t` (\n  `v` int(11) DEFAULT NULL,\n  `id` int(11) NOT NULL AUTO_INCREMENT,\n"
      "  PRIMARY KEY (`id`)\n) ENGINE=InnoDB AUTO_INCREMENT=5;\n");
  // The dump's `id` is the second column, which holds 0 in these rows: not of A's class.
  read(check, "A", row_insert(2, 3, 1, 2, 1));
  auto f = check.findings();
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].code, "autoinc.wrong_class");
  EXPECT_NE(f[0].message.find("id 0"), std::string::npos) << f[0].message;
}

TEST(AutoIncrementCheck, CollisionAcrossBothBinlogsWithBothTransactions) {
  // Both masters offset 1: each took id 1; each binlog holds its own insert only
  // (the peer's replica stopped on it), plus the other's transactions before.
  auto a = concat({create_t(1), statement_insert(2, 1, 1, 2, 1)});
  auto b = concat({create_t(1), row_insert(2, 1, 2, 2, 1)});
  auto f = run(a, b);
  const Finding* c = find(f, "autoinc.collision");
  ASSERT_NE(c, nullptr);
  EXPECT_NE(c->message.find("both masters inserted test.t id 1"), std::string::npos);
  ASSERT_EQ(c->evidence.size(), 2u);
  EXPECT_EQ(c->evidence[0].server, "A");
  EXPECT_EQ(c->evidence[0].gtid, "0-1-2");
  EXPECT_EQ(c->evidence[1].server, "B");
  EXPECT_EQ(c->evidence[1].gtid, "0-2-2");
  EXPECT_GT(*c->evidence[0].end, *c->evidence[0].start);
  // B's session ran with offset 1, not its configured 2: that too; its id is of
  // the session's class, but of A's too, and so is A's id 1 of B's.
  EXPECT_NE(find(f, "autoinc.session_override"), nullptr);
  const Finding* w = find(f, "autoinc.wrong_class");
  ASSERT_NE(w, nullptr);
  EXPECT_NE(w->message.find("B inserted id 1 into test.t (row image), an id of A's class too"),
            std::string::npos)
      << w->message;
}

TEST(AutoIncrementCheck, TheSameTransactionInBothBinlogsIsNoCollision) {
  auto both = concat({create_t(1), statement_insert(2, 1, 1, 2, 1), row_insert(3, 2, 2, 2, 2)});
  auto f = run(both, both);
  EXPECT_TRUE(f.empty()) << f.front().code;
}

TEST(AutoIncrementCheck, SessionOverrideWithItsPosition) {
  auto f = run(concat({create_t(1), statement_insert(2, 5, 1, 5, 5)}));
  const Finding* s = find(f, "autoinc.session_override");
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->severity, report::Severity::kWarning);
  EXPECT_NE(s->message.find("sessions on A ran with auto_increment_increment=5, "
                            "auto_increment_offset=5"),
            std::string::npos)
      << s->message;
  ASSERT_EQ(s->evidence.size(), 2u);  // BEGIN and the INSERT
  EXPECT_EQ(s->evidence[1].statement, "INSERT INTO t (v) VALUES (1)");
  EXPECT_GT(*s->evidence[1].start, *s->evidence[0].start);
  // Id 5 is of the session's class (5 mod 5 == 5 mod 5).
  EXPECT_EQ(find(f, "autoinc.wrong_class"), nullptr);
}

TEST(AutoIncrementCheck, AQueryWithoutTheStatusVariableRanWithOneAndOne) {
  auto events = concat({create_t(1)});
  events.push_back(testing::maria_gtid_event(2, 0, 0, from(1)));
  events.push_back(testing::query_event("test", "BEGIN", from(1)));
  events.push_back(insert_id(2, 1));
  events.push_back(testing::query_event("test", "INSERT INTO t (v) VALUES (1)", from(1)));
  events.push_back(testing::xid_event(2, from(1)));
  auto f = run(events);
  const Finding* s = find(f, "autoinc.session_override");
  ASSERT_NE(s, nullptr);
  EXPECT_NE(s->message.find("auto_increment_increment=1, auto_increment_offset=1"),
            std::string::npos);
}

TEST(AutoIncrementCheck, GapsOfAClassAreAnInfoHint) {
  // A logged rows with ids 1, 3 and 9: 5 and 7 were consumed without being logged.
  auto f = run(concat({create_t(1), row_insert(2, 1, 1, 2, 1), row_insert(3, 9, 1, 2, 1),
                       row_insert(4, 3, 1, 2, 1), row_insert(5, 2, 2, 2, 2)}));
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].code, "autoinc.gap");
  EXPECT_EQ(f[0].severity, report::Severity::kInfo);
  EXPECT_EQ(f[0].message,
            "2 ids of A's class in test.t between 1 and 9 are in no binlog read: 5, 7");
  // The ids of statements read to their last row count as row images do.
  f = run(concat({create_t(1), statement_insert(2, 1, 1, 2, 1),
                  statement_insert(3, 7, 1, 2, 1, "INSERT INTO t (v) VALUES (1), (2)")}));
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].message,
            "2 ids of A's class in test.t between 1 and 9 are in no binlog read: 3, 5");
  // INSERT ... SELECT names its first id only (INSERT_ID): the gaps after it are
  // not known, so none is counted.
  EXPECT_TRUE(run(concat({create_t(1), statement_insert(2, 1, 1, 2, 1),
                          statement_insert(3, 9, 1, 2, 1, "INSERT INTO t (v) SELECT v FROM u")}))
                  .empty());
}

TEST(AutoIncrementCheck, EveryRowOfAMultiRowStatementIsChecked) {
  // A's statement takes 1, 3, 5 (INSERT_ID 1 and two more rows); B's row image
  // inserts 5 under a session that put it in A's class: a collision only the
  // third row of A's statement shows.
  auto events = concat({create_t(1),
                        statement_insert(2, 1, 1, 2, 1, "INSERT INTO t (v) VALUES (1), (2), (3)"),
                        row_insert(3, 5, 2, 2, 1)});
  auto f = run(events);
  const Finding* c = find(f, "autoinc.collision");
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->message,
            "both masters inserted test.t id 5: the second to apply the other's row stops with "
            "error 1062 (or loses it under slave-skip-errors)");
  // A session of A under increment 1: its second row, id 2, is B's class.
  f = run(concat(
      {create_t(1), statement_insert(2, 1, 1, 1, 1, "INSERT INTO t VALUES (NULL, 1), (NULL, 2)")}));
  const Finding* w = find(f, "autoinc.wrong_class");
  ASSERT_NE(w, nullptr);
  EXPECT_NE(w->message.find("inserted id 2 into test.t (a later row of the statement: "
                            "INSERT_ID + k * auto_increment_increment)"),
            std::string::npos)
      << w->message;
}

TEST(AutoIncrementCheck, AnIdNamedInTheStatementIsAKeyToo) {
  // B names id 7 (A's class) explicitly in a statement whose other row takes
  // INSERT_ID 8; A's row image inserts 7.
  auto f = run(concat({create_t(1),
                       statement_insert(2, 8, 2, 2, 2, "INSERT INTO t VALUES (7, 1), (NULL, 2)"),
                       row_insert(3, 7, 1, 2, 1)}));
  ASSERT_NE(find(f, "autoinc.collision"), nullptr);
  const Finding* w = find(f, "autoinc.wrong_class");
  ASSERT_NE(w, nullptr);
  EXPECT_NE(w->message.find("B inserted id 7 into test.t (named in the statement)"),
            std::string::npos)
      << w->message;
}

std::vector<Finding> config_findings(const std::string& a, const std::string& b) {
  return autoinc_config_findings(config_of(a, "a.cnf"), config_of(b, "b.cnf"));
}

TEST(AutoIncrementConfig, DistinctClassesAreClean) {
  EXPECT_TRUE(config_findings(kA, kB).empty());
}

TEST(AutoIncrementConfig, SameOffsetIsOneClass) {
  auto f = config_findings(kA,
                           "[mysqld]\nserver-id=2\nauto_increment_increment=2\n"
                           "auto_increment_offset=2\nauto_increment_offset=3\n");
  const Finding* s = find(f, "autoinc.same_class");
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->severity, report::Severity::kError);
  EXPECT_EQ(s->evidence[1].option, "auto_increment_offset=3");
  EXPECT_EQ(s->evidence[1].option_source, "b.cnf:5");
  EXPECT_NE(find(f, "autoinc.offset_above_increment"), nullptr);
}

TEST(AutoIncrementConfig, DefaultsAreTooSmallAndOneClass) {
  auto f = config_findings("[mysqld]\nserver-id=1\n", "[mysqld]\nserver-id=2\n");
  EXPECT_EQ(std::count_if(f.begin(), f.end(),
                          [](const Finding& x) { return x.code == "autoinc.increment_too_small"; }),
            2);
  EXPECT_EQ(f[0].evidence[0].option_source, "the server's default");
}

TEST(AutoIncrementConfig, DifferentIncrementsShareIdsByTheirCommonDivisor) {
  // 3k+1 and 6k+4 meet (4, 10, ...); 2k+1 and 4k+2 never do.
  EXPECT_NE(find(config_findings("[mysqld]\nauto_increment_increment=3\nauto_increment_offset=1\n",
                                 "[mysqld]\nauto_increment_increment=6\nauto_increment_offset=4\n"),
                 "autoinc.same_class"),
            nullptr);
  EXPECT_EQ(find(config_findings(kA,
                                 "[mysqld]\nauto_increment_increment=4\n"
                                 "auto_increment_offset=2\n"),
                 "autoinc.same_class"),
            nullptr);
}

TEST(AutoIncrementConfig, OutOfRangeValueIsNamed) {
  auto f =
      config_findings("[mysqld]\nauto_increment_increment=70000\nauto_increment_offset=1\n", kB);
  const Finding* r = find(f, "autoinc.out_of_range");
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->evidence[0].option_source, "a.cnf:2");
}

// ------------------------------------------------ the CREATE / ALTER TABLE reader

std::optional<uint32_t> auto_column(const TableSchemas& s, std::string_view table = "t") {
  const TableColumns* c = s.find("db", table);
  return c ? c->auto_increment() : std::nullopt;
}

TEST(TableSchemas, CreateTableFindsTheColumnPastKeysCommentsAndQuotes) {
  TableSchemas s;
  s.apply("db",
          "CREATE TABLE IF NOT EXISTS `db`.`t` (\n  `a``b` varchar(10) DEFAULT 'x,y' -- c,d\n,"
          " KEY k (a), c DECIMAL(10,2), /* id int */ `id` bigint(20) unsigned NOT NULL "
          "AUTO_INCREMENT, PRIMARY KEY (`id`)) ENGINE=InnoDB AUTO_INCREMENT=10");
  const TableColumns* c = s.find("db", "t");
  ASSERT_NE(c, nullptr);
  ASSERT_EQ(c->columns.size(), 3u);
  EXPECT_EQ(c->columns[0].name, "a`b");
  EXPECT_EQ(c->auto_increment(), 2u);
  EXPECT_TRUE(c->columns[2].is_unsigned);
}

TEST(TableSchemas, AlterTableMovesAddsAndDropsColumns) {
  TableSchemas s;
  s.apply("db", "CREATE TABLE t (a int, id int AUTO_INCREMENT PRIMARY KEY)");
  EXPECT_EQ(auto_column(s), 1u);
  s.apply("db", "ALTER TABLE t ADD COLUMN z int FIRST, ADD INDEX (a)");
  EXPECT_EQ(auto_column(s), 2u);
  s.apply("db", "ALTER TABLE t DROP COLUMN a");
  EXPECT_EQ(auto_column(s), 1u);
  s.apply("db", "ALTER TABLE t MODIFY id int NOT NULL");
  EXPECT_EQ(auto_column(s), std::nullopt);
  ASSERT_NE(s.find("db", "t"), nullptr);
  s.apply("db", "ALTER TABLE t CHANGE COLUMN z zz bigint AUTO_INCREMENT AFTER id");
  EXPECT_EQ(auto_column(s), 1u);
  EXPECT_EQ(s.find("db", "t")->columns[1].name, "zz");
  s.apply("db", "ALTER TABLE t RENAME TO u");
  EXPECT_EQ(s.find("db", "t"), nullptr);
  EXPECT_EQ(auto_column(s, "u"), 1u);
  s.apply("db", "RENAME TABLE u TO v");
  EXPECT_EQ(auto_column(s, "v"), 1u);
  s.apply("db", "CREATE TABLE w LIKE v");
  EXPECT_EQ(auto_column(s, "w"), 1u);
  s.apply("db", "DROP TABLE IF EXISTS v, w");
  EXPECT_EQ(s.find("db", "v"), nullptr);
  EXPECT_EQ(s.find("db", "w"), nullptr);
}

TEST(TableSchemas, WhatCannotBeFollowedForgetsTheTable) {
  TableSchemas s;
  s.apply("db", "CREATE TABLE t (a int, id int AUTO_INCREMENT PRIMARY KEY)");
  s.apply("db", "ALTER TABLE t ADD (b int, c int)");
  EXPECT_EQ(s.find("db", "t"), nullptr);
  s.apply("db", "CREATE TABLE t (a int, id int AUTO_INCREMENT PRIMARY KEY)");
  s.apply("db", "ALTER TABLE t DROP COLUMN nosuch");
  EXPECT_EQ(s.find("db", "t"), nullptr);
  s.apply("db", "CREATE TABLE t AS SELECT 1 AS id");
  EXPECT_EQ(s.find("db", "t"), nullptr);
  s.apply("db", "CREATE TEMPORARY TABLE t (id int AUTO_INCREMENT PRIMARY KEY)");
  EXPECT_EQ(s.find("db", "t"), nullptr);
  s.apply("db", "CREATE TABLE t (id int AUTO_INCREMENT PRIMARY KEY, b varchar(3) DEFAULT 'unterm");
  EXPECT_EQ(s.find("db", "t"), nullptr);
}

}  // namespace
}  // namespace twinlog::checks
