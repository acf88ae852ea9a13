// The GTID sets real servers wrote in PREVIOUS_GTIDS and GTID_LIST events, read
// into GtidSet and printed, give the text an independent walk of the corpus
// found (facts.json "previous_gtids" / "gtid_list"); the same text parses back to
// the same set.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "protocol/gtid_set.h"
#include "src/stream/event_stream.h"

namespace twinlog {
namespace {

struct Expected {
  std::string file, key, text;
};

std::vector<Expected> expected_sets() {
  std::vector<Expected> out;
  const std::string corpus = std::string(TWINLOG_SHARED_DIR) + "/corpus";
  std::ifstream in(corpus + "/facts.json");
  if (!in) return out;
  const nlohmann::json facts = nlohmann::json::parse(in);
  const std::string dir = corpus + "/";
  for (const auto& [name, f] : facts["files"].items()) {
    for (const char* key : {"previous_gtids", "gtid_list"}) {
      // The walker leaves tagged sets (8.3+) undecoded and says so instead.
      if (f.contains(key) && f[key].is_string() && !f[key].get<std::string>().empty() &&
          f[key].get<std::string>().find("not decoded") == std::string::npos) {
        out.push_back({dir + name, key, f[key].get<std::string>()});
      }
    }
  }
  return out;
}

// The set of the file's first PREVIOUS_GTIDS or GTID_LIST event.
std::optional<protocol::GtidSet> first_set_in(const std::string& path) {
  EventStream stream = EventStream::from_files({path}, {});
  StreamEvent se;
  while (stream.next(se)) {
    if (const auto* p = std::get_if<protocol::PreviousGtidsEvent>(se.event)) {
      auto set = protocol::GtidSet::from(*p);
      EXPECT_TRUE(set.ok()) << set.error().message;
      if (set.ok()) return *set;
      return std::nullopt;
    }
    if (const auto* l = std::get_if<protocol::MariaGtidListEvent>(se.event))
      return protocol::GtidSet::from(*l);
  }
  return std::nullopt;
}

TEST(GtidSetCorpus, PrintsWhatTheServersWrote) {
  const auto expected = expected_sets();
  ASSERT_GE(expected.size(), 20u);
  for (const auto& e : expected) {
    SCOPED_TRACE(e.file + " " + e.key);
    const auto set = first_set_in(e.file);
    ASSERT_TRUE(set);
    EXPECT_EQ(set->to_string(), e.text);
    auto parsed = protocol::GtidSet::parse(e.text);
    ASSERT_TRUE(parsed.ok()) << parsed.error().message;
    EXPECT_EQ(*parsed, *set);
  }
}

}  // namespace
}  // namespace twinlog
