// The binlogs that Debian's mariadb-test-data ships (std_data and suite/*/std_data:
// MySQL 4.0 to 8.0, MariaDB 5.5 to 10.x, corrupt and truncated ones): each decodes
// to its end, or fails with a clean error naming the file and an offset inside the
// event that is broken; event counts and positions agree with an independent walk
// of the framing and with the event counts in the corpus' map of these files.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "tests/corpus/corpus_support.h"

namespace twinlog::corpus {
namespace {

namespace fs = std::filesystem;

const std::string kTestData = TWINLOG_MARIADB_TEST_DIR;
const std::string kMap = std::string(TWINLOG_SHARED_DIR) + "/corpus/mariadb-test-data-map.tsv";

// std_data file -> event count from the map (an independent framing walk).
std::map<std::string, uint64_t> mapped_counts() {
  std::map<std::string, uint64_t> counts;
  std::ifstream in(kMap);
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    std::vector<std::string> cols;
    std::stringstream s(line);
    std::string col;
    while (std::getline(s, col, '\t')) cols.push_back(col);
    if (cols.size() > 4 && !cols[4].empty()) counts[cols[0]] = std::stoull(cols[4]);
  }
  return counts;
}

// Every binlog-looking file under std_data directories (starts with the magic).
std::vector<std::string> test_data_binlogs() {
  std::vector<std::string> files;
  if (!fs::exists(kTestData)) return files;
  for (const auto& entry : fs::recursive_directory_iterator(kTestData)) {
    if (!entry.is_regular_file()) continue;
    const std::string path = entry.path().string();
    if (path.find("/std_data/") == std::string::npos) continue;
    std::ifstream in(path, std::ios::binary);
    char magic[4] = {};
    if (!in.read(magic, 4)) continue;
    if (static_cast<unsigned char>(magic[0]) == 0xfe && magic[1] == 'b' && magic[2] == 'i' &&
        magic[3] == 'n') {
      files.push_back(path);
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

// The files that must fail, and the reason the error must give. Every other
// binlog of the package must decode to its end.
const std::map<std::string, std::string>& expected_failures() {
  static const std::map<std::string, std::string> failures = {
      // MariaDB encrypt_binlog: events after START_ENCRYPTION are encrypted.
      {"std_data/binlog_before_20574.bin", "the binlog is encrypted"},
      // Deliberately cut (rpl_cant_read_event_incident).
      {"std_data/bug11747416_32228_binlog.000001", "truncated event: header says 65567 bytes"},
      // A QUERY event whose status-variable length runs past the event (Bug#31793).
      {"std_data/corrupt-relay-bin.000624", "expected status variables"},
      // MDEV-39404: a GTID event with a broken body; mariadb-binlog fails there too.
      {"std_data/mdev-39404-binlog.000001", "CRC32 mismatch in MARIA_GTID_EVENT"},
  };
  return failures;
}

class MariadbTestData : public ::testing::TestWithParam<std::string> {};

TEST(MariadbTestDataPresence, PackageIsInstalled) {
  ASSERT_TRUE(fs::exists(kTestData)) << "install mariadb-test-data";
  EXPECT_GE(test_data_binlogs().size(), 30u);
}

TEST_P(MariadbTestData, DecodesToTheEndOrFailsCleanly) {
  const std::string path = GetParam();
  ReadResult r = read_binlog(path, true);
  const FramingWalk walk = walk_framing(path);
  ASSERT_LE(r.offsets.size(), walk.offsets.size());
  for (std::size_t i = 0; i < r.offsets.size(); ++i)
    ASSERT_EQ(r.offsets[i], walk.offsets[i]) << "event " << i;
  const auto counts = mapped_counts();
  if (auto it = counts.find(path); it != counts.end()) {
    EXPECT_EQ(walk.offsets.size(), it->second) << "the independent walks disagree";
  }
  const uint64_t size = fs::file_size(path);
  const auto failure = expected_failures().find(path.substr(kTestData.size() + 1));
  if (failure != expected_failures().end()) {
    ASSERT_TRUE(r.error) << "expected an error saying '" << failure->second << "'";
    // A clean error: names this file, points inside it, at or after the last good event.
    EXPECT_EQ(r.error->file(), path);
    EXPECT_LE(r.error->offset(), size);
    if (!r.offsets.empty()) {
      EXPECT_GE(r.error->offset(), r.offsets.back());
    }
    EXPECT_NE(std::string(r.error->what()).find(failure->second), std::string::npos)
        << r.error->what();
    return;
  }
  ASSERT_FALSE(r.error) << r.error->what();
  EXPECT_EQ(r.offsets, walk.offsets);
  EXPECT_EQ(walk.end, size)
      << "the file has bytes after its last whole event, yet decoded without error";
}

std::string test_name(const ::testing::TestParamInfo<std::string>& info) {
  std::string s = info.param.substr(kTestData.size() + 1);
  for (char& c : s) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return s;
}

INSTANTIATE_TEST_SUITE_P(Files, MariadbTestData, ::testing::ValuesIn(test_data_binlogs()),
                         test_name);

}  // namespace
}  // namespace twinlog::corpus
