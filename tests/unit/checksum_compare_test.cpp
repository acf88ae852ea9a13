// The row hash, the chunk digest and the narrowing of `twinlog checksum`: what
// pt-table-checksum's BIT_XOR of CRC32 misses is seen here, rows are matched by
// key (or as a multiset without one), and the repair SQL is exact.
#include "src/checks/checksum_compare.h"

#include <gtest/gtest.h>

#include <cstring>

#include "src/checks/checksum_checkpoint.h"
#include "src/checks/checksum_repair.h"
#include "src/checks/checksum_values.h"

namespace twinlog::checks {
namespace {

std::string row(std::initializer_list<std::optional<std::string>> values) {
  std::string out;
  for (const auto& v : values) {
    if (v)
      append_value(out, std::string_view(*v));
    else
      append_value(out, std::nullopt);
  }
  return out;
}

std::string le32(int32_t v) {
  std::string s(4, '\0');
  std::memcpy(s.data(), &v, 4);
  return s;
}

ChunkDigest digest(const std::vector<std::string>& rows) {
  ChunkDigest d;
  for (const auto& r : rows) d.add(r);
  return d;
}

TEST(ChecksumValues, NullEmptyAndBoundariesDiffer) {
  EXPECT_NE(row({std::nullopt}), row({""}));
  EXPECT_NE(row({"ab", "c"}), row({"a", "bc"}));
  EXPECT_NE(row_hash(row({std::nullopt})), row_hash(row({""})));
  const std::string three = row({"x", std::nullopt, ""});
  const auto values = split_row(three);  // views into `three`
  ASSERT_EQ(values.size(), 3u);
  EXPECT_EQ(values[0], "x");
  EXPECT_FALSE(values[1]);
  EXPECT_EQ(values[2], "");
  EXPECT_TRUE(split_row(std::string("\1\5\0\0\0ab", 7)).empty());  // length past the end
}

// pt-table-checksum's example: the same edit on two rows of a chunk cancels
// under a linear hash combined by XOR; it does not under XXH3 summed.
TEST(ChecksumValues, SameEditOnTwoRowsDoesNotCancel) {
  const std::vector<std::string> before{row({"17", "alice smith", "pending", "0"}),
                                        row({"90321", "bob", "pending", "0"})};
  const std::vector<std::string> after{row({"17", "alice smith", "shipped", "0"}),
                                       row({"90321", "bob", "shipped", "0"})};
  EXPECT_NE(digest(before), digest(after));
}

TEST(ChecksumValues, DuplicateRowsCount) {
  const auto r = row({"2", "y"});
  EXPECT_NE(digest({r}), digest({r, r}));
  EXPECT_NE(digest({r, r}), digest({}));  // XOR would cancel the two copies
}

TEST(ChecksumValues, Literals) {
  EXPECT_EQ(sql_literal({"i", ValueKind::kSigned}, le32(-5)), "-5");
  EXPECT_EQ(sql_literal({"i", ValueKind::kSigned}, std::string("\xff", 1)), "-1");
  EXPECT_EQ(sql_literal({"u", ValueKind::kUnsigned}, std::string("\xff", 1)), "255");
  double d = 0.1;
  std::string bytes(8, '\0');
  std::memcpy(bytes.data(), &d, 8);
  EXPECT_EQ(sql_literal({"d", ValueKind::kDouble}, bytes), "0.1");
  // The bytes hashed for a temporal value and a value's header: fixed, so that
  // digests (and checkpoints) stay comparable across versions.
  EXPECT_EQ(temporal_bytes(2026, 11, 26, 5, 41, 2, 100, true),
            std::string("\xea\x07\x0b\x1a\x05\x00\x29\x02\x64\x00\x00\x00\x01\x00", 14));
  std::string row;
  append_value(row, std::string_view("ab"));
  append_value(row, std::nullopt);
  EXPECT_EQ(row, std::string("\x01\x02\x00\x00\x00"
                             "ab"
                             "\x00\x00\x00\x00\x00",
                             12));
  EXPECT_EQ(sql_literal({"t", ValueKind::kDateTime, 6},
                        temporal_bytes(2026, 11, 26, 5, 41, 2, 100, false)),
            "'2026-11-26 05:41:02.000100'");
  EXPECT_EQ(sql_literal({"t", ValueKind::kTime, 0}, temporal_bytes(0, 0, 0, 838, 59, 59, 0, true)),
            "'-838:59:59'");
  EXPECT_EQ(sql_literal({"s", ValueKind::kText}, std::string_view("it's\n")), "'it''s\\n'");
  EXPECT_EQ(sql_literal({"b", ValueKind::kBinary}, std::string_view("\x00\xff", 2)), "X'00FF'");
  EXPECT_EQ(sql_literal({"s", ValueKind::kText}, std::nullopt), "NULL");
}

ChecksumTable orders() {
  ChecksumTable t;
  t.database = "test";
  t.table = "orders";
  t.key = {"id"};
  return t;
}

const std::vector<ValueColumn> kOrderColumns{
    {"id", ValueKind::kDecimal}, {"name", ValueKind::kText}, {"status", ValueKind::kText}};

TEST(ChecksumCompare, MatchesByKey) {
  const std::vector<std::string> a{row({"1", "a", "x"}), row({"2", "b", "x"}),
                                   row({"3", "c", "x"})};
  const std::vector<std::string> b{row({"1", "a", "x"}), row({"3", "c", "y"}),
                                   row({"4", "d", "x"})};
  const auto d = compare_rows(a, b, {0});
  ASSERT_EQ(d.size(), 3u);
  EXPECT_EQ(d[0].a, a[1]);  // 2 on A only
  EXPECT_FALSE(d[0].b);
  EXPECT_EQ(d[1].a, a[2]);  // 3 differs
  EXPECT_EQ(d[1].b, b[1]);
  EXPECT_FALSE(d[2].a);  // 4 on B only
  const auto findings = row_findings(orders(), kOrderColumns, "all rows", d);
  ASSERT_EQ(findings.size(), 3u);
  EXPECT_EQ(findings[0].code, "checksum.row_missing");
  EXPECT_EQ(findings[1].code, "checksum.row_differs");
  EXPECT_EQ(findings[1].message,
            "test.orders: row (`id` = 3) differs: `status` 'x' on A, 'y' on B");
  EXPECT_NE(findings[1].action.find("on B: UPDATE `test`.`orders` SET `status` = 'x' WHERE "
                                    "`id` = 3;"),
            std::string::npos);
  EXPECT_NE(findings[2].action.find("on A: INSERT INTO `test`.`orders` (`id`, `name`, `status`) "
                                    "VALUES (4, 'd', 'x');"),
            std::string::npos);
}

TEST(ChecksumCompare, KeylessMultiset) {
  const auto r = row({"2", "y"});
  const auto d = compare_rows({row({"1", "x"}), r}, {r, row({"1", "x"}), r}, {});
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].copies_a, 1u);
  EXPECT_EQ(d[0].copies_b, 2u);
  ChecksumTable t;
  t.database = "test";
  t.table = "nokey";
  const auto f = row_findings(t, {{"a", ValueKind::kDecimal}, {"b", ValueKind::kText}}, "whole", d);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].code, "checksum.row_count_differs");
  EXPECT_NE(f[0].action.find("DELETE FROM `test`.`nokey` WHERE `a` <=> 2 AND `b` <=> 'y' LIMIT 1;"),
            std::string::npos);
}

TEST(ChecksumCheckpoint, LinesRoundTrip) {
  ChecksumTable t = orders();
  ChunkDone d;
  d.table = &t;
  d.range.upper = KeyValue{"1000", std::nullopt};
  d.a = {0xabc, 10};
  d.b = {0xabc, 10};
  std::map<std::string, Checkpoint::TableState> states;
  ASSERT_TRUE(Checkpoint::apply_line(Checkpoint::chunk_line(d), states));
  auto s = states["test.orders"];
  EXPECT_FALSE(s.done);
  ASSERT_TRUE(s.after);
  EXPECT_EQ(*s.after, (KeyValue{"1000", std::nullopt}));
  EXPECT_TRUE(s.differing.empty());
  d.range.upper.reset();
  d.differs = true;
  ASSERT_TRUE(Checkpoint::apply_line(Checkpoint::chunk_line(d), states));
  EXPECT_TRUE(states["test.orders"].done);
  // The last chunk differed: a resumed run reads (1000, NULL) to the end again.
  ASSERT_EQ(states["test.orders"].differing.size(), 1u);
  EXPECT_EQ(states["test.orders"].differing[0].lower, (KeyValue{"1000", std::nullopt}));
  EXPECT_FALSE(states["test.orders"].differing[0].upper);
  EXPECT_FALSE(Checkpoint::apply_line("chunk zz", states));
  EXPECT_FALSE(Checkpoint::apply_line("chunk 74 1 1 1 1 MAYBE END", states));
}

}  // namespace
}  // namespace twinlog::checks
