// decode's text options through the real binary: --base64-output's modes, -v, an
// ANNOTATE_ROWS left out with the rows --database leaves out, --rewrite-db and
// --skip-gtids.
#include <gtest/gtest.h>

#include "src/print/database_rewrite.h"
#include "tests/support/cli_run.h"

namespace twinlog {
namespace {

using testing::CliRun;
using testing::run_twinlog;

const std::string kRows = std::string(TWINLOG_SAMPLES_DIR) + "/binlogs/row-full/mysql-bin.000001";

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

TEST(DecodeText, Base64OutputModes) {
  const CliRun plain = run_twinlog("decode " + kRows);
  ASSERT_EQ(plain.code, 0) << plain.err;
  EXPECT_EQ(count(plain.out, "BINLOG '"), 0u);
  EXPECT_GT(count(plain.out, "/* id LONGINT meta=0"), 0u);

  const CliRun base64 = run_twinlog("decode --base64-output=auto " + kRows);
  ASSERT_EQ(base64.code, 0) << base64.err;
  EXPECT_GT(count(base64.out, "\nBINLOG '\n"), 1u);  // the start event's and the rows'
  EXPECT_EQ(count(base64.out, "### INSERT INTO"), 0u);

  const CliRun verbose = run_twinlog("decode --base64-output=auto -v " + kRows);
  ASSERT_EQ(verbose.code, 0) << verbose.err;
  EXPECT_GT(count(verbose.out, "### INSERT INTO"), 0u);
  EXPECT_EQ(count(verbose.out, " meta="), 0u);  // -vv only

  const CliRun never = run_twinlog("decode --base64-output=never " + kRows);
  EXPECT_EQ(never.code, 2);
  EXPECT_NE(never.err.find("--base64-output=never specified"), std::string::npos) << never.err;

  EXPECT_EQ(run_twinlog("decode --base64-output=sometimes " + kRows).code, 2);
}

TEST(DecodeText, AnnotateRowsGoWithTheirRows) {
  const std::size_t all = count(run_twinlog("decode " + kRows).out, "#Q> ");
  ASSERT_GT(all, 0u);
  EXPECT_EQ(count(run_twinlog("decode --database test " + kRows).out, "#Q> "), all);
  EXPECT_EQ(count(run_twinlog("decode --database nosuchdb " + kRows).out, "#Q> "), 0u);
}

TEST(DecodeText, RewriteDbRenamesUseAndTableMaps) {
  const CliRun r = run_twinlog(
      "decode --base64-output=auto -vv '--rewrite-db= test -> renamed' '--rewrite-db=other->x' " +
      kRows);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(count(r.out, "use `test`"), 0u);
  // The `use` comes after the position, before the statement's header line.
  EXPECT_EQ(count(r.out, "\nuse `renamed`/*!*/;\n#"), 1u) << r.out.substr(0, 4000);
  EXPECT_EQ(count(r.out, "Table_map: `test`."), 0u);
  EXPECT_GT(count(r.out, "Table_map: `renamed`."), 0u);
  EXPECT_GT(count(r.out, "### INSERT INTO `renamed`."), 0u);
  // The statements' own text keeps its names.
  EXPECT_EQ(count(r.out, "CREATE DATABASE IF NOT EXISTS test\n"), 1u);
  // --database selects by the binlog's names, as mariadb-binlog does.
  const std::string by_old =
      run_twinlog("decode '--rewrite-db=test->renamed' -d test " + kRows).out;
  EXPECT_GT(count(by_old, "Table_map: `renamed`."), 0u);
  const std::string by_new =
      run_twinlog("decode '--rewrite-db=test->renamed' -d renamed " + kRows).out;
  EXPECT_EQ(count(by_new, "Table_map:"), 0u);

  for (const char* bad : {"test", "->x", "test->", " -> "}) {
    const CliRun refused = run_twinlog(std::string("decode '--rewrite-db=") + bad + "' " + kRows);
    EXPECT_EQ(refused.code, 2) << bad;
    EXPECT_NE(refused.err.find("FROM->TO"), std::string::npos) << refused.err;
  }
  EXPECT_EQ(run_twinlog("decode --format jsonl '--rewrite-db=a->b' " + kRows).code, 2);
}

TEST(DecodeText, RewriteRuleAsMariadbBinlogReadsIt) {
  auto rule = parse_rewrite_rule("  a b -> c d");
  ASSERT_TRUE(rule);
  EXPECT_EQ(rule->from, "a b");
  EXPECT_EQ(rule->to, "c");  // TO ends at its first blank
  EXPECT_FALSE(parse_rewrite_rule("a-b"));
  const DatabaseRewrite rewrite({{"a", "b"}, {"a", "c"}, {"x", "y"}});
  ASSERT_NE(rewrite.renamed("a"), nullptr);
  EXPECT_EQ(*rewrite.renamed("a"), "b");  // the first rule
  EXPECT_EQ(rewrite.renamed("A"), nullptr);
}

TEST(DecodeText, SkipGtidsLeavesTheGtidLinesOut) {
  const std::string gtids = std::string(TWINLOG_SAMPLES_DIR) + "/binlogs/row-gtid/mysql-bin.000001";
  const CliRun with = run_twinlog("decode " + gtids);
  const CliRun without = run_twinlog("decode --skip-gtids " + gtids);
  ASSERT_EQ(without.code, 0) << without.err;
  EXPECT_GT(count(with.out, "SET @@session.gtid_seq_no="), 0u);
  EXPECT_EQ(count(without.out, "SET @@session.gtid_seq_no="), 0u);
  EXPECT_EQ(count(without.out, "SET @@session.gtid_domain_id="), 0u);
  EXPECT_EQ(count(without.out, "SET @@session.server_id="), 0u);
  EXPECT_EQ(count(without.out, "START TRANSACTION"), count(with.out, "START TRANSACTION"));
  EXPECT_EQ(count(without.out, "\tGTID "), count(with.out, "\tGTID "));
  EXPECT_EQ(run_twinlog("decode --format json --skip-gtids " + gtids).code, 2);
}

}  // namespace
}  // namespace twinlog
