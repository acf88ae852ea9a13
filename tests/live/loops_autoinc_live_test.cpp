// `twinlog loops` and `twinlog autoinc` against real pairs driven into each case
// of the proof: a healthy pair under a workload on both masters (no
// finding at warning or above), then on the same pair a third server feeding A
// so that its transaction circulates (ROW and STATEMENT), a session overriding
// auto_increment_offset (STATEMENT), the collision and skipped-errors scenarios
// (live and their captures give the same findings) and a write made with
// sql_log_bin=0 (nothing to report: the binlogs never saw it).
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <sstream>

#include "tests/live/check_output.h"
#include "tests/live/sandbox_pair.h"
#include "tests/support/cli_run.h"

namespace twinlog::live {
namespace {

namespace fs = std::filesystem;

// Both commands, --fail-on warning: exit 0 and nothing at warning or above.
void expect_nothing_at_warning(const SandboxPair& pair) {
  for (const std::string command : {"loops", "autoinc"}) {
    const Output out = run_check(command, live_pair(pair) + " --fail-on warning");
    EXPECT_EQ(out.code, 0) << command << ":\n" << dump(out);
    for (const auto& f : out.findings) {
      EXPECT_EQ(f["severity"], "info") << command << ": " << f.dump();
    }
  }
}

// Seeded transactions on both masters (wl_autoinc takes auto-increment ids on
// A and on B), then both masters in sync.
void run_workload(const SandboxPair& pair, int seed) {
  const std::string workload = std::string(TWINLOG_BINARY_DIR) + "/tools/workload/twinlog-workload";
  auto r = run_command(workload + " --sandbox " + shell_quote(pair.dir()) + " --seed " +
                       std::to_string(seed) + " --transactions 300 --quiet");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  pair.wait_sync();
  // Without ids from both classes (A odd, B even) "no finding" would prove little.
  ASSERT_EQ(
      pair.sql('A', "SELECT SUM(id % 2 = 1) > 0 AND SUM(id % 2 = 0) > 0 FROM test.wl_autoinc"),
      "1");
}

// C (server-id 3) feeds A through connection "c". A row insert into a table
// without a key applies again on every round under ROW as under STATEMENT, so
// C's transaction goes A -> B -> A ... until A's replicas are stopped. The
// CREATE TABLE comes back round too: IF NOT EXISTS keeps it from stopping A.
// (tools/scenarios/loop.sh starts its pair with --format STATEMENT, which wins
// over SANDBOX_BINLOG_FORMAT, so the loop is driven here for both formats.)
void drive_third_server_loop(const SandboxPair& pair, const std::string& format) {
  pair.sandbox_or_throw("connect A C c");
  pair.sql('C', "USE test; CREATE TABLE IF NOT EXISTS loop_nokey (v INT NOT NULL)");
  ASSERT_TRUE(pair.eventually([&] {
    return pair.sql('B',
                    "SELECT COUNT(*) FROM information_schema.tables WHERE "
                    "table_schema='test' AND table_name='loop_nokey'") == "1";
  }));
  pair.sql('C',
           "SET SESSION binlog_format=" + format + "; USE test; INSERT INTO loop_nokey VALUES (1)");
  EXPECT_TRUE(pair.eventually([&] {
    return std::stoi(pair.sql('A', "SELECT COUNT(*) FROM test.loop_nokey")) >= 5;
  })) << "C's transaction did not go round under "
      << format;
  pair.sql('A', "STOP ALL SLAVES");
  pair.sql('B', "STOP SLAVE");
}

void expect_third_server_loop_found(const SandboxPair& pair, const std::string& format) {
  const Output out = run_check("loops", live_pair(pair));
  EXPECT_EQ(out.code, 1) << dump(out);
  const auto duplicates = with_code(out, "loop.duplicate_transaction");
  std::set<std::string> servers;
  for (const auto& f : duplicates) {
    if (f["evidence"][0].value("origin_server_id", 0) == 3)
      servers.insert(f["evidence"][0]["server"]);
  }
  EXPECT_EQ(servers, (std::set<std::string>{"A", "B"})) << format << ":\n" << dump(out);
  EXPECT_FALSE(with_code(out, "loop.foreign_server_id").empty()) << format << ":\n" << dump(out);
}

TEST(LoopsAutoincLive, HealthyRowPairThenAThirdServerFeedingA) {
  auto pair = SandboxPair::start({"--format", "ROW", "--with-c"});
  ASSERT_NO_FATAL_FAILURE(run_workload(*pair, 11));
  expect_nothing_at_warning(*pair);
  ASSERT_NO_FATAL_FAILURE(drive_third_server_loop(*pair, "ROW"));
  expect_third_server_loop_found(*pair, "ROW");
}

TEST(LoopsAutoincLive, HealthyStatementPairThenASessionOverrideThenAThirdServerFeedingA) {
  auto pair = SandboxPair::start({"--format", "STATEMENT", "--with-c"});
  ASSERT_NO_FATAL_FAILURE(run_workload(*pair, 12));
  expect_nothing_at_warning(*pair);

  // A is 2/1, B 2/2: a session on A with offset 2 takes an id of B's class.
  pair->sql('A', "USE test; CREATE TABLE ai_override (id INT AUTO_INCREMENT PRIMARY KEY, v INT)");
  pair->wait_sync();
  std::istringstream status(pair->sql('A', "SHOW MASTER STATUS"));
  std::string file;
  uint64_t before = 0;
  status >> file >> before;
  pair->sql('A',
            "SET SESSION auto_increment_offset=2; USE test; "
            "INSERT INTO ai_override (v) VALUES (7)");
  const std::string id = pair->sql('A', "SELECT MAX(id) FROM test.ai_override");
  ASSERT_EQ(std::stoi(id) % 2, 0) << "the server did not take an id of B's class";
  pair->wait_sync();

  const Output out = run_check("autoinc", live_pair(*pair));
  EXPECT_EQ(out.code, 1) << dump(out);
  const auto overrides = with_code(out, "autoinc.session_override");
  ASSERT_FALSE(overrides.empty()) << dump(out);
  bool on_a = false;
  for (const auto& f : overrides) {
    const auto& e = f["evidence"][0];
    if (e["server"] != "A") continue;
    on_a = true;
    EXPECT_GE(e["start"].get<uint64_t>(), before) << f.dump();
    EXPECT_EQ(e["origin_server_id"], 1) << f.dump();
    EXPECT_EQ(e["option"], "auto_increment_increment=2, auto_increment_offset=2") << f.dump();
    EXPECT_NE(e["statement"].get<std::string>().find("ai_override"), std::string::npos);
  }
  EXPECT_TRUE(on_a) << dump(out);
  bool id_named = false;
  for (const auto& f : with_code(out, "autoinc.wrong_class")) {
    const std::string message = f["message"];
    if (message.find("test.ai_override") != std::string::npos &&
        message.find("id " + id + " ") != std::string::npos) {
      id_named = true;
    }
  }
  EXPECT_TRUE(id_named) << "no autoinc.wrong_class naming id " << id << ":\n" << dump(out);

  ASSERT_NO_FATAL_FAILURE(drive_third_server_loop(*pair, "STATEMENT"));
  expect_third_server_loop_found(*pair, "STATEMENT");
}

// collision.sh and skipped-errors.sh: both masters took id 1 of test.t.
// Takes the findings with `code` out of `out` (a live master's replica channels
// give them; no binlog file holds a channel's state) and returns them.
std::vector<nlohmann::json> take_code(Output& out, const std::string& code) {
  std::vector<nlohmann::json> taken;
  auto it = std::stable_partition(out.findings.begin(), out.findings.end(),
                                  [&](const nlohmann::json& f) { return f["code"] != code; });
  taken.assign(it, out.findings.end());
  out.findings.erase(it, out.findings.end());
  return taken;
}

// `stopped`: the replicas the scenario stops with error 1062 (collision: both;
// skipped-errors: none, they skip it).
void expect_collision_live_and_captured(const std::string& scenario, std::size_t stopped) {
  const std::string capture = fs::temp_directory_path().string() + "/twinlog-p10-" + scenario +
                              "-" + std::to_string(::getpid());
  fs::remove_all(capture);
  auto pair = SandboxPair::scenario(scenario, capture);

  Output live = run_check("autoinc", live_pair(*pair));
  EXPECT_EQ(live.code, 1) << dump(live);
  const auto stops = take_code(live, "autoinc.replica_stopped_1062");
  EXPECT_EQ(stops.size(), stopped) << scenario << ":\n" << dump(live);
  for (const auto& f : stops) {
    EXPECT_NE(f["message"].get<std::string>().find("test.t id 1"), std::string::npos) << f.dump();
  }
  const auto collisions = with_code(live, "autoinc.collision");
  const bool id_1 = std::any_of(collisions.begin(), collisions.end(), [](const auto& f) {
    const std::string message = f["message"];
    return message.find("test.t id 1") != std::string::npos;
  });
  EXPECT_TRUE(id_1) << scenario << ":\n" << dump(live);
  EXPECT_FALSE(with_code(live, "autoinc.same_class").empty()) << scenario << ":\n" << dump(live);

  const Output offline = run_check("autoinc", captured_pair(capture));
  EXPECT_EQ(offline.code, live.code);
  EXPECT_EQ(offline.findings, live.findings) << "offline:\n"
                                             << dump(offline) << "live:\n"
                                             << dump(live);
  fs::remove_all(capture);
}

TEST(LoopsAutoincLive, CollisionFoundLiveAndOnTheCapture) {
  expect_collision_live_and_captured("collision", 2);
}

TEST(LoopsAutoincLive, SkippedErrorsCollisionFoundLiveAndOnTheCapture) {
  expect_collision_live_and_captured("skipped-errors", 0);
}

TEST(LoopsAutoincLive, AWriteWithSqlLogBinOffGivesNoError) {
  auto pair = SandboxPair::scenario("sql-log-bin-off");
  for (const std::string command : {"loops", "autoinc"}) {
    const Output out = run_check(command, live_pair(*pair));
    EXPECT_EQ(out.code, 0) << command << ":\n" << dump(out);
    for (const auto& f : out.findings) {
      EXPECT_NE(f["severity"], "error") << command << ": " << f.dump();
    }
  }
}

// A table whose CREATE TABLE is in no binlog (made on each master with
// sql_log_bin=0): from the files alone its AUTO_INCREMENT column is unknown; a live
// master gives it (SHOW CREATE TABLE), and an id of the other master's class is
// then found.
TEST(LoopsAutoincLive, ALiveMasterGivesTheAutoIncrementColumnTheBinlogsLack) {
  auto pair = SandboxPair::start({"--format", "ROW"});
  for (char s : {'A', 'B'}) {
    pair->sql(s,
              "SET SESSION sql_log_bin = 0; CREATE TABLE test.nolog "
              "(v VARCHAR(20), id INT AUTO_INCREMENT PRIMARY KEY)");
  }
  pair->sql('A', "USE test; INSERT INTO nolog (v) VALUES ('a1'), ('a2')");
  pair->sql('B', "USE test; INSERT INTO nolog (v) VALUES ('b1')");
  pair->wait_sync();
  // An explicit id of B's class (even) written on A.
  pair->sql('A', "USE test; INSERT INTO nolog (v, id) VALUES ('a-even', 100)");
  pair->wait_sync();

  std::string files = "--a-cnf " + shell_quote(trim(pair->sandbox_or_throw("cnf A"))) +
                      " --b-cnf " + shell_quote(trim(pair->sandbox_or_throw("cnf B")));
  for (const auto& f : pair->binlogs('A')) files += " " + shell_quote(f);
  const Output offline = run_check("autoinc", files);
  const auto unknown = with_code(offline, "autoinc.column_unknown");
  ASSERT_EQ(unknown.size(), 1u) << dump(offline);
  EXPECT_NE(unknown[0]["message"].get<std::string>().find("test.nolog"), std::string::npos);
  EXPECT_TRUE(with_code(offline, "autoinc.wrong_class").empty()) << dump(offline);

  const Output live = run_check("autoinc", live_pair(*pair));
  EXPECT_TRUE(with_code(live, "autoinc.column_unknown").empty()) << dump(live);
  const auto wrong = with_code(live, "autoinc.wrong_class");
  ASSERT_EQ(wrong.size(), 1u) << dump(live);
  EXPECT_NE(wrong[0]["message"].get<std::string>().find("A inserted id 100 into test.nolog"),
            std::string::npos)
      << dump(live);
  EXPECT_EQ(live.code, 1);
}

// STATEMENT format logs one INSERT_ID per statement, the first id it took: the
// rows after it are read from the statement. Both masters in one class, each
// replica stopped, a three-row insert on each: ids 1, 3 and 5 twice, three
// collisions where INSERT_ID alone shows one. Then a row written on A with
// sql_log_bin=0 between two logged ones: its id is the gap.
TEST(LoopsAutoincLive, EveryRowOfAStatementFormatMultiRowInsertIsChecked) {
  auto pair = SandboxPair::start({"--format", "STATEMENT", "--extra-b", "auto_increment_offset=1"});
  pair->sql('A', "USE test; CREATE TABLE multi (id INT AUTO_INCREMENT PRIMARY KEY, v INT)");
  pair->sql('A', "USE test; CREATE TABLE holes (id INT AUTO_INCREMENT PRIMARY KEY, v INT)");
  pair->wait_sync();
  pair->sql('A', "STOP SLAVE");
  pair->sql('B', "STOP SLAVE");
  pair->sql('A', "USE test; INSERT INTO multi (v) VALUES (1), (2), (3)");
  pair->sql('B', "USE test; INSERT INTO multi (v) VALUES (4), (5), (6)");
  ASSERT_EQ(pair->sql('A', "SELECT GROUP_CONCAT(id ORDER BY id) FROM test.multi"), "1,3,5");
  ASSERT_EQ(pair->sql('B', "SELECT GROUP_CONCAT(id ORDER BY id) FROM test.multi"), "1,3,5");
  pair->sql('A', "USE test; INSERT INTO holes (v) VALUES (1)");
  pair->sql('A', "SET SESSION sql_log_bin = 0; USE test; INSERT INTO holes (v) VALUES (2)");
  pair->sql('A', "USE test; INSERT INTO holes (v) VALUES (3), (4)");
  ASSERT_EQ(pair->sql('A', "SELECT GROUP_CONCAT(id ORDER BY id) FROM test.holes"), "1,3,5,7");

  const Output out = run_check("autoinc", live_pair(*pair));
  EXPECT_EQ(out.code, 1) << dump(out);
  const auto collisions = with_code(out, "autoinc.collision");
  ASSERT_EQ(collisions.size(), 1u) << dump(out);
  const std::string message = collisions[0]["message"];
  EXPECT_NE(message.find("test.multi id 1"), std::string::npos) << message;
  EXPECT_NE(message.find("(3 times; the first and the last are shown)"), std::string::npos)
      << message;
  // The last of the three is id 5: the third row of each statement.
  ASSERT_EQ(collisions[0]["evidence"].size(), 4u) << dump(out);
  EXPECT_EQ(collisions[0]["evidence"][2]["statement"], "id 5") << dump(out);
  const auto gaps = with_code(out, "autoinc.gap");
  const bool hole = std::any_of(gaps.begin(), gaps.end(), [](const auto& f) {
    return f["message"] ==
           "1 ids of A's class in test.holes between 1 and 7 are in no binlog read: 3";
  });
  EXPECT_TRUE(hole) << dump(out);
}

// Equal server ids: each master would skip the other's events as its own
// (MariaDB refuses to replicate between them: the pair is not wired here).
TEST(LoopsAutoincLive, EqualServerIdsAreFoundFromTheLiveServers) {
  auto pair = SandboxPair::start({"--no-wire", "--extra-b", "server-id=1"});
  ASSERT_EQ(pair->sql('B', "SELECT @@server_id"), "1");
  const Output live =
      run_check("loops", "--a " + shell_quote(pair->socket('A')) + " --b " +
                             shell_quote(pair->socket('B')) + " --user root --no-defaults");
  EXPECT_EQ(live.code, 1) << dump(live);
  const auto same = with_code(live, "config.same_server_id");
  ASSERT_EQ(same.size(), 1u) << dump(live);
  EXPECT_EQ(same[0]["severity"], "error");
}

}  // namespace
}  // namespace twinlog::live
