// Computed chunk bounds for a one-column integer key: from the density of the
// chunk before, signed and unsigned, the last chunk open-ended at A's largest
// key, and a probe again whenever the density is unknown or was misjudged.
#include "src/checks/checksum_steps.h"

#include <gtest/gtest.h>

namespace twinlog::checks {
namespace {

ChecksumTable table(const std::string& key_type, std::vector<std::string> key = {"id"}) {
  // Built whole: GCC 12 at -O3 warns falsely (-Wrestrict) on assigning literals.
  return ChecksumTable{std::string("test"),
                       std::string("t"),
                       {{"id", key_type, false}, {"name", "varchar(8)", true}},
                       std::move(key),
                       std::string()};
}

// plan()'s answer for the last chunk: computed, without an upper bound.
const std::optional<std::optional<KeyValue>> kLastChunk{std::optional<KeyValue>()};

ChunkRange range(std::optional<std::string> lower, std::optional<std::string> upper) {
  ChunkRange r;
  if (lower) r.lower = KeyValue{*lower};
  if (upper) r.upper = KeyValue{*upper};
  return r;
}

TEST(ChecksumSteps, OnlyForOneIntegerColumn) {
  EXPECT_TRUE(KeySteps::for_table(table("int(11)")));
  EXPECT_TRUE(KeySteps::for_table(table("bigint(20) unsigned")));
  EXPECT_TRUE(KeySteps::for_table(table("tinyint")));
  EXPECT_FALSE(KeySteps::for_table(table("varchar(10)")));
  EXPECT_FALSE(KeySteps::for_table(table("decimal(10,0)")));
  EXPECT_FALSE(KeySteps::for_table(table("integerish")));
  EXPECT_FALSE(KeySteps::for_table(table("int(11)", {"id", "name"})));
  EXPECT_FALSE(KeySteps::for_table(table("int(11)", {})));
}

TEST(ChecksumSteps, StepsByTheDensityOfTheChunkBefore) {
  auto steps = *KeySteps::for_table(table("int(10) unsigned"));
  steps.set_range("1", "5000000");
  EXPECT_FALSE(steps.plan(std::nullopt, 1000));      // the first chunk is probed
  EXPECT_FALSE(steps.plan(KeyValue{"1000"}, 2000));  // no density measured yet
  // The probed first chunk: 1000 rows from key 1 to 1000, one row per value.
  steps.observed(range(std::nullopt, "1000"), 1000, 1000, false);
  EXPECT_EQ(steps.plan(KeyValue{"1000"}, 2000), std::optional<KeyValue>(KeyValue{"3000"}));
  // A computed chunk of 2000 values that held 1000 rows: every second value.
  steps.observed(range("1000", "3000"), 2000, 1000, true);
  EXPECT_EQ(steps.plan(KeyValue{"3000"}, 4000), std::optional<KeyValue>(KeyValue{"11000"}));
  // Reaching A's largest key: the last chunk, open-ended.
  EXPECT_EQ(steps.plan(KeyValue{"4999000"}, 4000), kLastChunk);
}

TEST(ChecksumSteps, SignedKeys) {
  auto steps = *KeySteps::for_table(table("bigint(20)"));
  steps.set_range("-500", "9223372036854775807");
  steps.observed(range(std::nullopt, "-1"), 500, 500, false);
  EXPECT_EQ(steps.plan(KeyValue{"-1"}, 100), std::optional<KeyValue>(KeyValue{"99"}));
  // A step past the line's end is the last chunk, not an overflow.
  steps.observed(range("-1", "99"), 100, 100, true);
  EXPECT_EQ(steps.plan(KeyValue{"9223372036854775000"}, 1000000), kLastChunk);
}

TEST(ChecksumSteps, ProbesAgainWhenTheDensityWasMisjudged) {
  auto steps = *KeySteps::for_table(table("int(11)"));
  steps.set_range("1", "100000000");
  steps.observed(range(std::nullopt, "1000"), 1000, 1000, false);
  // A gap: the computed chunk held nothing.
  steps.observed(range("1000", "3000"), 2000, 0, true);
  EXPECT_FALSE(steps.plan(KeyValue{"3000"}, 2000));
  // A denser range than planned (more than twice the rows).
  steps.observed(range("3000", "5000"), 2000, 1000, false);
  EXPECT_TRUE(steps.plan(KeyValue{"5000"}, 2000));
  steps.observed(range("5000", "9000"), 2000, 4001, true);
  EXPECT_FALSE(steps.plan(KeyValue{"9000"}, 2000));
  // The last chunk (no upper bound) measures nothing.
  steps.observed(range("9000", std::nullopt), 2000, 2000, false);
  EXPECT_FALSE(steps.plan(KeyValue{"9000"}, 2000));
}

TEST(ChecksumSteps, AnEmptyTableIsProbed) {
  auto steps = *KeySteps::for_table(table("int(11)"));
  steps.set_range(std::nullopt, std::nullopt);
  steps.observed(range(std::nullopt, "1000"), 1000, 1000, false);
  EXPECT_FALSE(steps.plan(KeyValue{"1000"}, 1000));
}

}  // namespace
}  // namespace twinlog::checks
