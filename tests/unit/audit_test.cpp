// twinlog audit's parts: the state file (round trip, atomic replace, clear
// errors), binlog file order, the timeline's buckets, and the command over the
// captured scenarios (findings, resuming from the state, the HTML page).
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <nlohmann/json.hpp>

#include "src/audit/audit_run.h"
#include "src/audit/audit_state.h"
#include "src/audit/timeline.h"
#include "src/checks/autoinc_check.h"
#include "src/config/server_config.h"
#include "src/report/render.h"
#include "tests/support/cli_run.h"
#include "tests/support/event_builder.h"
#include "tests/support/schema_check.h"

namespace twinlog::audit {
namespace {

namespace fs = std::filesystem;

TEST(AuditState, RoundTripAndTheFirstAudit) {
  const std::string path = testing::temp_path("twinlog-audit-state-test.json");
  fs::remove(path);
  std::string error;
  auto none = read_audit_state(path, error);
  ASSERT_TRUE(none.has_value()) << error;
  EXPECT_EQ(*none, AuditState{});
  AuditState s;
  s.a = MasterMark{"mysql-bin.000003", 1623, "0-1-6,0-2-5"};
  s.finished = 1'795'674'366;
  ASSERT_TRUE(write_audit_state(path, s, error)) << error;
  EXPECT_FALSE(fs::exists(path + ".tmp"));
  auto back = read_audit_state(path, error);
  ASSERT_TRUE(back.has_value()) << error;
  EXPECT_EQ(*back, s);
  fs::remove(path);
}

TEST(AuditState, WhatIsNotAStateIsAnErrorNamingTheFile) {
  const std::string path = testing::write_temp_file("twinlog-audit-bad-state.json", "[1, 2]");
  std::string error;
  EXPECT_FALSE(read_audit_state(path, error).has_value());
  EXPECT_EQ(error, path + ": not a twinlog audit state (not a JSON object)");
  std::ofstream(path)
      << R"({"twinlog_audit_state": 1, "a": {"file": "x", "position": -1, "gtids": ""}})";
  EXPECT_FALSE(read_audit_state(path, error).has_value());
  EXPECT_EQ(error, path +
                       ": master a: expected {\"file\": string, \"position\": unsigned integer, "
                       "\"gtids\": string}");
  fs::remove(path);
  EXPECT_FALSE(write_audit_state("/nonexistent/dir/state.json", AuditState{}, error));
  EXPECT_NE(error.find("/nonexistent/dir/state.json"), std::string::npos) << error;
}

TEST(AuditRun, BinlogFilesInTheServersOrder) {
  EXPECT_TRUE(binlog_file_before("mysql-bin.000009", "mysql-bin.000010"));
  EXPECT_TRUE(binlog_file_before("/a/b/mysql-bin.999999", "mysql-bin.1000000"));
  EXPECT_FALSE(binlog_file_before("mysql-bin.000010", "dir/mysql-bin.000010"));
  EXPECT_FALSE(binlog_file_before("mysql-bin.000011", "mysql-bin.000010"));
}

TEST(Timeline, MinutesMergeIntoAtMostAHundredAndTwentyBars) {
  TimelineCollector c;
  TransactionSummary t;
  t.server_id = 1;
  for (uint32_t minute = 0; minute < 600; ++minute) {
    t.first_timestamp = 1'700'000'040 + minute * 60;
    c.add("A", t);
  }
  t.server_id = 2;
  c.add("B", t);
  t.first_timestamp = 0;  // no time: not placed
  c.add("B", t);
  const report::Timeline tl = c.timeline();
  EXPECT_EQ(tl.bucket_seconds, 300u);  // 600 minutes in 120 bars of 5
  EXPECT_EQ(tl.buckets, 120u);
  EXPECT_EQ(tl.start, 1'700'000'040u / 60 * 60);
  ASSERT_EQ(tl.series.size(), 2u);
  uint64_t a = 0;
  for (uint64_t n : tl.series[0].counts) a += n;
  EXPECT_EQ(a, 600u);
  EXPECT_EQ(tl.series[1].counts.back(), 1u);
}

const char* const kScenarios[] = {"healthy",         "collision", "skipped-errors",
                                  "sql-log-bin-off", "cross-db",  "loop"};

// The auto-increment findings of a scenario: one check reading A's binlog and
// then B's (the sequential audit), or (`split`) a check for each, B's kept for
// merge and merged into A's (the audit's two reader threads).
std::string autoinc_findings(const std::string& name, bool split, uint64_t& keys) {
  const std::string d = std::string(TWINLOG_SAMPLES_DIR) + "/scenarios/" + name + "/";
  const config::ServerConfig a = config::read_server_config(d + "master-a.cnf", {});
  const config::ServerConfig b = config::read_server_config(d + "master-b.cnf", {});
  const auto read = [&](checks::AutoIncrementCheck& check, const std::string& reader) {
    const std::string dir = reader == "A" ? "a" : "b";
    EventStream stream(binlog_files_opener({d + dir + "/mysql-bin.000001"}), {});
    check.begin(reader);
    StreamEvent se;
    while (stream.next(se)) check.add(se);
    check.end();
  };
  checks::AutoIncrementCheck first(a, b);
  read(first, "A");
  if (split) {
    checks::AutoIncrementCheck later(a, b);
    later.keep_for_merge();
    read(later, "B");
    first.merge(std::move(later));
  } else {
    read(first, "B");
  }
  keys = first.totals().keys;
  std::string out;
  report::render_json_lines(first.findings(), out);
  return out;
}

TEST(AuditRun, AutoIncrementReadInTwoThreadsFindsWhatOneSequentialReadingFinds) {
  for (const char* name : kScenarios) {
    uint64_t keys = 0, split_keys = 0;
    const std::string sequential = autoinc_findings(name, false, keys);
    EXPECT_EQ(autoinc_findings(name, true, split_keys), sequential) << name;
    EXPECT_EQ(split_keys, keys) << name;
    if (std::string_view(name) == "collision" || std::string_view(name) == "skipped-errors") {
      EXPECT_NE(sequential.find("autoinc.collision"), std::string::npos) << name << sequential;
    }
  }
}

// Each master's binlogs opened only once the other's are being opened too: a
// reading of A's binlogs before B's would wait here for nothing, and say so.
TEST(AuditRun, BothMastersAreReadAtTheSameTime) {
  const std::string d = std::string(TWINLOG_SAMPLES_DIR) + "/scenarios/collision/";
  const config::ServerConfig ca = config::read_server_config(d + "master-a.cnf", {});
  const config::ServerConfig cb = config::read_server_config(d + "master-b.cnf", {});
  std::mutex mutex;
  std::condition_variable opened;
  int opening = 0;
  bool together = true;
  const auto opener = [&](const std::string& path) -> SourceOpener {
    return [&, files = binlog_files_opener({path})] {
      std::unique_lock lock(mutex);
      ++opening;
      opened.notify_all();
      if (!opened.wait_for(lock, std::chrono::seconds(10), [&] { return opening >= 2; })) {
        together = false;
      }
      return files();
    };
  };
  AuditMaster a{"A", &ca, opener(d + "a/mysql-bin.000001"), {}};
  AuditMaster b{"B", &cb, opener(d + "b/mysql-bin.000001"), {}};
  const AuditResult r = run_audit(a, b, {}, [](const StreamWarning&) {});
  EXPECT_TRUE(together);
  EXPECT_EQ(r.masters[0].transactions, 3u);
  EXPECT_EQ(r.masters[1].transactions, 3u);
  const auto collision = std::count_if(r.findings.begin(), r.findings.end(),
                                       [](const auto& f) { return f.code == "autoinc.collision"; });
  EXPECT_EQ(collision, 1);
}

// A first audit of a pair whose master A logged `own` transactions of its own,
// 100 a second, then (if `replicated`) one that B copies, 20 s later; B logged
// one of its own at the start.
AuditResult first_audit(uint64_t own, bool replicated) {
  const std::string d = std::string(TWINLOG_SAMPLES_DIR) + "/scenarios/healthy/";
  const config::ServerConfig ca = config::read_server_config(d + "master-a.cnf", {});
  const config::ServerConfig cb = config::read_server_config(d + "master-b.cnf", {});
  constexpr uint32_t kStart = 1700000000;
  const auto transaction = [](uint64_t seq, uint32_t server_id, uint32_t time) {
    const testing::HeaderFields h{.timestamp = time, .server_id = server_id};
    const std::string sql = "INSERT INTO t VALUES (" + std::to_string(seq) + ")";
    return std::vector<testing::ByteVec>{testing::maria_gtid_event(seq, 0, 1, h),
                                         testing::query_event("test", sql, h)};
  };
  std::vector<testing::ByteVec> a_events = {testing::make_fde()}, b_events = a_events;
  for (uint64_t seq = 1; seq <= own; ++seq) {
    for (auto& e : transaction(seq, 1, kStart + (seq - 1) / 100)) a_events.push_back(e);
  }
  for (auto& e : transaction(1, 2, kStart)) b_events.push_back(e);
  if (replicated) {
    const auto time = static_cast<uint32_t>(kStart + own / 100 + 20);
    for (auto& e : transaction(own + 1, 1, time)) {
      a_events.push_back(e);
      b_events.push_back(e);  // the copy keeps its original's server id and time
    }
  }
  const fs::path dir =
      fs::temp_directory_path() / ("twinlog-audit-before-" + std::to_string(getpid()));
  fs::create_directories(dir);
  const auto write = [&](const std::string& name, const std::vector<testing::ByteVec>& events) {
    const testing::ByteVec bytes = testing::make_binlog(events);
    std::ofstream(dir / name, std::ios::binary)
        .write(reinterpret_cast<const char*>(bytes.data()),
               static_cast<std::streamsize>(bytes.size()));
    return (dir / name).string();
  };
  AuditMaster a{"A", &ca, binlog_files_opener({write("a-bin.000001", a_events)}), {}};
  AuditMaster b{"B", &cb, binlog_files_opener({write("b-bin.000001", b_events)}), {}};
  AuditResult r = run_audit(a, b, {}, [](const StreamWarning&) {});
  fs::remove_all(dir);
  return r;
}

std::size_t count_code(const AuditResult& r, std::string_view code) {
  return static_cast<std::size_t>(std::count_if(r.findings.begin(), r.findings.end(),
                                                [&](const auto& f) { return f.code == code; }));
}

// More of A's own before replication (1,100) than the transactions held until
// replication is seen (1,024): all of them are before replication, counted and
// not compared; the replicated one is compared.
TEST(AuditRun, AFirstAuditComparesNoOwnTransactionFromBeforeReplicationWhateverTheirCount) {
  const AuditResult r = first_audit(1100, true);
  EXPECT_EQ(r.masters[0].transactions, 1101u);
  EXPECT_EQ(r.masters[0].before_replication, 1100u);
  EXPECT_EQ(r.masters[1].before_replication, 1u);
  EXPECT_EQ(count_code(r, "diff.transaction_missing"), 0u);
  EXPECT_EQ(count_code(r, "diff.rows_differ"), 0u);
}

// Without a replicated transaction in either binlog, everything is compared, past
// the 1,024 held too: A's transactions are missing from B's binlog.
TEST(AuditRun, AFirstAuditWithoutReplicationComparesEverything) {
  const AuditResult r = first_audit(1100, false);
  EXPECT_EQ(r.masters[0].before_replication, 0u);
  EXPECT_EQ(r.masters[1].before_replication, 0u);
  EXPECT_GE(count_code(r, "diff.transaction_missing"), 1u);
}

std::string scenario(const std::string& name) {
  return testing::scenario_pair_args(name);
}

TEST(AuditCli, EachScenarioGivesItsProblem) {
  auto r = testing::run_twinlog("audit --fail-on error " + scenario("healthy"));
  EXPECT_EQ(r.code, 0) << r.out << r.err;
  // The stream digests of both masters agree: an info per origin.
  EXPECT_NE(r.out.find("0 errors, 5 warnings, 2 info"), std::string::npos) << r.out;
  r = testing::run_twinlog("audit " + scenario("collision"));
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.out.find("error   autoinc.collision: both masters inserted test.t id 1"),
            std::string::npos)
      << r.out;
  r = testing::run_twinlog("audit --format json " + scenario("loop"));
  EXPECT_EQ(r.code, 1);
  auto doc = nlohmann::json::parse(r.out);
  EXPECT_EQ(doc["masters"][0]["transactions"], 467);
  EXPECT_EQ(doc["summary"]["error"], 4);
  const std::string file = testing::write_temp_file("twinlog-audit-test.json", r.out);
  EXPECT_EQ(testing::validate_json(file, false, "document"), 0);
  fs::remove(file);
}

// The diff.* findings of each scenario, as "severity code gtids" lines, and each
// master's own transactions from before the pair replicated.
std::vector<std::string> diff_findings(const std::string& name, std::vector<uint64_t>& before) {
  auto r = testing::run_twinlog("audit --format json " + scenario(name));
  const auto doc = nlohmann::json::parse(r.out);
  before.clear();
  for (const auto& m : doc["masters"]) before.push_back(m.value("before_replication", 0u));
  std::vector<std::string> out;
  for (const auto& f : doc["findings"]) {
    const std::string code = f["code"];
    if (!code.starts_with("diff.")) continue;
    std::string line = f["severity"].get<std::string>() + " " + code;
    for (const auto& e : f["evidence"]) {
      if (e.contains("gtid")) line += " " + e["gtid"].get<std::string>();
    }
    out.push_back(std::move(line));
  }
  return out;
}

TEST(AuditCli, StreamDigestsOfEachScenario) {
  using Lines = std::vector<std::string>;
  std::vector<uint64_t> before;
  // Each master's CREATE DATABASE from before the replicas started is not compared;
  // the binlogs agree, even where the tables do not (sql_log_bin=0 wrote no
  // event) or where a statement never reached a binlog (cross-db's).
  const Lines agree{"info diff.table_digest", "info diff.table_digest"};
  for (const char* name : {"healthy", "sql-log-bin-off", "cross-db"}) {
    EXPECT_EQ(diff_findings(name, before), agree) << name;
    EXPECT_EQ(before, (std::vector<uint64_t>{1, 1})) << name;
  }
  // The third server's transactions are in both binlogs alike.
  EXPECT_EQ(diff_findings("loop", before), Lines{"info diff.table_digest"});
  EXPECT_EQ(before, (std::vector<uint64_t>{1, 1}));
  // Each master's colliding INSERT is missing from the other's binlog: the replica
  // stopped on it, or skipped it under slave-skip-errors (statement format: the
  // whole transaction).
  const Lines missing{"error diff.transaction_missing 0-1-3",
                      "error diff.transaction_missing 0-2-3", "warning diff.table_digest",
                      "warning diff.table_digest"};
  for (const char* name : {"collision", "skipped-errors"}) {
    EXPECT_EQ(diff_findings(name, before), missing) << name;
  }
  const auto r = testing::run_twinlog("audit " + scenario("skipped-errors"));
  EXPECT_NE(r.out.find("option: slave_skip_errors=1062"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("1 of its own transactions from before the pair replicated not compared"),
            std::string::npos)
      << r.out;
}

TEST(AuditCli, TheStateMakesTheNextAuditReadOnFromWhereThisOneStopped) {
  const std::string state = testing::temp_path("twinlog-audit-cli-state.json");
  const std::string html = testing::temp_path("twinlog-audit-cli.html");
  fs::remove(state);
  auto r = testing::run_twinlog("audit --state " + state + " --html " + html + " " +
                                scenario("collision"));
  EXPECT_EQ(r.code, 1) << r.err;
  std::string error;
  auto s = read_audit_state(state, error);
  ASSERT_TRUE(s && s->a && s->b) << error;
  EXPECT_EQ(*s->a, (MasterMark{"mysql-bin.000001", 892, "0-1-3"}));
  std::ifstream page(html);
  const std::string text{std::istreambuf_iterator<char>(page), {}};
  // The collision's 4 errors and each master's colliding INSERT missing from the
  // other's binlog (the stream digests).
  EXPECT_NE(text.find("Divergence or a fault found: 6 errors"), std::string::npos);
  // Nothing new since: the second audit reads no transaction and finds only what
  // the configuration says.
  r = testing::run_twinlog("audit --state " + state + " " + scenario("collision"));
  EXPECT_NE(r.out.find("A: 0 transactions, 0 events, 0 bytes read"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("autoinc.collision"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("autoinc.same_class"), std::string::npos) << r.out;
  fs::remove(state);
  fs::remove(html);
}

// A scheduled audit's marks fall where they fall: here B's is before its copy
// of A's CREATE TABLE (0-1-2), which A's mark had read. That copy is not
// compared again; the collision's INSERTs after the marks are.
TEST(AuditCli, ACopyOfWhatThePeerReadBeforeItsMarkIsNotCompared) {
  const std::string state = testing::temp_path("twinlog-audit-inflight.json");
  AuditState s;
  s.a = MasterMark{"mysql-bin.000001", 664, "0-1-2"};
  s.b = MasterMark{"mysql-bin.000001", 476, "0-2-1"};
  std::string error;
  ASSERT_TRUE(write_audit_state(state, s, error)) << error;
  const auto r =
      testing::run_twinlog("audit --format json --state " + state + " " + scenario("collision"));
  const auto doc = nlohmann::json::parse(r.out);
  std::vector<std::string> missing;
  for (const auto& f : doc["findings"]) {
    if (f["code"] == "diff.transaction_missing") missing.push_back(f["evidence"][0]["gtid"]);
  }
  EXPECT_EQ(missing, (std::vector<std::string>{"0-1-3", "0-2-3"})) << r.out;
  EXPECT_EQ(doc["masters"][1]["transactions"], 2);
  fs::remove(state);
}

}  // namespace
}  // namespace twinlog::audit
