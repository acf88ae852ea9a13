// decode's BINLOG statements: one statement, or past the largest packet two
// @binlog_fragment variables, as mariadb-binlog's copy_cache_to_file_wrapped
// writes them (log_event_client.cc).
#include <gtest/gtest.h>

#include "src/print/binlog_statement.h"

namespace twinlog {
namespace {

TEST(BinlogStatement, OneStatementUpToTheLargestPacket) {
  std::string out;
  append_binlog_statement("AAAA\nBBBB\n", out, 4 + 11 + 10 + 5);
  EXPECT_EQ(out, "\nBINLOG '\nAAAA\nBBBB\n'/*!*/;\n");
}

TEST(BinlogStatement, TwoFragmentsPastIt) {
  std::string out;
  append_binlog_statement("AAAA\nBBBB\n", out, 4 + 11 + 10 + 5 - 1);
  // The first fragment takes half the text and one character more.
  EXPECT_EQ(out,
            "\nSET @binlog_fragment_0 ='\nAAAA\nB\n'/*!*/;"
            "\nSET @binlog_fragment_1 ='\nBBB\n'/*!*/;\n"
            "BINLOG @binlog_fragment_0, @binlog_fragment_1/*!*/;\n");
}

TEST(BinlogStatement, TheLimitIsMariadbBinlogs) {
  EXPECT_EQ(kBinlogStatementMax, 1024u * 1024 * 1024);  // MAX_MAX_ALLOWED_PACKET
}

}  // namespace
}  // namespace twinlog
