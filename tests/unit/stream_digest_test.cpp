// The diff engine over binlogs built event by event: the row digests (order does
// not matter, the same edit to two rows does not cancel), and A's and B's binlogs
// aligned and compared (a missing transaction, a rows event a copy lacks, rows that
// differ, a transaction the peer filters, copies without GTIDs, statements, what a
// live peer has not executed yet) with memory held to the transactions in flight.
#include "src/checks/stream_digest.h"

#include <gtest/gtest.h>
#include <zstd.h>

#include <algorithm>
#include <array>
#include <filesystem>
#include <optional>

#include "src/checks/diff_run.h"
#include "src/source/memory_source.h"
#include "tests/support/cli_run.h"
#include "tests/support/config_text.h"
#include "tests/support/event_builder.h"
#include "tests/support/findings.h"

namespace twinlog::checks {
namespace {

using twinlog::testing::has;
using twinlog::testing::with_code;

using config::ServerConfig;
using protocol::EventType;
using report::Finding;
using report::Severity;
using testing::ByteVec;
using testing::HeaderFields;

using testing::config_of;

const char* kA = "[mysqld]\nserver-id=1\nlog-bin\nlog-slave-updates\n";
const char* kB = "[mysqld]\nserver-id=2\nlog-bin\nlog-slave-updates\n";

// Rows of a one-INT-column table: the null bitmap, then the value.
ByteVec int_rows(std::initializer_list<int32_t> values) {
  ByteVec out;
  for (int32_t v : values) {
    out.push_back(std::byte{0});
    for (int i = 0; i < 4; ++i) out.push_back(static_cast<std::byte>((v >> (8 * i)) & 0xff));
  }
  return out;
}

struct Change {
  EventType type = EventType::kWriteRowsV1;
  std::vector<int32_t> values;  // an UPDATE: before, after, before, after...
  std::string_view table = "t";
};

// A MariaDB transaction: GTID seq (origin `server_id`), a table map and rows event
// per change, XID.
void transaction(std::vector<ByteVec>& out, uint64_t seq, uint32_t server_id,
                 const std::vector<Change>& changes, uint32_t timestamp = 1700000000) {
  HeaderFields h;
  h.server_id = server_id;
  h.timestamp = timestamp;
  out.push_back(testing::maria_gtid_event(seq, 0, 0, h));
  uint64_t table_id = 40;
  for (const Change& c : changes) {
    ++table_id;
    out.push_back(testing::table_map_event({.table_id = table_id,
                                            .table = c.table,
                                            .types = testing::byte_vec({3}),
                                            .nulls = testing::byte_vec({0})},
                                           h));
    ByteVec rows;
    for (int32_t v : c.values) {
      const ByteVec one = int_rows({v});
      rows.insert(rows.end(), one.begin(), one.end());
    }
    out.push_back(testing::rows_event(c.type, {.table_id = table_id, .rows = rows}, h));
  }
  out.push_back(testing::xid_event(seq, h));
}

ByteVec binlog_of(const std::vector<ByteVec>& events) {
  std::vector<ByteVec> all{testing::make_fde()};
  all.insert(all.end(), events.begin(), events.end());
  return testing::make_binlog(all);
}

struct Pair {
  ServerConfig a = config_of(kA, "a.cnf"), b = config_of(kB, "b.cnf");
  std::vector<ByteVec> a_events, b_events;
  std::optional<BinlogPosition> a_applied_by_b;  // a live B's replica position in A's binlog

  // `files`: the binlogs written to files and read by path (rows to show are read
  // again from them), else read from memory (rows to show are copied).
  DiffResult run(bool files = false) const {
    const ByteVec a_file = binlog_of(a_events), b_file = binlog_of(b_events);
    if (files) {
      const std::string a_path = testing::write_temp_file(
          "twinlog-diff-a-bin.000001",
          std::string(reinterpret_cast<const char*>(a_file.data()), a_file.size()));
      const std::string b_path = testing::write_temp_file(
          "twinlog-diff-b-bin.000001",
          std::string(reinterpret_cast<const char*>(b_file.data()), b_file.size()));
      DiffResult r = run_diff(
          {binlog_files_opener({a_path}), &a, {}}, {binlog_files_opener({b_path}), &b, {}}, {},
          DiffAligner::kDefaultMaxLag, [](const std::string&, const StreamWarning&) {});
      std::filesystem::remove(a_path);
      std::filesystem::remove(b_path);
      return r;
    }
    DiffSide sa{
        memory_binlog_opener("a-bin.000001", ByteSpan(a_file.data(), a_file.size())), &a, {}};
    DiffSide sb{
        memory_binlog_opener("b-bin.000001", ByteSpan(b_file.data(), b_file.size())), &b, {}};
    sa.applied_by_peer = a_applied_by_b;
    sa.applied_source = "B's SHOW ALL SLAVES STATUS";
    return run_diff(std::move(sa), std::move(sb), {}, DiffAligner::kDefaultMaxLag,
                    [](const std::string&, const StreamWarning&) {});
  }
};

// The digests of the one transaction of `events`.
std::vector<TableDigest> digests_of(const std::vector<ByteVec>& events) {
  const ByteVec file = binlog_of(events);
  EventStream stream(memory_binlog_opener("x", ByteSpan(file.data(), file.size())), {});
  const ServerConfig a = config_of(kA, "a.cnf"), b = config_of(kB, "b.cnf");
  StreamDigest digest(a, b, "A", "B");
  std::vector<TableDigest> out;
  StreamEvent se;
  while (stream.next(se)) {
    if (DigestedTransaction* t = digest.add(se)) out = t->tables;
  }
  return out;
}

TEST(StreamDigest, OrderAndEventSplitDoNotMatterButValuesDo) {
  std::vector<ByteVec> one, swapped, split, edited;
  transaction(one, 1, 1, {{.values = {1, 2, 3}}});
  transaction(swapped, 1, 1, {{.values = {3, 1, 2}}});
  transaction(split, 1, 1, {{.values = {2}}, {.values = {3, 1}}});
  transaction(edited, 1, 1, {{.values = {1, 2, 4}}});
  const auto d = digests_of(one);
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].table, "test.t");
  EXPECT_EQ(d[0].rows, 3u);
  EXPECT_EQ(digests_of(swapped)[0].sum, d[0].sum);
  EXPECT_EQ(digests_of(split)[0].sum, d[0].sum);
  EXPECT_NE(digests_of(edited)[0].sum, d[0].sum);
}

TEST(StreamDigest, TheSameEditToTwoRowsDoesNotCancel) {
  // Under a XOR of linear row checksums, changing two rows the same way leaves the
  // combination as it was; a sum of XXH3 hashes does not.
  std::vector<ByteVec> before, after, kind;
  transaction(before, 1, 1, {{.values = {17, 90321}}});
  transaction(after, 1, 1, {{.values = {17 ^ 4, 90321 ^ 4}}});
  transaction(kind, 1, 1, {{.type = EventType::kDeleteRowsV1, .values = {17, 90321}}});
  const uint64_t sum = digests_of(before)[0].sum;
  EXPECT_NE(digests_of(after)[0].sum, sum);
  EXPECT_NE(digests_of(kind)[0].sum, sum);  // the change type is part of the encoding
}

TEST(DiffAligner, CopiesThatAgreeGiveNoDifference) {
  Pair p;
  transaction(p.a_events, 1, 1, {{.values = {1, 2}}});
  transaction(p.b_events, 1, 2, {{.values = {5}}});
  transaction(p.b_events, 1, 1, {{.values = {2}}, {.values = {1}}});  // A's, logged again by B
  transaction(p.a_events, 1, 2, {{.values = {5}}});                   // B's, logged again by A
  const DiffResult r = p.run();
  EXPECT_TRUE(r.errors.empty());
  EXPECT_EQ(r.totals.paired, 2u);
  EXPECT_EQ(r.totals.differing, 0u);
  EXPECT_EQ(report::exit_code_for(r.findings, Severity::kWarning), 0);
  const auto digests = with_code(r.findings, "diff.table_digest");
  ASSERT_EQ(digests.size(), 2u);  // test.t from server 1, and from server 2
  EXPECT_TRUE(has(digests[0]->message, "test.t, changes from server 1: A's and B's binlogs agree"))
      << digests[0]->message;
  EXPECT_EQ(digests[0]->evidence[0].statement, digests[0]->evidence[1].statement);
}

TEST(DiffAligner, ATransactionMissingFromThePeer) {
  Pair p;
  transaction(p.a_events, 1, 1, {{.values = {1}}});
  transaction(p.a_events, 2, 1, {{.values = {2}}});
  transaction(p.b_events, 1, 1, {{.values = {1}}});
  const DiffResult r = p.run();
  const auto missing = with_code(r.findings, "diff.transaction_missing");
  ASSERT_EQ(missing.size(), 1u);
  EXPECT_EQ(missing[0]->severity, Severity::kError);
  EXPECT_TRUE(has(missing[0]->message, "is not in B's binlog")) << missing[0]->message;
  EXPECT_EQ(missing[0]->evidence[0].server, "A");
  EXPECT_EQ(missing[0]->evidence[0].gtid, "0-1-2");
  EXPECT_EQ(missing[0]->evidence[0].table, "test.t");
  EXPECT_EQ(r.totals.missing[0], 1u);
  EXPECT_EQ(r.totals.missing[1], 0u);
  const auto digests = with_code(r.findings, "diff.table_digest");
  ASSERT_EQ(digests.size(), 1u);
  EXPECT_EQ(digests[0]->severity, Severity::kWarning);
}

TEST(DiffAligner, PastWhatThePeerHasExecutedIsInFlightNotMissing) {
  Pair p;
  for (uint64_t seq = 1; seq <= 4; ++seq) transaction(p.a_events, seq, 1, {{.values = {1}}});
  transaction(p.b_events, 1, 1, {{.values = {1}}});
  const DiffResult offline = p.run();
  const auto all_missing = with_code(offline.findings, "diff.transaction_missing");
  ASSERT_EQ(all_missing.size(), 3u);
  ASSERT_TRUE(all_missing[1]->evidence[0].start);
  // B's SQL thread has executed A's binlog up to where 0-1-3 starts: 0-1-2 is lost,
  // 0-1-3 and 0-1-4 are on their way.
  p.a_applied_by_b = BinlogPosition{"a-bin.000001", *all_missing[1]->evidence[0].start};
  const DiffResult r = p.run();
  const auto missing = with_code(r.findings, "diff.transaction_missing");
  ASSERT_EQ(missing.size(), 1u);
  EXPECT_EQ(missing[0]->evidence[0].gtid, "0-1-2");
  const auto in_flight = with_code(r.findings, "diff.in_flight");
  ASSERT_EQ(in_flight.size(), 1u);
  EXPECT_EQ(in_flight[0]->severity, Severity::kInfo);
  EXPECT_TRUE(has(in_flight[0]->message, "2 transactions of A's binlog not in B's yet"))
      << in_flight[0]->message;
  EXPECT_TRUE(has(in_flight[0]->message, "a-bin.000001:")) << in_flight[0]->message;
  ASSERT_EQ(in_flight[0]->evidence.size(), 2u);
  EXPECT_EQ(in_flight[0]->evidence[0].gtid, "0-1-3");
  EXPECT_EQ(in_flight[0]->evidence[1].gtid, "0-1-4");
  EXPECT_EQ(r.totals.missing[0], 1u);
  EXPECT_EQ(r.totals.in_flight[0], 2u);
  // A later file than the one the replica executes is past it too.
  p.a_applied_by_b = BinlogPosition{"a-bin.000000", 4};
  EXPECT_EQ(p.run().totals.in_flight[0], 3u);
}

TEST(DiffAligner, AWholeRowsEventTheCopyLacksIsNamed) {
  // slave_skip_errors=1062: B skipped the second rows event of A's transaction.
  Pair p;
  transaction(p.a_events, 1, 1, {{.values = {1, 2}}, {.values = {7}, .table = "u"}});
  transaction(p.b_events, 1, 1, {{.values = {1, 2}}});
  const DiffResult r = p.run();
  const auto lacks = with_code(r.findings, "diff.rows_event_missing");
  ASSERT_EQ(lacks.size(), 1u);
  EXPECT_TRUE(has(lacks[0]->message,
                  "B's copy of a transaction lacks a whole rows event of A's "
                  "(test.u, 1 row, at A position"))
      << lacks[0]->message;
  EXPECT_EQ(lacks[0]->evidence[0].statement, "(@1=7)");
  EXPECT_TRUE(with_code(r.findings, "diff.rows_differ").empty());
  EXPECT_EQ(r.totals.differing, 1u);
}

TEST(DiffAligner, RowsThatDifferAreShownSideBySide) {
  Pair p;
  transaction(p.a_events, 1, 1, {{.type = EventType::kUpdateRowsV1, .values = {1, 10, 2, 20}}});
  transaction(p.b_events, 1, 1, {{.type = EventType::kUpdateRowsV1, .values = {1, 10, 2, 21}}});
  for (const bool files : {false, true}) {
    const DiffResult r = p.run(files);
    const auto differ = with_code(r.findings, "diff.rows_differ");
    ASSERT_EQ(differ.size(), 1u);
    EXPECT_TRUE(has(differ[0]->message, "1 row only in A's, 1 row only in B's"))
        << differ[0]->message;
    ASSERT_EQ(differ[0]->evidence.size(), 2u);
    EXPECT_EQ(differ[0]->evidence[0].server, "A");
    EXPECT_EQ(differ[0]->evidence[0].statement, "(@1=2) -> (@1=20)") << files;
    EXPECT_EQ(differ[0]->evidence[1].server, "B");
    EXPECT_EQ(differ[0]->evidence[1].statement, "(@1=2) -> (@1=21)") << files;
  }
}

// A zstd-compressed binlog named as a plain one (no .zst): reading knows it by
// its magic number, so its offsets are in the decompressed bytes and the rows to
// show cannot be read again from the file by offset; they are copied while held.
// Whether a file can be read again is its opened source's to say, not its name's.
TEST(DiffAligner, RowsOfAZstdBinlogWithoutTheSuffixAreShown) {
  Pair p;
  transaction(p.a_events, 1, 1, {{.type = EventType::kUpdateRowsV1, .values = {1, 10, 2, 20}}});
  transaction(p.b_events, 1, 1, {{.type = EventType::kUpdateRowsV1, .values = {1, 10, 2, 21}}});
  const ByteVec a_file = binlog_of(p.a_events), b_file = binlog_of(p.b_events);
  ByteVec b_zstd(ZSTD_compressBound(b_file.size()));
  b_zstd.resize(ZSTD_compress(b_zstd.data(), b_zstd.size(), b_file.data(), b_file.size(), 3));
  const auto text = [](const ByteVec& v) {
    return std::string(reinterpret_cast<const char*>(v.data()), v.size());
  };
  const std::string a_path = testing::write_temp_file("twinlog-zdiff-a-bin.000001", text(a_file));
  const std::string b_path = testing::write_temp_file("twinlog-zdiff-b-bin.000001", text(b_zstd));
  const DiffResult r =
      run_diff({binlog_files_opener({a_path}), &p.a, {}}, {binlog_files_opener({b_path}), &p.b, {}},
               {}, DiffAligner::kDefaultMaxLag, [](const std::string&, const StreamWarning&) {});
  const auto differ = with_code(r.findings, "diff.rows_differ");
  ASSERT_EQ(differ.size(), 1u);
  ASSERT_EQ(differ[0]->evidence.size(), 2u);
  EXPECT_EQ(differ[0]->evidence[0].statement, "(@1=2) -> (@1=20)");
  EXPECT_EQ(differ[0]->evidence[1].statement, "(@1=2) -> (@1=21)");

  // The command, given the files by path.
  const std::string a_cnf = testing::write_temp_file("twinlog-zdiff-a.cnf", kA);
  const std::string b_cnf = testing::write_temp_file("twinlog-zdiff-b.cnf", kB);
  std::string args = "diff --a-cnf ";
  args.append(a_cnf).append(" --b-cnf ").append(b_cnf).append(" --a-binlogs ").append(a_path);
  args.append(" --b-binlogs ").append(b_path);
  const auto cli = testing::run_twinlog(args);
  EXPECT_EQ(cli.code, 1) << cli.out << cli.err;
  EXPECT_TRUE(has(cli.out, "(@1=2) -> (@1=21)")) << cli.out;
  EXPECT_FALSE(has(cli.out, "does not decode")) << cli.out;
  for (const std::string& f : {a_path, b_path, a_cnf, b_cnf}) std::filesystem::remove(f);
}

TEST(DiffAligner, ATransactionThePeerFiltersIsNotMissing) {
  Pair p;
  p.b = config_of(std::string(kB) + "replicate-ignore-db=scratch\n", "b.cnf");
  std::vector<ByteVec> scratch;
  HeaderFields h;
  h.server_id = 1;
  h.timestamp = 1700000000;
  p.a_events.push_back(testing::maria_gtid_event(1, 0, 0, h));
  p.a_events.push_back(testing::table_map_event(
      {.db = "scratch", .types = testing::byte_vec({3}), .nulls = testing::byte_vec({0})}, h));
  p.a_events.push_back(testing::rows_event(EventType::kWriteRowsV1, {.rows = int_rows({1})}, h));
  p.a_events.push_back(testing::xid_event(1, h));
  const DiffResult r = p.run();
  EXPECT_TRUE(with_code(r.findings, "diff.transaction_missing").empty());
  const auto filtered = with_code(r.findings, "diff.filtered");
  ASSERT_EQ(filtered.size(), 1u);
  EXPECT_EQ(filtered[0]->severity, Severity::kInfo);
  EXPECT_TRUE(has(filtered[0]->message,
                  "1 transaction of A's binlog (scratch.t) not in B's, "
                  "filtered as configured: replicate-ignore-db=scratch"))
      << filtered[0]->message;
  EXPECT_EQ(r.totals.filtered[0], 1u);
  EXPECT_EQ(report::exit_code_for(r.findings, Severity::kWarning), 0);
}

TEST(DiffAligner, CopiesWithoutGtidsArePairedByContent) {
  Pair p;
  HeaderFields h;
  h.server_id = 1;
  h.timestamp = 1700000000;
  testing::QueryFields q;
  q.thread_id = 5;
  p.a_events.push_back(testing::make_event(
      EventType::kQuery, testing::query_body("test", "INSERT INTO t VALUES (1)", q), h));
  q.thread_id = 9;  // the applier's thread in B
  p.b_events.push_back(testing::make_event(
      EventType::kQuery, testing::query_body("test", "INSERT INTO t VALUES (1)", q), h));
  const DiffResult r = p.run();
  EXPECT_EQ(r.totals.paired, 1u);
  EXPECT_TRUE(with_code(r.findings, "diff.transaction_missing").empty());
  const auto digests = with_code(r.findings, "diff.table_digest");
  ASSERT_EQ(digests.size(), 1u);
  EXPECT_TRUE(has(digests[0]->message,
                  "test.t, changes from server 1: A's and B's "
                  "binlogs agree (compared by statement, not by rows)"))
      << digests[0]->message;
}

TEST(DiffAligner, MemoryHoldsTheTransactionsInFlightNotTheBinlogs) {
  // 3000 transactions of A, each logged again by B a few transactions later.
  Pair p;
  constexpr int kCount = 3000, kLag = 3;
  for (int i = 1; i <= kCount + kLag; ++i) {
    const auto ts = static_cast<uint32_t>(1700000000 + i / 10);
    if (i <= kCount) transaction(p.a_events, i, 1, {{.values = {i}}}, ts);
    if (i > kLag) {
      const int j = i - kLag;
      transaction(p.b_events, j, 1, {{.values = {j}}}, static_cast<uint32_t>(1700000000 + j / 10));
    }
  }
  const DiffResult r = p.run();
  EXPECT_EQ(r.totals.paired, static_cast<uint64_t>(kCount));
  EXPECT_EQ(r.totals.differing, 0u);
  EXPECT_LE(r.peak_held, 20u);
}

// A transaction of A's binlog with GTID 0-1-`seq`, one row of table test.t.
DigestedTransaction digested(uint64_t seq, uint32_t timestamp) {
  DigestedTransaction t;
  t.summary.gtid = protocol::MariaGtid{0, 1, seq};
  t.summary.server_id = 1;
  t.summary.first_timestamp = timestamp;
  t.tables.push_back({.table = "test.t", .sum = seq, .rows = 1});
  return t;
}

TEST(DiffAligner, ItsBookkeepingHoldsTheTransactionsInFlightNotAnHourOfThem) {
  // 20000 transactions, ten a second (over half an hour of binlog, under the
  // default max lag of an hour), B's copies 500 transactions behind A's.
  const ServerConfig a = config_of(kA, "a.cnf"), b = config_of(kB, "b.cnf");
  DiffAligner aligner(a, b);
  std::array<uint64_t, 2> spent{};
  aligner.on_spent([&](int side, TransactionPtr) { ++spent[side]; });
  constexpr uint64_t kCount = 20000, kLag = 500;
  std::size_t most_held = 0, most_arrivals = 0;
  for (uint64_t i = 1; i <= kCount + kLag; ++i) {
    if (i <= kCount) aligner.add(0, digested(i, static_cast<uint32_t>(1700000000 + i / 10)));
    if (i > kLag) {
      const uint64_t j = i - kLag;
      aligner.add(1, digested(j, static_cast<uint32_t>(1700000000 + j / 10)));
    }
    most_held = std::max(most_held, aligner.held());
    most_arrivals = std::max(most_arrivals, aligner.arrivals());
  }
  aligner.finish();
  EXPECT_EQ(aligner.totals().paired, kCount);
  EXPECT_EQ(aligner.totals().differing, 0u);
  EXPECT_EQ(spent[0], kCount);
  EXPECT_EQ(spent[1], kCount);
  EXPECT_LE(most_held, kLag + 1);
  EXPECT_LE(most_arrivals, kLag + 1);
  EXPECT_EQ(aligner.arrivals(), 0u);
}

}  // namespace
}  // namespace twinlog::checks
