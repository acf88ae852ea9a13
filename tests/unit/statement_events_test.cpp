// Statement events: QUERY with every status variable, binlog v3 QUERY, unknown
// status codes, ROWS_QUERY, ANNOTATE_ROWS, and real QUERY events.
#include <gtest/gtest.h>

#include <limits>

#include "protocol/events.h"
#include "tests/support/event_builder.h"
#include "tests/support/event_decode.h"

namespace twinlog::protocol {
namespace {

using testing::as;
using testing::BodyBuilder;
using testing::ByteVec;
using testing::check_truncations;
using testing::decode_built;
using testing::mariadb1011;
using testing::mysql80;

// A v4 QUERY body around a status variable block (these tests' exec time is 2).
ByteVec query_body(const ByteVec& status, std::string_view db, std::string_view query,
                   uint32_t thread_id = 7, uint32_t exec_time = 2, uint16_t error = 0) {
  return testing::query_body(db, query, {thread_id, exec_time, error, status});
}

TEST(QueryEvent, FixedFieldsDatabaseAndQuery) {
  auto body = query_body({}, "test", "INSERT INTO t VALUES (1)", 0xffffffff, 0xfffffffe, 1062);
  auto r = decode_built(EventType::kQuery, body, mysql80());
  const auto& e = as<QueryEvent>(r);
  EXPECT_EQ(e.thread_id, 0xffffffffu);
  EXPECT_EQ(e.exec_time, 0xfffffffeu);
  EXPECT_EQ(e.error_code, 1062);
  EXPECT_EQ(e.database, "test");
  EXPECT_EQ(e.query, "INSERT INTO t VALUES (1)");
  EXPECT_TRUE(e.status_raw.empty());
  EXPECT_FALSE(e.status.flags2.has_value());
  // Every cut before the query text fails; cuts inside the text are shorter queries.
  EXPECT_EQ(check_truncations(EventType::kQuery, body, mysql80(),
                              [](std::size_t n) { return n >= 13 + 5; }),
            13u + 5u);
}

TEST(QueryEvent, EmptyDatabaseAndQuery) {
  auto r = decode_built(EventType::kQuery, query_body({}, "", ""), mariadb1011());
  EXPECT_EQ(as<QueryEvent>(r).database, "");
  EXPECT_EQ(as<QueryEvent>(r).query, "");
}

TEST(QueryEvent, DatabaseMustBeNulTerminated) {
  auto body = BodyBuilder().u32(1).u32(0).u8(4).u16(0).u16(0).str("testXBEGIN");
  auto r = decode_built(EventType::kQuery, body, mysql80());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().offset, 1019u + 13 + 4);
}

TEST(QueryEvent, StatusVarsLengthBeyondBodyFails) {
  auto body = BodyBuilder().u32(1).u32(0).u8(0).u16(0).u16(0xffff).u8(0).str("BEGIN");
  auto r = decode_built(EventType::kQuery, body, mysql80());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().offset, 1019u + 13);
}

// Every status variable MySQL 8.4/9.x and MariaDB 11.x define, with edge values.
ByteVec all_status_vars() {
  // clang-format off
  return BodyBuilder()
      .u8(0).u32(0xffffffff)                       // Q_FLAGS2
      .u8(1).u64(std::numeric_limits<uint64_t>::max())  // Q_SQL_MODE
      .u8(3).u16(2).u16(65535)                     // Q_AUTO_INCREMENT
      .u8(4).u16(33).u16(8).u16(255)               // Q_CHARSET
      .u8(5).lstr("SYSTEM")                        // Q_TIME_ZONE
      .u8(6).lstr("std")                           // Q_CATALOG_NZ
      .u8(7).u16(65535)                            // Q_LC_TIME_NAMES
      .u8(8).u16(45)                               // Q_CHARSET_DATABASE
      .u8(9).u64(0x8000000000000001ull)            // Q_TABLE_MAP_FOR_UPDATE
      .u8(10).u32(0xffffffff)                      // Q_MASTER_DATA_WRITTEN
      .u8(11).lstr("root").lstr("")                // Q_INVOKER
      .u8(12).u8(2).cstr("db1").cstr("")           // Q_UPDATED_DB_NAMES
      .u8(13).u24(999999)                          // Q_MICROSECONDS
      .u8(16).u8(1)                                // Q_EXPLICIT_DEFAULTS_FOR_TIMESTAMP
      .u8(17).u64(std::numeric_limits<uint64_t>::max())  // Q_DDL_LOGGED_WITH_XID
      .u8(18).u16(255)                             // Q_DEFAULT_COLLATION_FOR_UTF8MB4
      .u8(19).u8(1)                                // Q_SQL_REQUIRE_PRIMARY_KEY
      .u8(20).u8(1)                                // Q_DEFAULT_TABLE_ENCRYPTION
      .u8(128).u24(0xffffff)                       // Q_HRNOW
      .u8(129).u64(42)                             // Q_XID
      .u8(130).u8(0x04).u64(1234)                  // Q_GTID_FLAGS3 with COMMIT_ALTER
      .u8(131).u8(2).u16(33).u16(192).u16(8).u16(31);  // Q_CHARACTER_SET_COLLATIONS
  // clang-format on
}

TEST(QueryStatusVars, EveryVariable) {
  const ByteVec bytes = all_status_vars();
  auto r = decode_query_status_vars(testing::span(bytes), 500);
  ASSERT_TRUE(r.ok()) << r.error().message;
  const auto& s = r.value();
  EXPECT_EQ(s.flags2, 0xffffffffu);
  EXPECT_EQ(s.sql_mode, std::numeric_limits<uint64_t>::max());
  ASSERT_TRUE(s.auto_increment);
  EXPECT_EQ(s.auto_increment->increment, 2);
  EXPECT_EQ(s.auto_increment->offset, 65535);
  ASSERT_TRUE(s.charset);
  EXPECT_EQ(s.charset->client, 33);
  EXPECT_EQ(s.charset->connection, 8);
  EXPECT_EQ(s.charset->server, 255);
  EXPECT_EQ(s.time_zone, "SYSTEM");
  EXPECT_EQ(s.catalog, "std");
  EXPECT_EQ(s.lc_time_names, 65535);
  EXPECT_EQ(s.charset_database, 45);
  EXPECT_EQ(s.table_map_for_update, 0x8000000000000001ull);
  EXPECT_EQ(s.master_data_written, 0xffffffffu);
  ASSERT_TRUE(s.invoker);
  EXPECT_EQ(s.invoker->user, "root");
  EXPECT_EQ(s.invoker->host, "");
  EXPECT_TRUE(s.has_updated_db_names);
  EXPECT_FALSE(s.updated_db_names_over_max);
  ASSERT_EQ(s.updated_db_names.size(), 2u);
  EXPECT_EQ(s.updated_db_names[0], "db1");
  EXPECT_EQ(s.updated_db_names[1], "");
  EXPECT_EQ(s.microseconds, 999999u);
  EXPECT_EQ(s.explicit_defaults_ts, 1);
  EXPECT_EQ(s.ddl_xid, std::numeric_limits<uint64_t>::max());
  EXPECT_EQ(s.default_collation_for_utf8mb4, 255);
  EXPECT_EQ(s.sql_require_primary_key, 1);
  EXPECT_EQ(s.default_table_encryption, 1);
  EXPECT_EQ(s.hrnow, 0xffffffu);
  EXPECT_EQ(s.xid, 42u);
  EXPECT_EQ(s.gtid_flags3, 0x04);
  EXPECT_EQ(s.start_alter_seq_no, 1234u);
  EXPECT_EQ(s.character_set_collations_len, 2);
  EXPECT_EQ(s.character_set_collations.size(), 8u);
  EXPECT_FALSE(s.unknown_code.has_value());
  EXPECT_FALSE(s.commit_ts.has_value());
}

TEST(QueryStatusVars, EveryTruncationFailsInsideTheBlock) {
  const ByteVec bytes = all_status_vars();
  // Cutting exactly between two variables leaves a valid shorter block.
  std::vector<std::size_t> boundaries;
  for (std::size_t n = 0; n < bytes.size(); ++n) {
    auto r = decode_query_status_vars(testing::span(bytes).first(n), 500);
    if (r.ok()) {
      boundaries.push_back(n);
      continue;
    }
    EXPECT_GE(r.error().offset, 500u);
    EXPECT_LE(r.error().offset, 500u + n);
  }
  // 22 variables: the empty block and the 21 cuts after each but the last.
  EXPECT_EQ(boundaries.size(), 22u);
}

TEST(QueryStatusVars, OldCatalogWithTerminator) {
  auto b = BodyBuilder().u8(2).u8(3).cstr("std").u8(0).u32(5);
  auto r = decode_query_status_vars(testing::span(b), 0);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->catalog, "std");
  EXPECT_EQ(r->flags2, 5u);
  auto bad = BodyBuilder().u8(2).u8(3).str("stdX");
  auto rb = decode_query_status_vars(testing::span(bad), 0);
  ASSERT_FALSE(rb.ok());
}

TEST(QueryStatusVars, UpdatedDbNamesOverMax) {
  auto b = BodyBuilder().u8(12).u8(254).u8(18).u16(255);
  auto r = decode_query_status_vars(testing::span(b), 0);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->has_updated_db_names);
  EXPECT_TRUE(r->updated_db_names_over_max);
  EXPECT_TRUE(r->updated_db_names.empty());
  EXPECT_EQ(r->default_collation_for_utf8mb4, 255);
}

TEST(QueryStatusVars, GtidFlags3WithoutAlterHasNoSeqNo) {
  auto b = BodyBuilder().u8(130).u8(0x02).u8(0).u32(1);
  auto r = decode_query_status_vars(testing::span(b), 0);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->gtid_flags3, 0x02);
  EXPECT_FALSE(r->start_alter_seq_no.has_value());
  EXPECT_EQ(r->flags2, 1u);
}

TEST(QueryEvent, UnknownStatusCodeStopsParsingButTheEventDecodes) {
  for (int code : {14, 15, 21, 127, 132, 254}) {
    auto status = BodyBuilder().u8(0).u32(1).u8(code).raw({1, 2, 3}).u8(1).u64(9);
    auto r = decode_built(EventType::kQuery, query_body(status, "db", "SELECT 1"), mysql80());
    const auto& e = as<QueryEvent>(r);
    EXPECT_EQ(e.status.flags2, 1u);
    EXPECT_EQ(e.status.unknown_code, code);
    EXPECT_FALSE(e.status.sql_mode.has_value());
    EXPECT_EQ(e.database, "db");
    EXPECT_EQ(e.query, "SELECT 1");
  }
}

TEST(QueryStatusVars, MariaDBDummyEndsTheBlockQuietly) {
  auto b = BodyBuilder().u8(8).u16(224).u8(255).u8(18).u8(99);
  auto r = decode_query_status_vars(testing::span(b), 0);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->charset_database, 224);
  EXPECT_FALSE(r->unknown_code.has_value());
  EXPECT_FALSE(r->default_collation_for_utf8mb4.has_value());
}

TEST(QueryEvent, StatusVarsInsideEvent) {
  auto body = query_body(all_status_vars(), "test", "CREATE TABLE t (a INT)");
  auto r = decode_built(EventType::kQuery, body, mariadb1011());
  const auto& e = as<QueryEvent>(r);
  EXPECT_EQ(e.status.xid, 42u);
  EXPECT_EQ(e.status_raw.size(), all_status_vars().size());
  EXPECT_EQ(e.query, "CREATE TABLE t (a INT)");
  const std::size_t fixed = 13 + all_status_vars().size() + 5;
  EXPECT_EQ(check_truncations(EventType::kQuery, body, mariadb1011(),
                              [&](std::size_t n) { return n >= fixed; }),
            fixed);
}

TEST(QueryEvent, BadStatusVariableIsAnErrorAtItsOffset) {
  auto status = BodyBuilder().u8(0).u32(1).u8(5).u8(200);  // time zone longer than the block
  auto r = decode_built(EventType::kQuery, query_body(status, "", "x"), mysql80());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().offset, 1019u + 13 + 7);
}

TEST(QueryEvent, BinlogV3HasNoStatusVars) {
  auto f = format_for_start_v3("4.1.22-log");
  auto body = BodyBuilder().u32(3).u32(0).u8(4).u16(0).cstr("test").str("DROP TABLE t");
  auto r = decode_built(EventType::kQuery, body, f);
  const auto& e = as<QueryEvent>(r);
  EXPECT_EQ(e.thread_id, 3u);
  EXPECT_EQ(e.database, "test");
  EXPECT_EQ(e.query, "DROP TABLE t");
  EXPECT_TRUE(e.status_raw.empty());
}

TEST(QueryEvent, CompressedCodeDecodesAsQuery) {
  auto r = decode_built(EventType::kMariaQueryCompressed, query_body({}, "test", "BEGIN"),
                        mariadb1011());
  EXPECT_EQ(as<QueryEvent>(r).query, "BEGIN");
}

TEST(RowsQueryEvent, SkipsTheLengthByte) {
  auto body = BodyBuilder().u8(17).str("INSERT INTO t VALUES (1)");
  auto r = decode_built(EventType::kRowsQuery, body, mysql80());
  EXPECT_EQ(as<RowsQueryEvent>(r).query, "INSERT INTO t VALUES (1)");
  auto empty = decode_built(EventType::kRowsQuery, {}, mysql80());
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.error().offset, 1019u);
}

TEST(AnnotateRowsEvent, TextIsTheBody) {
  auto r = decode_built(EventType::kMariaAnnotateRows, BodyBuilder().str("UPDATE t SET a = 1"),
                        mariadb1011());
  EXPECT_EQ(as<AnnotateRowsEvent>(r).query, "UPDATE t SET a = 1");
}

// Real binlogs.
TEST(StatementEventsCorpus, MariaDB105) {
  const auto bytes = testing::read_file_bytes(
      testing::kCorpus + "blackbeam__rust_mysql_common/test-data__binlogs__mariadb-bin.000001");
  const auto events = testing::decode_file(bytes);
  auto annotations = testing::events_of<AnnotateRowsEvent>(events);
  ASSERT_EQ(annotations.size(), 2u);
  // "#Q> insert into outbox (topic, event_type, event) values ('foo', 'JSON', '{"foo":1}')"
  EXPECT_EQ(annotations[0]->query,
            "insert into outbox (topic, event_type, event) values ('foo', 'JSON', '{\"foo\":1}')");
}

TEST(StatementEventsCorpus, MySQL57QueriesAndRowsQuery) {
  const auto bytes = testing::read_file_bytes(
      testing::kCorpus + "rust-us__mysql-cdc-rs/tests__events__5.7__29_row_query__log.bin");
  const auto events = testing::decode_file(bytes);
  auto rows_queries = testing::events_of<RowsQueryEvent>(events);
  ASSERT_EQ(rows_queries.size(), 1u);
  // mariadb-binlog only says "Ignorable event type 29"; the bytes hold the statement
  // of the Write_rows on `default`.`boxercrab` that follows.
  EXPECT_EQ(rows_queries[0]->query, "INSERT INTO `boxercrab` (`title`) VALUES ('hahhhhhhhhh')");
  auto queries = testing::events_of<QueryEvent>(events);
  ASSERT_FALSE(queries.empty());
  for (auto* q : queries) {
    EXPECT_FALSE(q->status.unknown_code.has_value());
    ASSERT_TRUE(q->status.charset.has_value());
  }
}

TEST(StatementEventsCorpus, MySQL96BeginWithOverMaxDbNames) {
  // The BEGIN at 328 of the 9.6 sample: status vars flags2 0, sql_mode 0x45a00020,
  // catalog "std", charset 255/255/255, Q_UPDATED_DB_NAMES OVER_MAX, utf8mb4 255.
  const auto bytes = testing::read_file_bytes(
      testing::kCorpus +
      "blackbeam__rust_mysql_common/test-data__binlogs__binlog_transaction_with_GTID_TAG.000001");
  const auto events = testing::decode_file(bytes);
  const QueryEvent* begin = nullptr;
  for (const auto& e : events) {
    if (e.offset == 328 && e.event.ok()) begin = std::get_if<QueryEvent>(&e.event.value());
  }
  ASSERT_NE(begin, nullptr);
  EXPECT_EQ(begin->thread_id, 11u);
  EXPECT_EQ(begin->database, "test");
  EXPECT_EQ(begin->query, "BEGIN");
  EXPECT_EQ(begin->status.flags2, 0u);
  EXPECT_EQ(begin->status.sql_mode, 0x45a00020u);
  EXPECT_EQ(begin->status.catalog, "std");
  ASSERT_TRUE(begin->status.charset);
  EXPECT_EQ(begin->status.charset->client, 255);
  EXPECT_TRUE(begin->status.updated_db_names_over_max);
  EXPECT_EQ(begin->status.default_collation_for_utf8mb4, 255);
}

TEST(StatementEventsCorpus, MySQL50Queries) {
  // MySQL 5.0.86: "use `test`; CREATE TABLE ..." and friends, no checksum footer.
  const auto bytes = testing::read_file_bytes(
      testing::kCorpus +
      "blackbeam__rust_mysql_common/test-data__binlogs__binlog_transaction.000001");
  const auto events = testing::decode_file(bytes);
  auto queries = testing::events_of<QueryEvent>(events);
  ASSERT_FALSE(queries.empty());
  bool saw_begin = false;
  for (auto* q : queries) {
    EXPECT_FALSE(q->status.unknown_code.has_value());
    if (q->query == "BEGIN") saw_begin = true;
  }
  EXPECT_TRUE(saw_begin);
}

TEST(StatementEventsCorpus, CorruptRelayLogGivesAnErrorAtItsQuery) {
  // mariadb-binlog also fails at the QUERY at 91204 of this relay log.
  const auto bytes = testing::read_file_bytes(
      testing::kCorpus +
      "blackbeam__rust_mysql_common/test-data__binlogs__corrupt-relay-bin.000624");
  const auto events = testing::decode_file(bytes);
  std::size_t failed = 0;
  for (const auto& e : events) {
    if (e.event.ok()) continue;
    ++failed;
    EXPECT_EQ(e.offset, 91204u);
    EXPECT_GT(e.event.error().offset, 91204u);
    EXPECT_LT(e.event.error().offset, 91204u + 200);
  }
  EXPECT_EQ(failed, 1u);
}

}  // namespace
}  // namespace twinlog::protocol
