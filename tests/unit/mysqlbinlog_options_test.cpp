// mysqlbinlog's option names in twinlog decode and stats, each checked against what
// mariadb-binlog 10.11 prints for the same sample binlog (the expected positions
// and GTIDs below are mariadb-binlog's), and the options twinlog refuses.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <vector>

#include "src/print/event_selection.h"
#include "tests/support/cli_run.h"
#include "tests/support/findings.h"

namespace {

using twinlog::testing::has;

using twinlog::testing::CliRun;
using twinlog::testing::run_twinlog;

const std::string kRowFull =
    std::string(TWINLOG_SAMPLES_DIR) + "/binlogs/row-full/mysql-bin.000001";
const std::string kRowGtid =
    std::string(TWINLOG_SAMPLES_DIR) + "/binlogs/row-gtid/mysql-bin.000001";

// The "# at N" positions of decode's text, space-separated.
std::string positions(const std::string& args) {
  CliRun r = run_twinlog("decode " + args);
  EXPECT_EQ(r.code, 0) << args << ": " << r.err;
  std::istringstream lines(r.out);
  std::string line, out;
  while (std::getline(lines, line))
    if (line.starts_with("# at ")) out += (out.empty() ? "" : " ") + line.substr(5);
  return out;
}

// The GTIDs of decode's text ("0-1-3 0-2-10").
std::string gtids(const std::string& args) {
  CliRun r = run_twinlog("decode " + args);
  EXPECT_EQ(r.code, 0) << args << ": " << r.err;
  std::istringstream lines(r.out);
  std::string line, out;
  while (std::getline(lines, line)) {
    const auto at = line.find("\tGTID ");
    if (at == std::string::npos) continue;
    std::string gtid = line.substr(at + 6);
    gtid = gtid.substr(0, gtid.find(' '));
    out += (out.empty() ? "" : " ") + gtid;
  }
  return out;
}

std::string first_positions(const std::string& args, size_t n) {
  std::istringstream all(positions(args));
  std::string p, out;
  for (size_t i = 0; i < n && all >> p; ++i) out += (out.empty() ? "" : " ") + p;
  return out;
}

TEST(MysqlbinlogOptions, OffsetSkipsTheFirstEventsButTheFormatDescription) {
  EXPECT_EQ(first_positions("--offset=3 " + kRowFull, 3), "4 328 370");
  EXPECT_EQ(first_positions("-o 3 " + kRowFull, 3), "4 328 370");
  // Counted from --start-position, the format description read first counted.
  EXPECT_EQ(first_positions("--start-position=328 --offset=2 " + kRowFull, 3), "4 370 476");
  // Every event counts, those another filter drops too.
  EXPECT_EQ(first_positions("--offset=50 --server-id=2 " + kRowFull, 3), "4 98767 98809");
}

TEST(MysqlbinlogOptions, ServerIdFiltersKeepTheRotate) {
  // mariadb-binlog shows the ROTATE whatever its server_id (twinlog dropped it).
  const std::string by_id = positions("--server-id=2 " + kRowFull);
  EXPECT_TRUE(by_id.ends_with("126672 126814 127153 127184")) << by_id;
  EXPECT_EQ(positions("--do-server-ids=2 " + kRowFull), by_id);
  EXPECT_EQ(positions("--ignore-server-ids=1 " + kRowFull), by_id);
  EXPECT_EQ(positions("--do-server-ids=1,2 " + kRowFull), positions(kRowFull));
  CliRun both = run_twinlog("decode --do-server-ids=1 --ignore-server-ids=2 " + kRowFull);
  EXPECT_EQ(both.code, 2);
  EXPECT_TRUE(has(both.err, "not both")) << both.err;
  EXPECT_EQ(run_twinlog("decode --do-server-ids=1,x " + kRowFull).code, 2);
}

TEST(MysqlbinlogOptions, DomainFiltersFollowTheLastGtid) {
  // The ROTATE after the last transaction goes with that transaction's domain.
  EXPECT_EQ(positions("--do-domain-ids=0 " + kRowGtid), "4 256 285");
  EXPECT_EQ(positions("--ignore-domain-ids=0 " + kRowFull), "4 256 285");
  EXPECT_TRUE(positions("--do-domain-ids=2 " + kRowGtid).starts_with("4 256 285 5638 5680 7861 "));
  EXPECT_TRUE(positions("--do-domain-ids=2 " + kRowGtid).ends_with(" 120033 120064"));
}

TEST(MysqlbinlogOptions, GtidSelection) {
  EXPECT_EQ(gtids("--include-gtids=0-1-3,0-2-10 " + kRowFull), "0-1-3 0-2-10");
  EXPECT_FALSE(has(gtids("--exclude-gtids=0-1-3 " + kRowFull), "0-1-3 "));
  EXPECT_TRUE(has(gtids("--exclude-gtids=0-1-3 " + kRowFull), "0-1-2 0-1-4"));
  // mariadb-binlog --start-position=1-1-5,2-2-2 / --stop-position=GTID.
  EXPECT_EQ(gtids("--start-gtid=1-1-5,2-2-2 " + kRowGtid),
            "1-1-6 1-1-7 1-1-8 2-2-3 2-2-4 2-2-5 2-2-6 2-2-7");
  EXPECT_EQ(gtids("--stop-gtid=0-1-3 " + kRowFull), "0-1-1 0-1-2 0-1-3");
  EXPECT_EQ(positions("--stop-gtid=0-1-3 " + kRowFull), "4 256 285 328 370 476 518 865 907");
  EXPECT_EQ(gtids("--stop-gtid=1-1-3,2-2-3 " + kRowGtid), "1-1-1 1-1-2 1-1-3 2-2-2 2-2-3");
  CliRun bad = run_twinlog("decode --include-gtids=0-1 " + kRowFull);
  EXPECT_EQ(bad.code, 2);
  EXPECT_TRUE(has(bad.err, "--include-gtids")) << bad.err;
}

TEST(MysqlbinlogOptions, GtidPositionsInThePositionOptionsNameTheGtidOptions) {
  // mariadb-binlog -j 0-1-5 is a GTID start: twinlog's is --start-gtid.
  CliRun start = run_twinlog("decode -j 0-1-5 " + kRowFull);
  EXPECT_EQ(start.code, 2);
  EXPECT_TRUE(has(start.err, "(a GTID position is --start-gtid)")) << start.err;
  CliRun stop = run_twinlog("decode --stop-position=0-1-5 " + kRowFull);
  EXPECT_TRUE(has(stop.err, "(a GTID position is --stop-gtid)")) << stop.err;
}

TEST(MysqlbinlogOptions, GtidListTakesMariadbGtidsOneByOneAndMysqlSets) {
  auto list = twinlog::GtidList::parse("0-1-5, 0-2-7");
  ASSERT_TRUE(list.ok());
  using twinlog::protocol::MariaGtid;
  EXPECT_TRUE(list.value().contains(MariaGtid{0, 1, 5}));
  EXPECT_TRUE(list.value().contains(MariaGtid{0, 2, 7}));
  EXPECT_FALSE(list.value().contains(MariaGtid{0, 1, 4}));  // not a position
  EXPECT_FALSE(list.value().contains(MariaGtid{0, 2, 8}));
  auto mysql = twinlog::GtidList::parse("3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5:9");
  ASSERT_TRUE(mysql.ok());
  auto gtid = twinlog::protocol::parse_gtid("3e11fa47-71ca-11e1-9e33-c80aa9429562:4");
  ASSERT_TRUE(gtid.ok());
  EXPECT_TRUE(mysql.value().contains(gtid.value()));
  EXPECT_FALSE(twinlog::GtidList::parse("0-1-5,bogus").ok());
}

TEST(MysqlbinlogOptions, ShortNamesAndAliases) {
  const std::string base = positions("--start-position 518 --database test " + kRowFull);
  EXPECT_EQ(positions("-j 518 -d test " + kRowFull), base);
  EXPECT_EQ(positions("-j 518 -d test -c -f " + kRowFull), base);
  EXPECT_EQ(positions("-j 518 -d test --verify-binlog-checksum --force-read " + kRowFull), base);
  CliRun stats = run_twinlog("stats -d test --do-server-ids=2 " + kRowFull);
  EXPECT_EQ(stats.code, 0) << stats.err;
  EXPECT_TRUE(has(stats.out, "  2 ")) << stats.out;
  EXPECT_FALSE(has(stats.out, "\n  1     ")) << stats.out;
}

TEST(MysqlbinlogOptions, ResultFileTakesTheOutput) {
  namespace fs = std::filesystem;
  const fs::path out = fs::temp_directory_path() / ("twinlog-result-" + std::to_string(getpid()));
  CliRun r = run_twinlog("decode -r " + out.string() + " " + kRowFull);
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(r.out.empty());
  std::ifstream f(out);
  const std::string text{std::istreambuf_iterator<char>(f), {}};
  EXPECT_EQ(text, run_twinlog("decode " + kRowFull).out);
  fs::remove(out);
  CliRun bad = run_twinlog("stats --result-file /nonexistent-dir/x " + kRowFull);
  EXPECT_EQ(bad.code, 2);
  EXPECT_TRUE(has(bad.err, "cannot write /nonexistent-dir/x")) << bad.err;
}

TEST(MysqlbinlogOptions, RefusedOptionsSayWhatToUseInstead) {
  struct Case {
    std::string args, says;
  };
  for (const Case& c : std::vector<Case>{
           {"decode --flashback " + kRowFull, "flashback"},
           {"stats -B " + kRowFull, "flashback"},
           {"decode -D " + kRowFull, "sql_log_bin=0"},
           {"decode --raw " + kRowFull, "twinlog capture"},
           {"capture -r x --dir /tmp/x", "--dir"},
           {"decode --debug-check " + kRowFull, "no debug options"},
       }) {
    CliRun r = run_twinlog(c.args);
    EXPECT_EQ(r.code, 2) << c.args;
    EXPECT_TRUE(has(r.err, c.says)) << c.args << ": " << r.err;
    EXPECT_TRUE(r.out.empty()) << c.args;
  }
  const std::string help = run_twinlog("decode --help").out;
  EXPECT_TRUE(has(help, "--flashback")) << help;
  EXPECT_TRUE(has(help, "--login-path")) << help;
  // capture's --compress is its own, not refused.
  EXPECT_FALSE(has(run_twinlog("capture --help").out, " --compress --")) << "capture";
}

TEST(MysqlbinlogOptions, PrintDefaultsShowsTheClientGroupsWithoutThePassword) {
  const std::string cnf = twinlog::testing::write_temp_file(
      "twinlog-print-defaults.cnf",
      "[client]\nhost=127.0.0.1\npassword=secret\n[mysqlbinlog]\nuser=bob\n[twinlog]\n"
      "port=3307\n[mysqld]\nserver-id=1\n");
  for (const char* command : {"decode", "stats", "capture", "loops"}) {
    CliRun r = run_twinlog(std::string(command) + " --print-defaults --defaults-file " + cnf);
    EXPECT_EQ(r.code, 0) << command << r.err;
    EXPECT_EQ(r.out,
              "twinlog would have been started with the following arguments:\n"
              "--host=127.0.0.1 --password=***** --port=3307 \n")
        << command;
  }
  EXPECT_EQ(run_twinlog("stats --print-defaults --no-defaults").out,
            "twinlog would have been started with the following arguments:\n\n");
}

TEST(MysqlbinlogOptions, ServerFacingNamesNameTheServer) {
  // -R FILE: FILE is the server's binlog, not a local file; nothing listens on port 1.
  CliRun remote =
      run_twinlog("decode -R -h 127.0.0.1 -P 1 --connect-timeout 1 mysql-bin.000001 --to-last-log");
  EXPECT_EQ(remote.code, 2);
  EXPECT_TRUE(has(remote.err, "cannot reach 127.0.0.1:1")) << remote.err;
  CliRun both = run_twinlog("decode -h 127.0.0.1 " + kRowFull);
  EXPECT_EQ(both.code, 2);
  EXPECT_TRUE(has(both.err, "with -R")) << both.err;
  CliRun start_twice = run_twinlog("decode -R -h 127.0.0.1 --start-file a.000001 mysql-bin.000001");
  EXPECT_EQ(start_twice.code, 2);
  EXPECT_TRUE(has(start_twice.err, "not both")) << start_twice.err;
  for (const char* live_only : {"--follow", "--stop-never", "--to-last-log", "-t"}) {
    CliRun r = run_twinlog(std::string("decode ") + live_only + " " + kRowFull);
    EXPECT_EQ(r.code, 2) << live_only;
    EXPECT_TRUE(has(r.err, "is for reading from a server")) << live_only << ": " << r.err;
  }
  CliRun tcp = run_twinlog("stats --protocol=tcp -P 1 --connect-timeout 1");
  EXPECT_TRUE(has(tcp.err, "cannot reach 127.0.0.1:1")) << tcp.err;
  EXPECT_TRUE(has(run_twinlog("stats --protocol=pipe").err, "Windows"));
  EXPECT_TRUE(has(run_twinlog("stats --protocol=socket -h db1").err, "localhost only"));
  EXPECT_TRUE(has(run_twinlog("stats --protocol=tcp -S /x.sock").err, "contradict"));
  CliRun ids = run_twinlog(
      "capture -h 127.0.0.1 --stop-never-slave-server-id 7 --replica-server-id 8 --dir /tmp/x");
  EXPECT_EQ(ids.code, 2);
  EXPECT_TRUE(has(ids.err, "two different server_ids")) << ids.err;
  CliRun follow = run_twinlog(
      "capture -h 127.0.0.1 --stop-never --stop-datetime 2026-01-01 "
      "--dir /tmp/x");
  EXPECT_EQ(follow.code, 2);
  EXPECT_TRUE(has(follow.err, "--follow")) << follow.err;
}

}  // namespace

// The clients' switches take a value only attached: the word after them is a file.
TEST(MysqlbinlogOptions, TlsSwitchesDoNotTakeTheNextWord) {
  const std::string plain = run_twinlog("decode " + kRowFull).out;
  for (const char* sw : {"--ssl", "--ssl-verify-server-cert"}) {
    CliRun r = run_twinlog(std::string("decode ") + sw + " " + kRowFull);
    EXPECT_EQ(r.code, 0) << sw << ": " << r.err;
    EXPECT_EQ(r.out, plain) << sw;
  }
}
