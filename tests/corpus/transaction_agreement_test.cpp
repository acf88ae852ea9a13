// Every reader of transaction boundaries finds the same transactions: the
// assembler over decoded events (stats, the checks) and the raw-byte tracker the
// live reader resumes by and capture fsyncs by, fed what the live reader holds
// (each top-level event's bytes and the format it was read with). Over every file
// of ../shared/corpus and every samples/ binlog: the same transactions, with the
// same start and end offsets, the same incomplete ones, and the same GTIDs.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <tuple>

#include "protocol/transaction_boundary.h"
#include "src/stream/event_stream.h"
#include "src/stream/transaction.h"

namespace twinlog {
namespace {

namespace fs = std::filesystem;

struct Found {
  uint64_t start = 0;
  uint64_t end = 0;  // 0 when incomplete: the end of a transaction that never ended is no boundary
  std::string gtid;
  bool operator==(const Found&) const = default;
};

std::ostream& operator<<(std::ostream& os, const Found& f) {
  return os << f.start << "-" << f.end << (f.gtid.empty() ? "" : " ") << f.gtid;
}

Found found(const TransactionSummary& t) {
  return {t.start, t.complete ? t.end : 0, t.gtid_text()};
}

struct BothReaders {
  std::vector<Found> assembled;
  std::vector<Found> tracked;
  uint64_t events = 0;
};

BothReaders read_both(const std::string& path) {
  BothReaders r;
  EventStream stream = EventStream::from_files({path}, {});
  TransactionAssembler assembler;
  protocol::TransactionBoundaryTracker tracker;
  std::optional<Found> open;  // the tracker's open transaction
  auto close_open = [&](uint64_t end) {
    if (!open) return;
    open->end = end;
    open->gtid = end && tracker.last_completed_gtid()
                     ? protocol::to_string(*tracker.last_completed_gtid())
                     : "";
    r.tracked.push_back(*open);
    open.reset();
  };
  try {
    StreamEvent se;
    while (stream.next(se)) {
      ++r.events;
      assembler.add(se);
      if (assembler.completed()) r.assembled.push_back(found(*assembler.completed()));
      const protocol::EventView& v = *se.view;
      if (v.inner_index != 0) continue;  // the live reader holds the payload, not its events
      tracker.feed(v.raw, *se.format);
      const uint64_t end = v.offset + v.header.event_size;
      switch (tracker.last_boundary()) {
        case protocol::Boundary::kBegin:
          close_open(0);
          open = Found{v.offset, 0, {}};
          break;
        case protocol::Boundary::kEnd:
          close_open(end);
          break;
        case protocol::Boundary::kSingle:
          open = Found{v.offset, 0, {}};
          close_open(end);
          break;
        case protocol::Boundary::kNone:
        case protocol::Boundary::kInside:
          break;
      }
    }
  } catch (const SourceError&) {
    // A broken file: both readers saw the same events up to the error.
  }
  if (auto t = assembler.finish()) r.assembled.push_back(found(*t));
  close_open(0);
  return r;
}

std::vector<std::string> binlogs() {
  std::vector<std::string> files;
  const std::string corpus = std::string(TWINLOG_SHARED_DIR) + "/corpus";
  std::ifstream in(corpus + "/facts.json");
  if (in) {
    const nlohmann::json facts = nlohmann::json::parse(in);
    const std::string dir = corpus + "/";
    for (const auto& [name, _] : facts["files"].items()) files.push_back(dir + name);
  }
  const fs::path samples(TWINLOG_SAMPLES_DIR);
  if (fs::exists(samples)) {
    for (const auto& e : fs::recursive_directory_iterator(samples)) {
      if (e.is_regular_file() && e.path().filename().string().rfind("mysql-bin.0", 0) == 0) {
        files.push_back(e.path().string());
      }
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

class TransactionAgreement : public ::testing::TestWithParam<std::string> {};

TEST(TransactionAgreementInputs, CorpusAndSamplesAreThere) {
  EXPECT_GE(binlogs().size(), 131u + 7u);
}

TEST_P(TransactionAgreement, AssemblerAndRawTrackerFindTheSameTransactions) {
  const BothReaders r = read_both(GetParam());
  EXPECT_EQ(r.assembled, r.tracked);
}

std::string test_name(const ::testing::TestParamInfo<std::string>& info) {
  std::string name = fs::path(info.param).parent_path().filename().string() + "_" +
                     fs::path(info.param).filename().string();
  for (char& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return name + "_" + std::to_string(info.index);
}

INSTANTIATE_TEST_SUITE_P(Binlogs, TransactionAgreement, ::testing::ValuesIn(binlogs()), test_name);

}  // namespace
}  // namespace twinlog
