// tools/sandbox variants. ctest runs every test in its own process, so every
// test here starts one pair; compatible variants share a pair to keep the
// live suite short.
#include <gtest/gtest.h>

#include "tests/live/sandbox_pair.h"

namespace twinlog::live {
namespace {

// Writes on both masters (INSERT, UPDATE, DELETE) and expects identical tables.
void expect_replicates_both_ways(const SandboxPair& pair) {
  for (char s : {'A', 'B'}) {
    EXPECT_EQ(pair.slave_field(s, "Slave_IO_Running"), "Yes") << s;
    EXPECT_EQ(pair.slave_field(s, "Slave_SQL_Running"), "Yes") << s;
  }
  pair.sql('A', "USE test; CREATE TABLE v (id INT AUTO_INCREMENT PRIMARY KEY, txt TEXT, b BLOB)");
  pair.sql(
      'A',
      "USE test; INSERT INTO v (txt, b) VALUES (REPEAT('a', 300), REPEAT('x', 300)), ('a2', NULL)");
  pair.wait_sync();
  pair.sql(
      'B',
      "USE test; INSERT INTO v (txt, b) VALUES ('b1', 'y'); UPDATE v SET txt = 'a1' WHERE id = 1");
  pair.sql('A', "USE test; DELETE FROM v WHERE id = 3");
  pair.wait_sync();
  EXPECT_EQ(pair.sql('A', "SELECT GROUP_CONCAT(id ORDER BY id) FROM test.v"), "1,4");
  EXPECT_EQ(pair.sql('B', "SELECT GROUP_CONCAT(id ORDER BY id) FROM test.v"), "1,4");
  EXPECT_EQ(pair.sql('A', "CHECKSUM TABLE test.v"), pair.sql('B', "CHECKSUM TABLE test.v"));
}

std::string workload_binary() {
  return std::filesystem::path(TWINLOG_BINARY).parent_path().string() +
         "/workload/twinlog-workload";
}

TEST(SandboxVariant, RowMinimalImageFullMetadataWithExtraFilters) {
  auto pair = SandboxPair::start({"--format", "ROW", "--row-image", "MINIMAL", "--row-metadata",
                                  "FULL", "--extra-b", "replicate-wild-ignore-table=test.skip%",
                                  "--extra", "replicate-rewrite-db=staging->test"});
  for (char s : {'A', 'B'}) {
    EXPECT_EQ(pair->sql(s, "SELECT @@binlog_format, @@binlog_row_image, @@binlog_row_metadata"),
              "ROW\tMINIMAL\tFULL")
        << s;
  }
  expect_replicates_both_ways(*pair);

  // The extra filter rules reach the servers and act.
  EXPECT_EQ(pair->slave_field('B', "Replicate_Wild_Ignore_Table"), "test.skip%");
  EXPECT_EQ(pair->slave_field('A', "Replicate_Wild_Ignore_Table"), "");
  EXPECT_EQ(pair->sql('B', "SELECT @@replicate_rewrite_db"), "staging->test");
  EXPECT_NE(pair->binlog_bytes('B').size(), 0U);
  pair->sql('A',
            "USE test; CREATE TABLE skip_me (id INT PRIMARY KEY); CREATE TABLE keep_me (id INT "
            "PRIMARY KEY)");
  pair->wait_sync();
  pair->sql('A', "USE test; INSERT INTO keep_me VALUES (1)");
  pair->wait_sync();
  EXPECT_EQ(pair->sql('B', "SELECT COUNT(*) FROM test.keep_me"), "1");
  EXPECT_EQ(
      pair->sql('B', "SELECT COUNT(*) FROM information_schema.tables WHERE table_name = 'skip_me'"),
      "0");

  // The workload keeps a healthy pair identical, through both masters.
  if (!std::filesystem::exists(workload_binary())) {
    GTEST_SKIP() << "twinlog-workload not built (" << workload_binary() << ")";
  }
  auto r = run_command(shell_quote(workload_binary()) + " --sandbox " + shell_quote(pair->dir()) +
                       " --seed 11 --transactions 120 --quiet");
  ASSERT_EQ(r.exit_code, 0);
  pair->wait_sync(120);
  for (const char* t : {"wl_ints", "wl_numeric", "wl_temporal", "wl_strings", "wl_binary",
                        "wl_misc", "wl_autoinc"}) {
    std::string table = std::string("test.") + t;
    EXPECT_EQ(pair->sql('A', "CHECKSUM TABLE " + table), pair->sql('B', "CHECKSUM TABLE " + table))
        << t;
    EXPECT_NE(pair->sql('A', "SELECT COUNT(*) FROM " + table), "0") << t;
  }
  EXPECT_NE(pair->sql('A', "SELECT COUNT(*) FROM test.wl_ints WHERE id % 2 = 0"), "0")
      << "no rows from B";
  EXPECT_NE(pair->sql('A', "SELECT COUNT(*) FROM test.wl_ints WHERE id % 2 = 1"), "0")
      << "no rows from A";
}

TEST(SandboxVariant, StatementFormatWithoutChecksums) {
  auto pair = SandboxPair::start({"--format", "STATEMENT", "--checksum", "NONE"});
  for (char s : {'A', 'B'}) {
    EXPECT_EQ(pair->sql(s, "SELECT @@binlog_format, @@binlog_checksum"), "STATEMENT\tNONE") << s;
  }
  expect_replicates_both_ways(*pair);
  EXPECT_NE(pair->binlog_text('A').find("INSERT INTO v (txt, b) VALUES ('b1', 'y')"),
            std::string::npos);
}

TEST(SandboxVariant, MixedFormatNoblobCompressed) {
  auto pair = SandboxPair::start({"--format", "MIXED", "--row-image", "NOBLOB", "--compress"});
  for (char s : {'A', 'B'}) {
    EXPECT_EQ(pair->sql(s, "SELECT @@binlog_format, @@binlog_row_image, @@log_bin_compress"),
              "MIXED\tNOBLOB\t1")
        << s;
  }
  expect_replicates_both_ways(*pair);
  // A row event (UUID() is unsafe for statements) and a statement longer than
  // log_bin_compress_min_len (256), both compressed.
  pair->sql('A', "USE test; CREATE TABLE z (id INT PRIMARY KEY, t TEXT, u VARCHAR(40))");
  pair->sql('A', "USE test; INSERT INTO z VALUES (1, REPEAT('compress me ', 200), UUID())");
  pair->sql('A',
            "USE test; INSERT INTO z VALUES (2, '" + std::string(400, 'y') + "', 'statement')");
  pair->wait_sync();
  EXPECT_EQ(pair->sql('B', "SELECT GROUP_CONCAT(LENGTH(t) ORDER BY id) FROM test.z"), "2400,400");
  auto text = pair->binlog_text('A');
  EXPECT_NE(text.find("Write_compressed_rows"), std::string::npos) << text.substr(0, 3000);
  EXPECT_NE(text.find("Query_compressed"), std::string::npos) << text.substr(0, 3000);
}

TEST(SandboxVariant, GtidReplicationUsesSlavePosAndDistinctDomains) {
  auto pair = SandboxPair::start({"--gtid", "--format", "ROW"});
  EXPECT_EQ(pair->sql('A', "SELECT @@gtid_domain_id"), "1");
  EXPECT_EQ(pair->sql('B', "SELECT @@gtid_domain_id"), "2");
  for (char s : {'A', 'B'}) {
    EXPECT_EQ(pair->slave_field(s, "Using_Gtid"), "Slave_Pos") << s;
  }
  expect_replicates_both_ways(*pair);
  auto a_pos = pair->sql('A', "SELECT @@gtid_binlog_pos");
  EXPECT_NE(a_pos.find("1-1-"), std::string::npos) << a_pos;
  EXPECT_NE(a_pos.find("2-2-"), std::string::npos) << a_pos;
  EXPECT_EQ(a_pos, pair->sql('B', "SELECT @@gtid_binlog_pos"));
}

}  // namespace
}  // namespace twinlog::live
