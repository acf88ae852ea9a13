// The 131 real binlogs of ../shared/corpus: every file decodes to its end and
// agrees with the independently counted facts in facts.json (event counts per
// type, events inside compressed payloads, checksums, server version) and with an
// independent walk of the framing (every event offset). A file that is broken
// (facts list anomalies) or that mariadb-binlog also rejects must fail with an
// error inside the event where the reference failed. (Row values are compared
// with mariadb-binlog's output in row_values_corpus_test.cpp.)
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "tests/corpus/corpus_support.h"

namespace twinlog::corpus {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

const std::string kCorpus = std::string(TWINLOG_SHARED_DIR) + "/corpus";

const json& facts() {
  static const json f = [] {
    std::ifstream in(kCorpus + "/facts.json");
    if (!in) return json::object();
    return json::parse(in);
  }();
  return f;
}

std::vector<std::string> corpus_files() {
  std::vector<std::string> names;
  if (facts().contains("files")) {
    for (const auto& [name, _] : facts()["files"].items()) names.push_back(name);
  }
  return names;
}

class SharedCorpus : public ::testing::TestWithParam<std::string> {};

TEST(SharedCorpusPresence, FactsAndFilesAreThere) {
  ASSERT_TRUE(fs::exists(kCorpus + "/facts.json")) << "no corpus at " << kCorpus;
  EXPECT_EQ(corpus_files().size(), 131u);
}

TEST_P(SharedCorpus, AgreesWithFacts) {
  const std::string name = GetParam();
  const json& f = facts()["files"][name];
  const std::string path = kCorpus + "/" + name;
  ReadResult r = read_binlog(path, false);
  const FramingWalk walk = walk_framing(path);

  // Every event we delivered sits where the independent walk found one.
  ASSERT_LE(r.offsets.size(), walk.offsets.size());
  for (std::size_t i = 0; i < r.offsets.size(); ++i)
    ASSERT_EQ(r.offsets[i], walk.offsets[i]) << "event " << i;

  if (f.contains("anomalies")) {
    ASSERT_TRUE(r.error) << "a file with anomalies " << f["anomalies"].dump()
                         << " decoded without error";
    EXPECT_EQ(r.error->file(), path);
    EXPECT_EQ(r.top_level_events, f["event_count"].get<uint64_t>());
    return;
  }
  const json& mb = f["mariadb_binlog"];
  if (r.error && mb["rc"] != 0 && mb["failed_at_offset_guess"].is_number()) {
    // The reference rejects this file too: we must fail in the same event.
    const uint64_t failed = mb["failed_at_offset_guess"].get<uint64_t>();
    auto it = std::find(walk.offsets.begin(), walk.offsets.end(), failed);
    ASSERT_NE(it, walk.offsets.end()) << "reference failure offset is not an event start";
    const uint64_t next = std::next(it) == walk.offsets.end() ? walk.end : *std::next(it);
    EXPECT_GE(r.error->offset(), failed) << r.error->what();
    EXPECT_LE(r.error->offset(), next) << r.error->what();
    GTEST_SKIP() << "rejected like mariadb-binlog rejects it: " << r.error->what();
  }
  ASSERT_FALSE(r.error) << r.error->what();
  EXPECT_EQ(r.offsets, walk.offsets);
  EXPECT_EQ(r.top_level_events, f["event_count"].get<uint64_t>());
  std::map<std::string, uint64_t> expected;
  for (const auto& [type, n] : f["type_counts"].items()) expected[type] = n.get<uint64_t>();
  EXPECT_EQ(r.top_level_types, expected);
  if (f.contains("payload_inner_type_counts")) {
    std::map<std::string, uint64_t> inner;
    for (const auto& [type, n] : f["payload_inner_type_counts"].items())
      inner[type] = n.get<uint64_t>();
    EXPECT_EQ(r.inner_types, inner);
    EXPECT_EQ(r.inner_events, f["payload_inner_event_count"].get<uint64_t>());
  } else {
    EXPECT_EQ(r.inner_events, 0u);
  }
  if (f.contains("crc32_ok") && f["checksum_alg"] == "CRC32") {
    EXPECT_EQ(r.checksums_verified, f["crc32_ok"].get<uint64_t>());
  }
  if (f["server_version"].is_string() && f["binlog_version"] == 4) {
    EXPECT_EQ(r.server_version, f["server_version"].get<std::string>());
  }
}

std::string test_name(const ::testing::TestParamInfo<std::string>& info) {
  std::string s = info.param;
  if (s.rfind("files/", 0) == 0) s = s.substr(6);
  for (char& c : s) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return s;
}

INSTANTIATE_TEST_SUITE_P(Files, SharedCorpus, ::testing::ValuesIn(corpus_files()), test_name);

}  // namespace
}  // namespace twinlog::corpus
