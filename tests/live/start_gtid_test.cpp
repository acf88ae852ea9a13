// --start-gtid reads through the same GtidSet as every GTID: a GTID of the other
// flavor than the server's is refused, naming the server's flavor and the form it
// takes, before any dump starts.
#include <gtest/gtest.h>

#include "tests/live/sandbox_pair.h"

namespace {

using twinlog::live::run_command;
using twinlog::live::SandboxPair;

TEST(StartGtid, AMysqlGtidIsRefusedByAMariadbServer) {
  auto pair = SandboxPair::start();
  pair->sql(
      'A',
      "CREATE USER gtid_test@'127.0.0.1' IDENTIFIED BY 'gt-pass'; "
      "GRANT REPLICATION SLAVE, BINLOG MONITOR, SLAVE MONITOR ON *.* TO gtid_test@'127.0.0.1'");
  const std::string twinlog = std::string(TWINLOG_BINARY) +
                              " decode --no-defaults --user gtid_test --host 127.0.0.1 --port " +
                              std::to_string(pair->port('A'));
  auto refused = run_command("MYSQL_PWD=gt-pass " + twinlog +
                             " --start-gtid 3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5 2>&1");
  EXPECT_EQ(refused.exit_code, 2) << refused.output;
  EXPECT_NE(refused.output.find("the server is MariaDB"), std::string::npos) << refused.output;
  EXPECT_NE(refused.output.find("domain-server-seq"), std::string::npos) << refused.output;

  // Its own flavor is taken: the position the server is at reads to the end.
  const std::string pos = pair->sql('A', "SELECT @@gtid_binlog_pos");
  auto taken = run_command("MYSQL_PWD=gt-pass " + twinlog + " --start-gtid '" + pos + "' 2>&1");
  EXPECT_EQ(taken.exit_code, 0) << taken.output;
}

}  // namespace
