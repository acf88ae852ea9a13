// decode's text options through the real binary: --base64-output's modes, -v, and
// an ANNOTATE_ROWS left out with the rows --database leaves out.
#include <gtest/gtest.h>

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

}  // namespace
}  // namespace twinlog
