// tools/sandbox variants: each starts, replicates, and runs with its setting.
#include <gtest/gtest.h>

#include "tests/live/sandbox_pair.h"

namespace twinlog::live {
namespace {

struct Variant {
    std::string name;
    std::vector<std::string> args;
    std::string check_sql;  // run on both masters
    std::string expected;   // its result
};

std::ostream& operator<<(std::ostream& os, const Variant& v) { return os << v.name; }

class SandboxVariant : public ::testing::TestWithParam<Variant> {};

TEST_P(SandboxVariant, StartsAndReplicates) {
    const Variant& v = GetParam();
    auto pair = SandboxPair::start(v.args);
    for (char s : {'A', 'B'}) {
        EXPECT_EQ(pair->sql(s, v.check_sql), v.expected) << s;
        EXPECT_EQ(pair->slave_field(s, "Slave_IO_Running"), "Yes") << s;
        EXPECT_EQ(pair->slave_field(s, "Slave_SQL_Running"), "Yes") << s;
    }
    pair->sql('A', "USE test; CREATE TABLE v (id INT AUTO_INCREMENT PRIMARY KEY, txt TEXT, b BLOB)");
    pair->sql('A', "USE test; INSERT INTO v (txt, b) VALUES (REPEAT('a', 300), REPEAT('x', 300)), ('a2', NULL)");
    pair->wait_sync();
    pair->sql('B', "USE test; INSERT INTO v (txt, b) VALUES ('b1', 'y'); UPDATE v SET txt = 'a1' WHERE id = 1");
    pair->sql('A', "USE test; DELETE FROM v WHERE id = 3");
    pair->wait_sync();
    EXPECT_EQ(pair->sql('A', "SELECT GROUP_CONCAT(id ORDER BY id), SUM(LENGTH(txt)) FROM test.v"),
              pair->sql('B', "SELECT GROUP_CONCAT(id ORDER BY id), SUM(LENGTH(txt)) FROM test.v"));
    EXPECT_EQ(pair->sql('A', "CHECKSUM TABLE test.v"), pair->sql('B', "CHECKSUM TABLE test.v"));
}

INSTANTIATE_TEST_SUITE_P(
    Live, SandboxVariant,
    ::testing::Values(
        Variant{"Row", {"--format", "ROW"}, "SELECT @@binlog_format", "ROW"},
        Variant{"Statement", {"--format", "STATEMENT"}, "SELECT @@binlog_format", "STATEMENT"},
        Variant{"RowMinimal", {"--format", "ROW", "--row-image", "MINIMAL"}, "SELECT @@binlog_row_image", "MINIMAL"},
        Variant{"RowNoblob", {"--format", "ROW", "--row-image", "NOBLOB"}, "SELECT @@binlog_row_image", "NOBLOB"},
        Variant{"FullMetadata", {"--format", "ROW", "--row-metadata", "FULL"}, "SELECT @@binlog_row_metadata", "FULL"},
        Variant{"Compressed", {"--compress"}, "SELECT @@log_bin_compress", "1"},
        Variant{"ChecksumNone", {"--checksum", "NONE"}, "SELECT @@binlog_checksum", "NONE"},
        Variant{"Gtid", {"--gtid"}, "SELECT @@gtid_domain_id IN (1, 2), @@gtid_strict_mode", "1\t0"}),
    [](const ::testing::TestParamInfo<Variant>& info) { return info.param.name; });

TEST(SandboxVariantDetail, GtidReplicationUsesSlavePosAndDistinctDomains) {
    auto pair = SandboxPair::start({"--gtid", "--format", "ROW"});
    EXPECT_EQ(pair->sql('A', "SELECT @@gtid_domain_id"), "1");
    EXPECT_EQ(pair->sql('B', "SELECT @@gtid_domain_id"), "2");
    for (char s : {'A', 'B'}) {
        EXPECT_EQ(pair->slave_field(s, "Using_Gtid"), "Slave_Pos") << s;
    }
    pair->sql('A', "USE test; CREATE TABLE g (id INT PRIMARY KEY)");
    pair->sql('A', "USE test; INSERT INTO g VALUES (1)");
    pair->wait_sync();
    pair->sql('B', "USE test; INSERT INTO g VALUES (2)");
    pair->wait_sync();
    EXPECT_EQ(pair->sql('A', "SELECT GROUP_CONCAT(id ORDER BY id) FROM test.g"), "1,2");
    auto a_pos = pair->sql('A', "SELECT @@gtid_binlog_pos");
    EXPECT_NE(a_pos.find("1-1-"), std::string::npos) << a_pos;
    EXPECT_NE(a_pos.find("2-2-"), std::string::npos) << a_pos;
}

TEST(SandboxVariantDetail, CompressedBinlogHoldsCompressedEvents) {
    auto pair = SandboxPair::start({"--compress", "--format", "ROW"});
    pair->sql('A', "USE test; CREATE TABLE z (id INT PRIMARY KEY, t TEXT)");
    pair->sql('A', "USE test; INSERT INTO z VALUES (1, REPEAT('compress me ', 200))");
    pair->wait_sync();
    EXPECT_EQ(pair->sql('B', "SELECT LENGTH(t) FROM test.z"), "2400");
    auto text = pair->binlog_text('A');
    EXPECT_NE(text.find("Write_compressed_rows"), std::string::npos) << text.substr(0, 3000);
}

TEST(SandboxVariantDetail, ExtraFilterRulesArePassedThrough) {
    auto pair = SandboxPair::start({"--format", "ROW", "--extra-b", "replicate-wild-ignore-table=test.skip%",
                                    "--extra", "replicate-rewrite-db=staging->test"});
    EXPECT_EQ(pair->slave_field('B', "Replicate_Wild_Ignore_Table"), "test.skip%");
    EXPECT_EQ(pair->slave_field('A', "Replicate_Wild_Ignore_Table"), "");
    EXPECT_EQ(pair->sql('B', "SELECT @@replicate_rewrite_db"), "staging->test");
    pair->sql('A', "USE test; CREATE TABLE skip_me (id INT PRIMARY KEY); CREATE TABLE keep_me (id INT PRIMARY KEY)");
    pair->wait_sync();
    pair->sql('A', "USE test; INSERT INTO keep_me VALUES (1)");
    pair->wait_sync();
    EXPECT_EQ(pair->sql('B', "SELECT COUNT(*) FROM test.keep_me"), "1");
    EXPECT_EQ(pair->sql('B', "SELECT COUNT(*) FROM information_schema.tables WHERE table_name = 'skip_me'"), "0");
}

TEST(SandboxVariantDetail, WorkloadKeepsAHealthyPairIdentical) {
    std::string workload =
        std::filesystem::path(TWINLOG_BINARY).parent_path().string() + "/workload/twinlog-workload";
    if (!std::filesystem::exists(workload)) {
        GTEST_SKIP() << "twinlog-workload not built (" << workload << ")";
    }
    auto pair = SandboxPair::start({"--format", "ROW", "--row-metadata", "FULL"});
    auto r = run_command(shell_quote(workload) + " --sandbox " + shell_quote(pair->dir()) +
                         " --seed 11 --transactions 120 --quiet");
    ASSERT_EQ(r.exit_code, 0);
    pair->wait_sync(120);
    for (const char* t : {"wl_ints", "wl_numeric", "wl_temporal", "wl_strings", "wl_binary", "wl_misc", "wl_autoinc"}) {
        std::string table = std::string("test.") + t;
        EXPECT_EQ(pair->sql('A', "CHECKSUM TABLE " + table), pair->sql('B', "CHECKSUM TABLE " + table)) << t;
        EXPECT_NE(pair->sql('A', "SELECT COUNT(*) FROM " + table), "0") << t;
    }
    // Both masters wrote: rows in A's class (odd ids) and B's (even ids).
    EXPECT_NE(pair->sql('A', "SELECT COUNT(*) FROM test.wl_ints WHERE id % 2 = 0"), "0");
    EXPECT_NE(pair->sql('A', "SELECT COUNT(*) FROM test.wl_ints WHERE id % 2 = 1"), "0");
}

}  // namespace
}  // namespace twinlog::live
