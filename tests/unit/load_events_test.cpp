// LOAD DATA events: old LOAD (single-character options), NEW_LOAD and CREATE_FILE
// (length-prefixed options), APPEND_BLOCK, EXEC_LOAD, DELETE_FILE,
// BEGIN_LOAD_QUERY, EXECUTE_LOAD_QUERY, SLAVE; and real ones.
#include <gtest/gtest.h>

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

// MySQL 5.0 wrote the old LOAD family; a MySQL 5.0 format describes it.
FormatDescription mysql50() {
  return testing::format_of("5.0.91-log");
}

TEST(LoadEvent, OldLoadSingleCharacterOptions) {
  // clang-format off
  auto body = BodyBuilder()
                  .u32(9).u32(1).u32(2).u8(2).u8(4).u32(2)  // post-header
                  .str(",").str("\"").str("\n").str(">").str("\\")
                  .u8(0x02).u8(0x08)  // OPT_ENCLOSED; line start empty
                  .u8(2).u8(0)         // field name lengths
                  .cstr("id").cstr("")
                  .cstr("t1").cstr("test")
                  .str("/tmp/data.txt");
  // clang-format on
  auto f = mysql50();
  auto r = decode_built(EventType::kLoad, body, f);
  const auto& e = as<LoadEvent>(r);
  EXPECT_EQ(e.type_code, 6);
  EXPECT_EQ(e.thread_id, 9u);
  EXPECT_EQ(e.exec_time, 1u);
  EXPECT_EQ(e.skip_lines, 2u);
  EXPECT_EQ(e.field_count, 2u);
  EXPECT_FALSE(e.file_id.has_value());
  EXPECT_EQ(e.field_term, ",");
  EXPECT_EQ(e.enclosed, "\"");
  EXPECT_EQ(e.line_term, "\n");
  EXPECT_EQ(e.line_start, "");  // empty by flag
  EXPECT_EQ(e.escaped, "\\");
  EXPECT_EQ(e.opt_flags, 0x02);
  EXPECT_EQ(e.empty_flags, 0x08);
  ASSERT_EQ(e.fields.size(), 2u);
  EXPECT_EQ(e.fields[0], "id");
  EXPECT_EQ(e.fields[1], "");
  EXPECT_EQ(e.table, "t1");
  EXPECT_EQ(e.database, "test");
  EXPECT_EQ(e.file_name, "/tmp/data.txt");
  // Cuts inside the file name are shorter names.
  const std::size_t fixed = body.size() - 13;
  EXPECT_EQ(check_truncations(EventType::kLoad, body, f, [&](std::size_t n) { return n >= fixed; }),
            fixed);
}

TEST(LoadEvent, NewLoadLengthPrefixedOptions) {
  auto body = BodyBuilder()
                  .u32(0xffffffff)
                  .u32(0)
                  .u32(0)
                  .u8(1)
                  .u8(0)
                  .u32(1)
                  .lstr("||")
                  .lstr("")
                  .lstr("\r\n")
                  .lstr("")
                  .lstr("\\")
                  .u8(0x04)
                  .u8(3)
                  .cstr("abc")
                  .cstr("t")
                  .cstr("")
                  .str("f");
  auto f = mysql50();
  auto r = decode_built(EventType::kNewLoad, body, f);
  const auto& e = as<LoadEvent>(r);
  EXPECT_EQ(e.type_code, 12);
  EXPECT_EQ(e.thread_id, 0xffffffffu);
  EXPECT_EQ(e.field_term, "||");
  EXPECT_EQ(e.enclosed, "");
  EXPECT_EQ(e.line_term, "\r\n");
  EXPECT_EQ(e.escaped, "\\");
  EXPECT_EQ(e.opt_flags, 0x04);
  ASSERT_EQ(e.fields.size(), 1u);
  EXPECT_EQ(e.fields[0], "abc");
  EXPECT_EQ(e.table, "t");
  EXPECT_EQ(e.database, "");
  EXPECT_EQ(e.file_name, "f");
  EXPECT_EQ(check_truncations(EventType::kNewLoad, body, f,
                              [&](std::size_t n) { return n >= body.size() - 1; }),
            body.size() - 1);
}

TEST(LoadEvent, CreateFileCarriesTheFirstBlock) {
  // clang-format off
  auto body = BodyBuilder()
                  .u32(4).u32(0).u32(0).u8(2).u8(2).u32(0)
                  .u32(77)  // file_id
                  .lstr(",").lstr("").lstr("\n").lstr("").lstr("\\").u8(0)
                  .cstr("t2").cstr("db")
                  .cstr("/var/tmp/x.csv")
                  .str("1,2\n3,4\n");
  // clang-format on
  auto f = mysql50();
  auto r = decode_built(EventType::kCreateFile, body, f);
  const auto& e = as<LoadEvent>(r);
  EXPECT_EQ(e.type_code, 8);
  EXPECT_EQ(e.file_id, 77u);
  EXPECT_EQ(e.table, "t2");
  EXPECT_EQ(e.database, "db");
  EXPECT_EQ(e.file_name, "/var/tmp/x.csv");
  EXPECT_EQ(as_chars(e.block), "1,2\n3,4\n");
  const std::size_t fixed = body.size() - 8;
  EXPECT_EQ(
      check_truncations(EventType::kCreateFile, body, f, [&](std::size_t n) { return n >= fixed; }),
      fixed);
}

TEST(LoadEvent, HugeFieldCountFails) {
  auto body =
      BodyBuilder().u32(1).u32(0).u32(0).u8(1).u8(1).u32(0xffffffff).str(",\"\n>\\").u8(0).u8(0);
  auto r = decode_built(EventType::kLoad, body, mysql50());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().offset, 1019u + 18 + 7);
}

TEST(LoadEvent, NamesMustBeNulTerminated) {
  auto body = BodyBuilder()
                  .u32(1)
                  .u32(0)
                  .u32(0)
                  .u8(1)
                  .u8(1)
                  .u32(0)
                  .str(",\"\n>\\")
                  .u8(0)
                  .u8(0)
                  .str("tXdY")
                  .str("f");
  auto r = decode_built(EventType::kLoad, body, mysql50());
  ASSERT_FALSE(r.ok());
}

TEST(LoadEvent, AppendBlockAndBeginLoadQuery) {
  for (EventType type : {EventType::kAppendBlock, EventType::kBeginLoadQuery}) {
    auto body = BodyBuilder().u32(0xffffffff).str("a,b\n");
    auto r = decode_built(type, body, testing::mysql80());
    const auto& e = as<AppendBlockEvent>(r);
    EXPECT_EQ(e.type_code, static_cast<uint8_t>(type));
    EXPECT_EQ(e.file_id, 0xffffffffu);
    EXPECT_EQ(as_chars(e.block), "a,b\n");
    EXPECT_EQ(
        check_truncations(type, body, testing::mysql80(), [](std::size_t n) { return n >= 4; }),
        4u);
  }
  auto empty = decode_built(EventType::kBeginLoadQuery, BodyBuilder().u32(1), testing::mysql80());
  EXPECT_TRUE(as<AppendBlockEvent>(empty).block.empty());
}

TEST(LoadEvent, ExecLoadAndDeleteFile) {
  for (EventType type : {EventType::kExecLoad, EventType::kDeleteFile}) {
    auto body = BodyBuilder().u32(123456);
    auto r = decode_built(type, body, mysql50());
    EXPECT_EQ(as<ExecLoadEvent>(r).type_code, static_cast<uint8_t>(type));
    EXPECT_EQ(as<ExecLoadEvent>(r).file_id, 123456u);
    EXPECT_EQ(check_truncations(type, body, mysql50()), 4u);
  }
}

ByteVec execute_load_query_body(uint32_t start, uint32_t end, uint8_t dup) {
  const std::string query = "LOAD DATA INFILE '/tmp/in.txt' INTO TABLE t";
  auto status = BodyBuilder().u8(0).u32(0).u8(6).lstr("std");
  return BodyBuilder()
      .u32(5)
      .u32(0)
      .u8(4)
      .u16(0)
      .u16(status.size())
      .u32(3)
      .u32(start)
      .u32(end)
      .u8(dup)
      .bytes(status)
      .cstr("test")
      .str(query);
}

TEST(LoadEvent, ExecuteLoadQuery) {
  auto body = execute_load_query_body(17, 30, 2);
  auto r = decode_built(EventType::kExecuteLoadQuery, body, testing::mysql80());
  const auto& e = as<ExecuteLoadQueryEvent>(r);
  EXPECT_EQ(e.file_id, 3u);
  EXPECT_EQ(e.fn_pos_start, 17u);
  EXPECT_EQ(e.fn_pos_end, 30u);
  EXPECT_EQ(e.dup_handling, 2);
  EXPECT_EQ(e.query.thread_id, 5u);
  EXPECT_EQ(e.query.database, "test");
  EXPECT_EQ(e.query.status.catalog, "std");
  EXPECT_EQ(e.query.query.substr(e.fn_pos_start, e.fn_pos_end - e.fn_pos_start), "'/tmp/in.txt'");
  // Cuts that leave the file name positions inside the text decode.
  check_truncations(EventType::kExecuteLoadQuery, body, testing::mysql80(),
                    [&](std::size_t n) { return n >= body.size() - 13; });
}

TEST(LoadEvent, ExecuteLoadQueryBadPositionsFail) {
  auto r = decode_built(EventType::kExecuteLoadQuery, execute_load_query_body(30, 17, 0),
                        testing::mysql80());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().offset, 1019u + 17);
  auto past = decode_built(EventType::kExecuteLoadQuery, execute_load_query_body(0, 1000, 0),
                           testing::mysql80());
  ASSERT_FALSE(past.ok());
  auto dup = decode_built(EventType::kExecuteLoadQuery, execute_load_query_body(17, 30, 3),
                          testing::mysql80());
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.error().offset, 1019u + 25);
}

TEST(LoadEvent, SlaveIsKeptAsBytes) {
  auto r = decode_built(EventType::kSlave, BodyBuilder().u64(4).u16(3306).str("master"), mysql50());
  EXPECT_EQ(as<SlaveEvent>(r).body.size(), 16u);
}

// Real binlogs.
TEST(LoadEventsCorpus, MySQL51LoadDataLocal) {
  const auto bytes = testing::read_file_bytes(
      testing::kCorpus + "blackbeam__rust_mysql_common/test-data__binlogs__ver_5_1_23.001");
  const auto events = testing::decode_file(bytes);
  auto blocks = testing::events_of<AppendBlockEvent>(events);
  ASSERT_EQ(blocks.size(), 2u);
  // "#Begin_load_query: file_id: 2  block_len: 131072", "#Append_block: file_id: 2  block_len:
  // 17664"
  EXPECT_EQ(blocks[0]->type_code, 17);
  EXPECT_EQ(blocks[0]->file_id, 2u);
  EXPECT_EQ(blocks[0]->block.size(), 131072u);
  EXPECT_EQ(blocks[1]->type_code, 9);
  EXPECT_EQ(blocks[1]->file_id, 2u);
  EXPECT_EQ(blocks[1]->block.size(), 17664u);
  auto loads = testing::events_of<ExecuteLoadQueryEvent>(events);
  ASSERT_EQ(loads.size(), 1u);
  // The event holds "LOAD DATA INFILE 'big_file.dat' INTO TABLE t3"; fn_pos_start..end
  // marks what mariadb-binlog rewrites into "LOCAL INFILE '/tmp/SQL_LOAD_MB-2-0' INTO"
  // ("# file_id: 2").
  EXPECT_EQ(loads[0]->file_id, 2u);
  const auto q = loads[0]->query.query;
  EXPECT_EQ(q, "LOAD DATA INFILE 'big_file.dat' INTO TABLE t3");
  EXPECT_EQ(q.substr(0, loads[0]->fn_pos_start), "LOAD DATA");
  EXPECT_EQ(q.substr(loads[0]->fn_pos_end), " TABLE t3");
  EXPECT_EQ(loads[0]->dup_handling, 0);
}

TEST(LoadEventsCorpus, MySQL57LoadDataWithOptions) {
  const auto bytes = testing::read_file_bytes(
      testing::kCorpus + "jiangzhe__mybin/mybin-core__data__mysql-bin.5.7.30.BeginLoadQueryEvent");
  const auto events = testing::decode_file(bytes);
  auto blocks = testing::events_of<AppendBlockEvent>(events);
  ASSERT_EQ(blocks.size(), 1u);
  EXPECT_EQ(blocks[0]->file_id, 1u);  // "#Begin_load_query: file_id: 1  block_len: 31"
  EXPECT_EQ(blocks[0]->block.size(), 31u);
  auto loads = testing::events_of<ExecuteLoadQueryEvent>(events);
  ASSERT_EQ(loads.size(), 1u);
  EXPECT_EQ(loads[0]->file_id, 1u);
  EXPECT_EQ(loads[0]->dup_handling, 2);  // REPLACE
  EXPECT_EQ(loads[0]->query.database, "bintest1");
  EXPECT_EQ(loads[0]->query.query.substr(0, loads[0]->fn_pos_end),
            "LOAD DATA INFILE '/u.txt' REPLACE INTO");
  EXPECT_EQ(loads[0]->query.query.substr(loads[0]->fn_pos_end),
            " TABLE `testload` FIELDS TERMINATED BY ',' OPTIONALLY  ENCLOSED BY '\"' "
            "ESCAPED BY '\\\\' LINES TERMINATED BY '\\n' STARTING BY '>' IGNORE 2 LINES  (`id1`, "
            "`id2`, `id3`)");
}

}  // namespace
}  // namespace twinlog::protocol
