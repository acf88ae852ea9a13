// What twinlog stats says besides the counts: each file named once, the longest
// transactions only when one took time, warnings for a file list that cannot be
// one server's binlogs in order, unknown event types read without checksums; and a
// --start-position inside an event refused with the boundaries around it.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "tests/support/cli_run.h"
#include "tests/support/findings.h"

namespace {

using twinlog::testing::has;

namespace fs = std::filesystem;
using twinlog::testing::CliRun;
using twinlog::testing::run_twinlog;

const std::string kRowFull =
    std::string(TWINLOG_SAMPLES_DIR) + "/binlogs/row-full/mysql-bin.000001";
const std::string kScenario = std::string(TWINLOG_SAMPLES_DIR) + "/scenarios/collision/";

// A copy of row-full with `edit` applied to its bytes, in a directory of its own.
class EditedBinlog {
 public:
  template <class Edit>
  EditedBinlog(const std::string& name, Edit edit)
      : dir_(fs::temp_directory_path() / ("twinlog-stats-" + std::to_string(getpid()))) {
    fs::create_directories(dir_);
    std::ifstream in(kRowFull, std::ios::binary);
    std::vector<char> bytes{std::istreambuf_iterator<char>(in), {}};
    edit(bytes);
    path_ = (dir_ / name).string();
    std::ofstream(path_, std::ios::binary).write(bytes.data(), static_cast<long>(bytes.size()));
  }
  ~EditedBinlog() { fs::remove_all(dir_); }
  const std::string& path() const { return path_; }

 private:
  fs::path dir_;
  std::string path_;
};

TEST(StatsSummary, EachFileNamedOnceAndLongestOnlyWhenOneTookTime) {
  CliRun one = run_twinlog("stats " + kRowFull);
  ASSERT_EQ(one.code, 0) << one.err;
  EXPECT_TRUE(has(one.out, "Files: 1\n  " + kRowFull + "\n")) << one.out;
  EXPECT_TRUE(has(one.out, "\nLargest transactions:\n  10950-90321  79371 bytes")) << one.out;
  EXPECT_FALSE(has(one.out, "Longest")) << one.out;  // every transaction took 0s
  EXPECT_EQ(one.out.find(kRowFull), one.out.rfind(kRowFull)) << one.out;

  // The XID of 0-2-9 (at 10919) five seconds after its GTID; its CRC32 no longer fits.
  EditedBinlog slow("slow.000001", [](std::vector<char>& b) {
    uint32_t t;
    std::memcpy(&t, b.data() + 10919, 4);
    t += 5;
    std::memcpy(b.data() + 10919, &t, 4);
  });
  CliRun longer = run_twinlog("stats --no-verify-checksum " + slow.path());
  ASSERT_EQ(longer.code, 0) << longer.err;
  EXPECT_TRUE(has(longer.out, "\nLongest transactions:\n  5638-10950  5312 bytes, 8 events, 5s"))
      << longer.out;

  CliRun two =
      run_twinlog("stats " + kScenario + "a/mysql-bin.000001 " + kScenario + "b/mysql-bin.000001");
  ASSERT_EQ(two.code, 0) << two.err;
  EXPECT_TRUE(has(two.out, "  [1] " + kScenario + "a/mysql-bin.000001\n  [2] " + kScenario +
                               "b/mysql-bin.000001\n"))
      << two.out;
  EXPECT_TRUE(has(two.out, "\n  [1] 664-892  228 bytes")) << two.out;
}

TEST(StatsSummary, WarnsAboutFileListsThatAreNotOneServersBinlogsInOrder) {
  const std::string a = kScenario + "a/mysql-bin.000001";
  const std::string b = kScenario + "b/mysql-bin.000001";
  CliRun mixed = run_twinlog("stats " + a + " " + b);
  EXPECT_EQ(mixed.code, 0);
  EXPECT_TRUE(has(mixed.out, "Warning: files of two servers mixed: " + a +
                                 " was written by server_id 1, " + b + " by server_id 2"))
      << mixed.out;
  CliRun mixed_json = run_twinlog("stats --format json " + a + " " + b);
  EXPECT_TRUE(has(mixed_json.err, "warning: files of two servers mixed")) << mixed_json.err;

  CliRun twice = run_twinlog("stats " + a + " " + a);
  EXPECT_TRUE(has(twice.err, a + " is given twice")) << twice.err;
  EXPECT_FALSE(has(twice.out, "two servers")) << twice.out;

  EditedBinlog second("mysql-bin.000002", [](std::vector<char>&) {});
  const std::string first = fs::path(second.path()).replace_filename("mysql-bin.000001").string();
  fs::copy_file(kRowFull, first);
  CliRun backwards = run_twinlog("stats " + second.path() + " " + first);
  EXPECT_TRUE(has(backwards.err,
                  first + " is given after " + second.path() + ": the files are out of order"))
      << backwards.err;
  CliRun in_order = run_twinlog("stats " + first + " " + second.path());
  EXPECT_FALSE(has(in_order.err, "out of order")) << in_order.err;
  EXPECT_FALSE(has(run_twinlog("stats " + kRowFull).err, "warning")) << "one file";
}

TEST(StatsSummary, UnknownTypesReadWithoutChecksumsAreSaidToBeSo) {
  // The GTID_LIST at 256 given type 200: with its CRC32 checked, a mismatch.
  EditedBinlog unknown("unknown.000001", [](std::vector<char>& b) { b[256 + 4] = char(200); });
  CliRun r = run_twinlog("stats --no-verify-checksum " + unknown.path());
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(has(r.out, "Warning: 1 events of unknown type were read without checksums")) << r.out;
  EXPECT_FALSE(has(run_twinlog("stats " + kRowFull).out, "Warning")) << "clean file";
}

TEST(StatsSummary, StartPositionInsideAnEventIsAnErrorUnlessForceRead) {
  // mariadb-binlog --start-position=371 fails there too ("Could not read entry at
  // offset 371"); twinlog names the boundaries around it.
  for (const char* command : {"stats", "decode"}) {
    CliRun r = run_twinlog(std::string(command) + " --start-position 371 " + kRowFull);
    EXPECT_EQ(r.code, 2) << command;
    EXPECT_TRUE(has(r.err, "--start-position 371 is inside the event at 370 of " + kRowFull +
                               ": the nearest event boundaries are 370 and 476"))
        << command << ": " << r.err;
  }
  EXPECT_TRUE(run_twinlog("stats --start-position 371 " + kRowFull).out.empty());
  CliRun forced = run_twinlog("decode --force-read --start-position 371 " + kRowFull);
  EXPECT_EQ(forced.code, 0) << forced.err;
  EXPECT_TRUE(has(forced.out, "# at 476\n")) << forced.out;
  EXPECT_FALSE(has(forced.out, "# at 370\n")) << forced.out;
  EXPECT_EQ(run_twinlog("decode --start-position 370 " + kRowFull).code, 0);
}

}  // namespace
