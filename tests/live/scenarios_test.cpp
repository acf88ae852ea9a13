// Each tools/scenarios/*.sh drives a fresh pair into the problem it claims.
#include <gtest/gtest.h>

#include <regex>

#include "tests/live/sandbox_pair.h"

namespace twinlog::live {
namespace {

std::string checksum(const SandboxPair& pair, char server, const std::string& table) {
  auto line = pair.sql(server, "CHECKSUM TABLE " + table);
  return line.substr(line.find('\t') + 1);
}

std::size_t count_occurrences(const std::string& haystack, const std::string& needle) {
  std::size_t n = 0;
  for (auto at = haystack.find(needle); at != std::string::npos;
       at = haystack.find(needle, at + 1)) {
    ++n;
  }
  return n;
}

TEST(Scenario, HealthyPairIsConsistent) {
  auto pair = SandboxPair::scenario("healthy");
  for (char s : {'A', 'B'}) {
    EXPECT_EQ(pair->slave_field(s, "Slave_IO_Running"), "Yes") << s;
    EXPECT_EQ(pair->slave_field(s, "Slave_SQL_Running"), "Yes") << s;
    EXPECT_EQ(pair->slave_field(s, "Last_SQL_Errno"), "0") << s;
  }
  EXPECT_EQ(checksum(*pair, 'A', "test.t"), checksum(*pair, 'B', "test.t"));
  EXPECT_EQ(pair->sql('A', "SELECT COUNT(*) FROM test.t"), "5");
}

TEST(Scenario, AutoIncrementCollisionStopsReplicaWith1062) {
  auto pair = SandboxPair::scenario("collision");
  EXPECT_EQ(pair->sql('A', "SELECT @@auto_increment_offset"), "1");
  EXPECT_EQ(pair->sql('B', "SELECT @@auto_increment_offset"), "1");
  for (char s : {'A', 'B'}) {
    EXPECT_EQ(pair->slave_field(s, "Last_SQL_Errno"), "1062") << s;
    EXPECT_EQ(pair->slave_field(s, "Slave_SQL_Running"), "No") << s;
    EXPECT_EQ(pair->slave_field(s, "Slave_IO_Running"), "Yes") << s;
  }
  EXPECT_NE(pair->slave_field('B', "Last_SQL_Error").find("Duplicate entry '1'"),
            std::string::npos);
  // Each master kept its own row 1.
  EXPECT_EQ(pair->sql('A', "SELECT v FROM test.t WHERE id = 1"), "from A 1");
  EXPECT_EQ(pair->sql('B', "SELECT v FROM test.t WHERE id = 1"), "from B 1");
}

TEST(Scenario, SkippedErrorsDriftSilently) {
  auto pair = SandboxPair::scenario("skipped-errors");
  for (char s : {'A', 'B'}) {
    EXPECT_EQ(pair->slave_field(s, "Slave_IO_Running"), "Yes") << s;
    EXPECT_EQ(pair->slave_field(s, "Slave_SQL_Running"), "Yes") << s;
    EXPECT_EQ(pair->slave_field(s, "Last_SQL_Errno"), "0") << s;
    EXPECT_EQ(pair->sql(s, "SELECT @@slave_skip_errors"), "1062") << s;
  }
  EXPECT_EQ(pair->sql('A', "SELECT COUNT(*) FROM test.t"), "2");
  EXPECT_EQ(pair->sql('B', "SELECT COUNT(*) FROM test.t"), "1");
  EXPECT_NE(checksum(*pair, 'A', "test.t"), checksum(*pair, 'B', "test.t"));
}

TEST(Scenario, SqlLogBinOffWriteIsInvisible) {
  auto pair = SandboxPair::scenario("sql-log-bin-off");
  EXPECT_EQ(pair->sql('A', "SELECT COUNT(*) FROM test.t"), "4");
  EXPECT_EQ(pair->sql('B', "SELECT COUNT(*) FROM test.t"), "3");
  EXPECT_EQ(pair->sql('A', "SELECT v FROM test.t WHERE id = 1"), "changed-unlogged");
  EXPECT_EQ(pair->sql('B', "SELECT v FROM test.t WHERE id = 1"), "logged 1");
  for (char s : {'A', 'B'}) {
    EXPECT_EQ(pair->slave_field(s, "Slave_SQL_Running"), "Yes") << s;
    auto bytes = pair->binlog_bytes(s);
    EXPECT_EQ(bytes.find("unlogged"), std::string::npos) << s;
    EXPECT_NE(bytes.find("logged 2"), std::string::npos) << s << " should hold the logged rows";
  }
}

TEST(Scenario, CrossDatabaseStatementsDiverge) {
  auto pair = SandboxPair::scenario("cross-db");
  EXPECT_EQ(pair->sql('A', "SELECT @@binlog_format"), "STATEMENT");
  EXPECT_EQ(pair->sql('A', "SELECT GROUP_CONCAT(id ORDER BY id) FROM test.t"), "1,100");
  EXPECT_EQ(pair->sql('B', "SELECT GROUP_CONCAT(id ORDER BY id) FROM test.t"), "1,200");
  EXPECT_EQ(pair->sql('A', "SELECT v FROM other.t WHERE id = 1"), "changed on B through USE test");
  // The cross-database UPDATE is in B's binlog with default database test;
  // the USE mysql insert is in no binlog.
  auto b_log = pair->binlog_bytes('B');
  EXPECT_NE(b_log.find("UPDATE other.t"), std::string::npos);
  EXPECT_EQ(pair->binlog_bytes('A').find("never logged"), std::string::npos);
  EXPECT_EQ(b_log.find("never logged"), std::string::npos);
}

TEST(Scenario, LoopBringsServer3TransactionsBack) {
  auto pair = SandboxPair::scenario("loop");
  auto text = pair->binlog_text('A');
  // C's insert carries server id 3 and its GTID 0-3-3 every time it comes back.
  std::smatch m;
  ASSERT_TRUE(std::regex_search(text, m, std::regex("server id 3 .*GTID (0-3-[0-9]+) trans")))
      << text.substr(0, 2000);
  auto copies = count_occurrences(text, "GTID " + m[1].str() + " trans");
  EXPECT_GE(copies, 10U) << "GTID " << m[1] << " should appear many times in A's binlog";
  EXPECT_GE(std::stoi(pair->sql('A', "SELECT n FROM test.loop_t WHERE id = 1")), 10);
  EXPECT_EQ(pair->sql('C', "SELECT n FROM test.loop_t WHERE id = 1"), "1");
  EXPECT_GE(count_occurrences(pair->binlog_text('B'), "GTID " + m[1].str() + " trans"), 10U);
}

}  // namespace
}  // namespace twinlog::live
