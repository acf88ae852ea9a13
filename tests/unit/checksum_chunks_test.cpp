// The pure parts of `twinlog checksum`'s table and chunk handling: which key a
// table is chunked along, the table lists side by side, the statements that read
// a chunk and find its bound, and the chunk size's adaptation.
#include "src/checks/checksum_chunks.h"

#include <gtest/gtest.h>

#include "src/checks/checksum_tables.h"

namespace twinlog::checks {
namespace {

std::vector<ChecksumColumn> columns() {
  return {{"id", "int(11)", false}, {"a", "int(11)", false}, {"b", "varchar(8)", true}};
}

TEST(ChecksumKey, PrimaryKeyWins) {
  auto key = choose_key({{"a_unique", {"a"}}, {"PRIMARY", {"id"}}}, columns());
  ASSERT_TRUE(key);
  EXPECT_EQ(key->name, "PRIMARY");
}

TEST(ChecksumKey, UniqueKeyOverNullableColumnIsNoKey) {
  EXPECT_FALSE(choose_key({{"b_unique", {"b"}}}, columns()));
  auto key = choose_key({{"z", {"b"}}, {"y", {"a", "id"}}, {"x", {"a"}}}, columns());
  ASSERT_TRUE(key);
  EXPECT_EQ(key->name, "x");  // by name, so that both masters choose alike
}

TEST(ChecksumKey, NoIndexNoKey) {
  EXPECT_FALSE(choose_key({}, columns()));
}

TEST(ChecksumTables, ListsSideBySide) {
  const std::vector<QualifiedTable> a{{"test", "a"}, {"test", "both"}};
  const std::vector<QualifiedTable> b{{"test", "b"}, {"test", "both"}};
  const auto lists = compare_table_lists(a, b);
  ASSERT_EQ(lists.both.size(), 1u);
  EXPECT_EQ(lists.both[0].table, "both");
  ASSERT_EQ(lists.only_a.size(), 1u);
  EXPECT_EQ(lists.only_a[0].table, "a");
  ASSERT_EQ(lists.only_b.size(), 1u);
  EXPECT_EQ(lists.only_b[0].table, "b");
}

TEST(ChecksumTables, Selection) {
  TableSelection s{{"test"}, {"t1", "test.t2"}};
  EXPECT_TRUE(s.selects("test", "t1"));
  EXPECT_TRUE(s.selects("test", "t2"));
  EXPECT_FALSE(s.selects("test", "t3"));
  EXPECT_FALSE(s.selects("other", "t1"));
  EXPECT_TRUE(TableSelection{}.selects("x", "y"));
}

TEST(ChecksumTables, QuoteIdentifier) {
  EXPECT_EQ(quote_identifier("a`b"), "`a``b`");
}

ChecksumTable composite() {
  ChecksumTable t;
  t.database = "test";
  t.table = "comp";
  t.columns = {{"a", "int", false}, {"b", "varchar(8)", false}, {"c", "int", true}};
  t.key = {"a", "b"};
  return t;
}

TEST(ChecksumChunks, CompositeRange) {
  ChunkRange r;
  r.lower = KeyValue{"1", "x"};
  r.upper = KeyValue{"3", std::nullopt};
  const auto s = chunk_select(composite(), r);
  EXPECT_EQ(s.sql,
            "SELECT `a`, `b`, `c` FROM `test`.`comp` WHERE ((`a` > ?) OR (`a` = ? AND `b` > ?)) "
            "AND NOT ((`a` > ?) OR (`a` = ? AND `b` > ?))");
  const std::vector<std::optional<std::string>> params{"1", "1", "x", "3", "3", std::nullopt};
  EXPECT_EQ(s.params, params);
}

TEST(ChecksumChunks, WholeTableAndFirstChunk) {
  auto t = composite();
  EXPECT_EQ(chunk_select(t, {}).sql, "SELECT `a`, `b`, `c` FROM `test`.`comp`");
  const auto bound = upper_bound_select(t, std::nullopt, 1000);
  EXPECT_EQ(bound.sql, "SELECT `a`, `b` FROM `test`.`comp` ORDER BY `a`, `b` LIMIT 1 OFFSET 999");
  EXPECT_TRUE(bound.params.empty());
  const auto next = upper_bound_select(t, KeyValue{"1", "x"}, 10);
  EXPECT_EQ(next.params.size(), 3u);
  EXPECT_NE(next.sql.find("WHERE ((`a` > ?) OR (`a` = ? AND `b` > ?)) ORDER BY"),
            std::string::npos);
}

TEST(ChecksumChunks, IntegerKeysBoundAsNumbers) {
  auto t = composite();
  EXPECT_FALSE(chunk_select(t, {}).integer_params);  // `b` is a varchar
  t.key = {"a", "c"};
  EXPECT_TRUE(chunk_select(t, {}).integer_params);
  EXPECT_TRUE(upper_bound_select(t, std::nullopt, 10).integer_params);
  EXPECT_TRUE(is_integer_type("bigint(20) unsigned"));
  EXPECT_TRUE(is_integer_type("smallint"));
  EXPECT_FALSE(is_integer_type("integerish"));
  EXPECT_FALSE(is_integer_type("decimal(10,0)"));
}

TEST(ChecksumChunks, KeyRange) {
  auto t = composite();
  t.key = {"a"};
  EXPECT_EQ(key_range_select(t).sql, "SELECT MIN(`a`), MAX(`a`) FROM `test`.`comp`");
}

TEST(ChecksumChunks, DescribeRange) {
  auto t = composite();
  ChunkRange r;
  r.lower = KeyValue{"1", "x"};
  EXPECT_EQ(describe_range(t, r), "(`a`, `b`) > ('1', 'x')");
  t.key = {};
  EXPECT_EQ(describe_range(t, r), "whole table");
}

TEST(ChecksumChunks, SizeFollowsTargetTime) {
  EXPECT_EQ(next_chunk_rows(1000, 0.25, 0.5), 2000u);  // at most doubles
  EXPECT_EQ(next_chunk_rows(1000, 10, 0.5), 500u);     // at least halves
  EXPECT_EQ(next_chunk_rows(1000, 0.4, 0.5), 1250u);
  EXPECT_EQ(next_chunk_rows(20, 10, 0.5), 16u);
  EXPECT_EQ(next_chunk_rows(900'000, 0.1, 0.5), 1'000'000u);
}

}  // namespace
}  // namespace twinlog::checks
