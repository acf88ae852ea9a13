// Every event of every real binlog in the corpus decodes, except the few that
// are known to be bad (and those fail with an error inside the event).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>

#include "protocol/events.h"
#include "tests/support/event_decode.h"

namespace twinlog::protocol {
namespace {

// file (under the corpus files/ folder) -> offsets of events that must fail.
const std::map<std::string, std::set<uint64_t>> kKnownBad = {
    // A relay log with a corrupt QUERY (mariadb-binlog stops there too).
    {"blackbeam__rust_mysql_common/test-data__binlogs__corrupt-relay-bin.000624", {91204}},
    // A 5.2 development tree whose type codes 18-20 meant other events than in any
    // release (mariadb-binlog stops there too).
    {"blackbeam__rust_mysql_common/test-data__binlogs__ver_5_1-wl2325_r.001", {549, 650}},
    {"blackbeam__rust_mysql_common/test-data__binlogs__ver_5_1-wl2325_s.001", {411}},
};

// MANIFEST.tsv: file -> event count from an independent framing walk.
std::map<std::string, std::size_t> manifest_event_counts() {
  std::map<std::string, std::size_t> out;
  std::ifstream in("/work/shared/corpus/MANIFEST.tsv");
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    std::vector<std::string> cols;
    std::stringstream ss(line);
    std::string col;
    while (std::getline(ss, col, '\t')) cols.push_back(col);
    if (cols.size() < 9 || cols[0].rfind("files/", 0) != 0) continue;
    out[cols[0].substr(6)] = std::stoul(cols[8]);
  }
  return out;
}

TEST(EventDecodersCorpus, EveryEventOfEveryFileDecodes) {
  const auto counts = manifest_event_counts();
  ASSERT_GT(counts.size(), 100u);
  std::size_t files = 0, decoded = 0;
  for (const auto& [name, count] : counts) {
    const auto bytes = testing::read_file_bytes(testing::kCorpus + name);
    const auto events = testing::decode_file(bytes);
    ++files;
    EXPECT_EQ(events.size(), count) << name;
    const auto bad = kKnownBad.count(name) ? kKnownBad.at(name) : std::set<uint64_t>{};
    for (const auto& e : events) {
      if (bad.count(e.offset)) {
        ASSERT_FALSE(e.event.ok()) << name << " @" << e.offset;
        EXPECT_GE(e.event.error().offset, e.offset);
        continue;
      }
      EXPECT_TRUE(e.event.ok()) << name << " @" << e.offset << " type " << int(e.type) << ": "
                                << (e.event.ok() ? "" : e.event.error().message);
      if (!e.event.ok()) continue;
      ++decoded;
      // No corpus event is of a type twinlog does not know, except Aurora's padding (100).
      if (std::holds_alternative<UnknownEvent>(e.event.value())) {
        EXPECT_EQ(e.type, 100) << name;
      }
      if (auto* q = std::get_if<QueryEvent>(&e.event.value())) {
        EXPECT_FALSE(q->status.unknown_code.has_value()) << name << " @" << e.offset;
      }
    }
  }
  EXPECT_GT(files, 100u);
  EXPECT_GT(decoded, 20000u);
}

}  // namespace
}  // namespace twinlog::protocol
