// `twinlog checksum` against a real pair: tables across the column types the
// issue names (FLOAT, DOUBLE, JSON, BLOB, NULL and '', collation-equal strings,
// DATETIME(6), BIT, DECIMAL), a table without a key, one with a composite key,
// one of 0 rows and one on a single master; divergence written with
// sql_log_bin=0 on either master (changed, missing and extra rows), including the
// two cases pt-table-checksum's BIT_XOR of CRC32 cannot see. twinlog reports
// exactly those rows, and neither master's binlog moves. Under the workload
// generator's concurrent replicated load, a healthy pair reports nothing and a
// diverged one exactly its rows.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <thread>

#include "src/checks/checksum_wait.h"
#include "src/server/connection.h"
#include "tests/live/checksum_output.h"
#include "tests/live/sandbox_pair.h"
#include "tests/support/cli_run.h"
// schema_check.h finds the schema beside samples/, which the live suite does not
// define.
#ifndef TWINLOG_SAMPLES_DIR
#define TWINLOG_SAMPLES_DIR TWINLOG_SOURCE_DIR "/samples"
#endif
#include "tests/support/schema_check.h"

namespace twinlog::live {
namespace {

constexpr const char* kTables = R"(
USE test;
CREATE TABLE orders (id INT PRIMARY KEY, customer VARCHAR(64), status VARCHAR(16), flag INT);
INSERT INTO orders SELECT seq, CONCAT('cust', seq), 'pending', 0 FROM seq_1_to_30000;
UPDATE orders SET customer = 'alice smith' WHERE id = 17;
UPDATE orders SET customer = 'bob' WHERE id = 90321 - 70000;
CREATE TABLE types (id INT PRIMARY KEY, f FLOAT, d DOUBLE, j JSON, b MEDIUMBLOB,
  s VARCHAR(20) COLLATE utf8mb4_general_ci, n VARCHAR(20), dt DATETIME(6), bt BIT(10),
  dc DECIMAL(20,6), tm TIME(3), u BIGINT UNSIGNED);
INSERT INTO types VALUES
  (1, 1.5, 0.1, '{"a":1}', X'00FF', 'abc', '', '2026-11-26 05:41:02.000100', b'1010101010',
   123456.789012, '-12:34:56.789', 18446744073709551615),
  (2, 3.4e38, 1e-300, '[1,2]', '', 'x', NULL, '1000-01-01 00:00:00', b'0', -0.000001,
   '838:59:59', 0),
  (3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
  (4, 2, 2, '{"k":"v"}', REPEAT('z', 70000), 'same', 'pad', '2000-01-01 00:00:00.5', b'1', 1, '0:0:0', 1);
CREATE TABLE nokey (a INT, b VARCHAR(10));
INSERT INTO nokey VALUES (1, 'x'), (2, 'y'), (3, 'z');
CREATE TABLE comp (a INT, b VARCHAR(10), c INT, PRIMARY KEY (a, b));
INSERT INTO comp SELECT seq % 7, CONCAT('k', seq), seq FROM seq_1_to_5000;
CREATE TABLE empty0 (id INT PRIMARY KEY);
CREATE TABLE ts (id INT PRIMARY KEY, t TIMESTAMP(3) NULL);
INSERT INTO ts VALUES (1, '2026-06-01 12:00:00.123');
)";

// Divergence no binlog sees. On B: the CRC32-cancelling pair (17 and 20321 both
// to 'shipped'), a missing and an extra row, FLOAT, NULL vs '', 'x' vs 'X' in a
// _ci collation, trailing spaces, DOUBLE and DATETIME(6) by their last digit, a
// BIT, a DECIMAL, a JSON value and one byte of a 70 kB BLOB, a second copy of a
// row of the keyless table, a composite key's row, a table of its own. On A: a
// row B lacks and a TIME.
constexpr const char* kDivergeB = R"(
SET sql_log_bin = 0; USE test;
UPDATE orders SET status = 'shipped' WHERE id IN (17, 20321);
DELETE FROM orders WHERE id = 500;
INSERT INTO orders VALUES (200001, 'extra', 'new', 1);
UPDATE types SET f = 1.5000001, n = NULL WHERE id = 1;
UPDATE types SET s = 'X' WHERE id = 2;
UPDATE types SET d = 0.1000000000000001, dt = '2026-11-26 05:41:02.000101' WHERE id = 3;
UPDATE types SET bt = b'11', dc = 1.000001, j = '{"k": "v"}', b = CONCAT(REPEAT('z', 69999), 'y'),
  n = 'pad ' WHERE id = 4;
INSERT INTO nokey VALUES (2, 'y');
UPDATE comp SET c = -1 WHERE a = 6 AND b = 'k1000';
CREATE TABLE only_b (id INT PRIMARY KEY);
)";
constexpr const char* kDivergeA = R"(
SET sql_log_bin = 0; USE test;
INSERT INTO orders VALUES (30001, 'late', 'pending', 0);
UPDATE types SET tm = '-12:34:56.788' WHERE id = 1;
)";

const std::string kNoKey =
    "checksum.no_key test.nokey has no primary key and no unique key over NOT NULL columns: "
    "checksummed whole, in one snapshot";

// What twinlog must report, one line per finding: code and message (long
// messages split over literals, hence no commas between some of them).
// NOLINTBEGIN(bugprone-suspicious-missing-comma)
const std::set<std::string> kExpected = {
    "checksum.table_only_on test.only_b exists on B only",
    kNoKey,
    "checksum.row_count_differs test.nokey: row (`a` = 2, `b` = 'y') is on A 1 time, on B 2 times",
    "checksum.row_differs test.orders: row (`id` = 17) differs: `status` 'pending' on A, "
    "'shipped' on B",
    "checksum.row_differs test.orders: row (`id` = 20321) differs: `status` 'pending' on A, "
    "'shipped' on B",
    "checksum.row_missing test.orders: row (`id` = 500) is on A only",
    "checksum.row_missing test.orders: row (`id` = 200001) is on B only",
    "checksum.row_missing test.orders: row (`id` = 30001) is on A only",
    "checksum.row_differs test.types: row (`id` = 1) differs: `f` 1.5 on A, 1.5000001 on B; `n` "
    "'' on A, NULL on B; `tm` '-12:34:56.788' on A, '-12:34:56.789' on B",
    "checksum.row_differs test.types: row (`id` = 2) differs: `s` 'x' on A, 'X' on B",
    "checksum.row_differs test.types: row (`id` = 3) differs: `d` NULL on A, 0.1000000000000001 "
    "on B; `dt` NULL on A, '2026-11-26 05:41:02.000101' on B",
    "checksum.row_differs test.comp: row (`a` = 6, `b` = 'k1000') differs: `c` 1000 on A, -1 on B",
};
// NOLINTEND(bugprone-suspicious-missing-comma)

std::string binlog_state(const SandboxPair& pair, char server) {
  return pair.sql(server, "SHOW MASTER STATUS; SELECT @@gtid_binlog_pos");
}

// The rows of id 4 differ in columns whose text is long: checked apart.
std::string row4(const ChecksumOutput& r) {
  for (const auto& j : r.json) {
    std::string m = j["message"];
    if (m.rfind("test.types: row (`id` = 4)", 0) == 0) return m;
  }
  return "";
}

// A fresh pair with the tables, in sync, then diverged around the binlogs.
std::unique_ptr<SandboxPair> diverged_pair() {
  auto pair = SandboxPair::start();
  pair->sql('A', kTables);
  pair->wait_sync();
  pair->sql('B', kDivergeB);
  pair->sql('A', kDivergeA);
  return pair;
}

TEST(ChecksumLive, ReportsExactlyTheDivergedRowsAndWritesNothing) {
  auto pair = diverged_pair();
  // Another time zone on B: its sessions would show the same TIMESTAMP
  // otherwise; twinlog reads both in UTC.
  pair->sql('B', "SET GLOBAL time_zone = '+05:00'");
  const std::string before_a = binlog_state(*pair, 'A'), before_b = binlog_state(*pair, 'B');

  auto r = run_checksum(*pair, "--chunk-rows 500");
  EXPECT_EQ(r.code, 1) << r.err;
  EXPECT_EQ(r.err, "");  // no progress when stderr is not a terminal
  const std::string m4 = row4(r);
  r.findings.erase("checksum.row_differs " + m4);
  EXPECT_EQ(r.findings, kExpected) << dump(r);
  // BIT, DECIMAL, JSON text, one byte of a BLOB and trailing spaces (equal
  // under PAD SPACE, different bytes).
  EXPECT_EQ(m4.substr(0, m4.find(" `b` ")),
            "test.types: row (`id` = 4) differs: `j` '{\"k\":\"v\"}' on A, '{\"k\": \"v\"}' on "
            "B;");
  for (const char* part : {"`n` 'pad' on A, 'pad ' on B", "`bt` X'0001' on A, X'0003' on B",
                           "`dc` 1.000000 on A, 1.000001 on B"}) {
    EXPECT_NE(m4.find(part), std::string::npos) << m4;
  }
  // The repair SQL repairs: run on B, the pair holds the same rows for that one.
  for (const auto& j : r.json) {
    if (j["code"] != "checksum.row_differs") continue;
    const std::string action = j["action"];
    ASSERT_EQ(action.rfind("To make B like A, on B: ", 0), 0u) << action;
  }
  // Each difference points to `twinlog audit --checksum` for its cause (the
  // binlogs, which this command does not read); the keyless table's warning
  // is no difference and does not.
  const std::string to_audit = " Why it differs: `twinlog audit --checksum` reads both masters'";
  for (const auto& j : r.json) {
    const std::string action = j["action"];
    EXPECT_EQ(action.find(to_audit) != std::string::npos, j["code"] != "checksum.no_key") << action;
  }
  EXPECT_EQ(binlog_state(*pair, 'A'), before_a);
  EXPECT_EQ(binlog_state(*pair, 'B'), before_b);
  // The findings follow the published schema.
  {
    const std::string jsonl = pair->dir() + "/findings.jsonl";
    std::ofstream out(jsonl);
    for (const auto& j : r.json) out << j.dump() << "\n";
    out.close();
    EXPECT_EQ(testing::validate_json(jsonl, true, "finding"), 0);
  }

  // A database the pair does not replicate (binlog-do-db=test) is not compared
  // unless named: its CREATE, made without a default database, is not logged.
  pair->sql('A', "CREATE DATABASE notrep; CREATE TABLE notrep.t (id INT PRIMARY KEY)");
  pair->sql('B',
            "CREATE DATABASE notrep; CREATE TABLE notrep.t (id INT PRIMARY KEY); "
            "INSERT INTO notrep.t VALUES (1)");
  auto again = run_checksum(*pair, "--chunk-rows 500");
  EXPECT_EQ(again.findings.size(), kExpected.size() + 1);  // and the row of id 4
  for (const auto& f : again.findings) EXPECT_EQ(f.find("notrep"), std::string::npos) << f;
  auto notrep = run_checksum(*pair, "--databases notrep");
  const std::set<std::string> only_b_row{
      "checksum.row_missing notrep.t: row (`id` = 1) is on B only"};
  EXPECT_EQ(notrep.findings, only_b_row) << dump(notrep);

  // Only the named tables; the 0-row table alone is clean.
  auto named = run_checksum(*pair, "--tables test.empty0,test.orders --chunk-rows 100000");
  EXPECT_EQ(named.findings.size(), 5u) << dump(named);
  // The text says it too, under the row's repair statements.
  const auto text =
      testing::run_twinlog("checksum " + checksum_pair_args(*pair) + " --tables test.orders");
  EXPECT_EQ(text.code, 1) << text.err;
  std::size_t pointed = 0;
  for (const auto& line : split_lines(text.out)) {
    if (line.rfind("        what to do: ", 0) == 0 && line.find(to_audit) != std::string::npos)
      ++pointed;
  }
  EXPECT_EQ(pointed, 5u) << text.out;
  auto empty = run_checksum(*pair, "--tables test.empty0");
  EXPECT_EQ(empty.code, 0) << dump(empty);
  EXPECT_TRUE(empty.findings.empty()) << dump(empty);
}

TEST(ChecksumLive, RepairStatementsMakeTheMastersEqual) {
  auto pair = diverged_pair();
  auto r = run_checksum(*pair, "--tables test.orders,test.types,test.comp");
  ASSERT_EQ(r.code, 1) << r.err;
  // Each action's "on B:" part makes B like A; run it on B without logging it
  // (through a connection: a 70 kB BLOB's literal is too long for a command line).
  ConnectionOptions options;
  options.socket = pair->socket('B');
  options.user = "root";
  options.no_defaults = true;
  auto b = Connection::open(options);
  b->execute("SET sql_log_bin = 0");
  for (const auto& j : r.json) {
    // "... on B: STATEMENT; ..." (no value here holds "; ").
    const std::string action = j["action"];
    const std::string on_b = action.substr(action.find("on B: ") + 6);
    b->execute(on_b.substr(0, on_b.find("; ") + 1));
  }
  auto after = run_checksum(*pair, "--tables test.orders,test.types,test.comp");
  EXPECT_EQ(after.code, 0) << dump(after);
  EXPECT_TRUE(after.findings.empty()) << dump(after);
}

TEST(ChecksumLive, ResumesFromItsCheckpoint) {
  auto pair = SandboxPair::start();
  pair->sql('A', kTables);
  pair->wait_sync();
  const std::string file = pair->dir() + "/checkpoint";
  const std::string args =
      "--tables test.orders --chunk-rows 1000 --chunk-time 1000 --checkpoint " + shell_quote(file);
  // A divergence in the 2nd chunk (ids 1001 to 3000), found by the first run.
  pair->sql('B', "SET sql_log_bin = 0; UPDATE test.orders SET flag = 7 WHERE id = 2000");
  const std::string row2000 =
      "checksum.row_differs test.orders: row (`id` = 2000) differs: `flag` 0 on A, 7 on B";
  auto first = run_checksum(*pair, args);
  ASSERT_EQ(first.code, 1) << dump(first);
  EXPECT_EQ(first.findings, std::set<std::string>{row2000}) << dump(first);
  auto lines = split_lines(read_file_bytes(file));
  // Chunks of 1000, 2000, 4000 and 8000 rows (each read far faster than the
  // target time, so each twice the last), the rest, then the table done.
  ASSERT_EQ(lines.size(), 6u) << read_file_bytes(file);
  EXPECT_EQ(lines[2].substr(lines[2].rfind(' ') + 1), "37303030");  // upper bound 7000, in hex
  EXPECT_EQ(lines.back(), "done 746573742e6f7264657273");
  // Interrupted after its 3rd chunk (ids up to 7000), and a line cut short.
  {
    std::ofstream out(file, std::ios::trunc);
    for (int i = 0; i < 3; ++i) out << lines[i] << "\n";
    out << lines[3].substr(0, 20);
  }
  // A divergence in a chunk done before the interruption is not read again; one
  // after it is found.
  pair->sql('B', "SET sql_log_bin = 0; UPDATE test.orders SET flag = 9 WHERE id IN (17, 25000)");
  auto resumed = run_checksum(*pair, args);
  EXPECT_EQ(resumed.code, 1) << dump(resumed);
  // The chunk that differed before is read again and still reported.
  const std::set<std::string> expected{
      row2000,
      "checksum.row_differs test.orders: row (`id` = 25000) differs: `flag` 0 on A, 9 on B"};
  EXPECT_EQ(resumed.findings, expected) << dump(resumed);
  // The table is done: only the chunks that differed are read again.
  pair->sql('B', "SET sql_log_bin = 0; UPDATE test.orders SET flag = 9 WHERE id = 5");
  auto done = run_checksum(*pair, args);
  EXPECT_EQ(done.code, 1) << dump(done);
  EXPECT_EQ(done.findings, expected) << dump(done);
}

TEST(ChecksumLive, ThrottlesWhileAMasterIsBusy) {
  auto pair = SandboxPair::start();
  pair->sql('A', kTables);
  pair->wait_sync();
  // A's Threads_running at rest (replication threads, the asking session) is the
  // limit; one sleeping statement takes it above.
  const std::string rest = pair->sql('A', "SHOW GLOBAL STATUS LIKE 'Threads_running'").substr(16);
  const std::string busier = std::to_string(std::stoi(rest) + 1);
  std::thread busy([&] { pair->sql('A', "SELECT SLEEP(4)"); });
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  const auto start = std::chrono::steady_clock::now();
  auto r = run_checksum(*pair, "--tables test.empty0 --max-threads-running " + rest);
  const auto seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  busy.join();
  EXPECT_EQ(r.code, 0) << dump(r);
  EXPECT_NE(r.err.find("twinlog checksum: pausing: A: Threads_running " + busier + " > " + rest),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("twinlog checksum: resuming"), std::string::npos) << r.err;
  EXPECT_GT(seconds, 2.5);
}

// B's replica lag (Seconds_Behind_Master) as `twinlog checksum` reads it, -1
// when unknown.
int64_t lag_seconds(const SandboxPair& pair) {
  ConnectionOptions options;
  options.socket = pair.socket('B');
  options.user = "root";
  options.no_defaults = true;
  auto b = Connection::open(options);
  const auto lag = checks::read_load(*b).lag_seconds;
  return lag ? static_cast<int64_t>(*lag) : -1;
}

TEST(ChecksumLive, PausesWhileAReplicaLags) {
  auto pair = SandboxPair::start();
  pair->sql('A',
            "USE test; CREATE TABLE lagged (id INT PRIMARY KEY, v INT); "
            "INSERT INTO lagged VALUES (1, 0), (2, 0)");
  pair->wait_sync();
  // A session on B holds row 1's lock: B's SQL thread, applying A's update of
  // that row, waits for it, and B's Seconds_Behind_Master grows meanwhile.
  std::thread holder([&] {
    pair->sql('B',
              "BEGIN; SELECT v FROM test.lagged WHERE id = 1 FOR UPDATE; "
              "SELECT SLEEP(7); COMMIT");
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  pair->sql('A', "USE test; UPDATE lagged SET v = 1 WHERE id = 1");
  EXPECT_TRUE(pair->eventually([&] { return lag_seconds(*pair) >= 2; }, 10));
  const auto start = std::chrono::steady_clock::now();
  auto r = run_checksum(*pair, "--tables test.lagged --max-lag 1");
  const auto seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  holder.join();
  // Paused until the lock went and B applied the update, then compared: equal.
  EXPECT_EQ(r.code, 0) << dump(r);
  EXPECT_TRUE(r.findings.empty()) << dump(r);
  EXPECT_NE(r.err.find("twinlog checksum: pausing: B: replica lag "), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(" s > 1 s"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("twinlog checksum: resuming"), std::string::npos) << r.err;
  EXPECT_GT(seconds, 2.0);
  EXPECT_EQ(pair->sql('B', "SELECT v FROM test.lagged WHERE id = 1"), "1");
}

TEST(ChecksumLive, CatchUpWaitsForTheOtherMastersGtids) {
  // MASTER_USE_GTID=slave_pos, gtid_domain_id 1 on A and 2 on B.
  auto pair = SandboxPair::start({"--gtid"});
  pair->sql('A',
            "USE test; CREATE TABLE late (id INT PRIMARY KEY, v INT); "
            "INSERT INTO late VALUES (1, 1)");
  pair->sql('B', "USE test; INSERT INTO late VALUES (100, 100)");
  pair->wait_sync();
  // B stops applying: A's next row waits in B's relay log.
  pair->sql('B', "STOP SLAVE SQL_THREAD");
  pair->sql('A', "USE test; INSERT INTO late VALUES (2, 2)");
  // The wait times out: B is said to wait for A's GTID, not for its own
  // transaction in A's binlog (2-2-...), and the row is reported.
  auto stuck = run_checksum(*pair, "--tables test.late --retries 1 --catch-up-timeout 1");
  EXPECT_EQ(stuck.code, 1) << dump(stuck);
  const std::set<std::string> missing{
      "checksum.row_missing test.late: row (`id` = 2) is on A only"};
  EXPECT_EQ(stuck.findings, missing) << dump(stuck);
  EXPECT_NE(stuck.err.find("twinlog checksum: B timed out waiting: SELECT MASTER_GTID_WAIT('1-1-"),
            std::string::npos)
      << stuck.err;
  // A waits for B's own transaction only, which it has: no wait of its own.
  EXPECT_EQ(stuck.err.find("twinlog checksum: A "), std::string::npos) << stuck.err;
  // Replication resumes during the wait: the chunk is read again once B has
  // A's GTID, and nothing is reported.
  std::thread later([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));
    pair->sql('B', "START SLAVE SQL_THREAD");
  });
  const auto start = std::chrono::steady_clock::now();
  auto caught_up = run_checksum(*pair, "--tables test.late --retries 1 --catch-up-timeout 60");
  const auto seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  later.join();
  EXPECT_EQ(caught_up.code, 0) << dump(caught_up);
  EXPECT_TRUE(caught_up.findings.empty()) << dump(caught_up);
  EXPECT_EQ(caught_up.err.find("timed out"), std::string::npos) << caught_up.err;
  EXPECT_GT(seconds, 1.0);
}

void run_workload(const SandboxPair& pair, int seed, int transactions, int* exit_code) {
  const std::string workload = std::string(TWINLOG_BINARY_DIR) + "/tools/workload/twinlog-workload";
  auto r = run_command(workload + " --sandbox " + shell_quote(pair.dir()) + " --seed " +
                       std::to_string(seed) + " --transactions " + std::to_string(transactions) +
                       " --quiet");
  *exit_code = r.exit_code;
}

TEST(ChecksumLive, UnderReplicatedLoad) {
  auto pair = SandboxPair::start();
  pair->sql('A', kTables);
  int setup = -1;
  run_workload(*pair, 21, 50, &setup);
  ASSERT_EQ(setup, 0);
  pair->wait_sync();

  // A healthy pair while both masters take writes: nothing to report.
  int load = -1;
  std::atomic<bool> load_done{false};
  std::thread writer([&] {
    run_workload(*pair, 22, 3000, &load);
    load_done = true;
  });
  auto healthy = run_checksum(*pair, "--chunk-rows 200 --retries 5");
  // Else this would prove nothing about a pair under load.
  EXPECT_FALSE(load_done.load()) << "the workload ended before the healthy pair's checksum";
  auto diverged_during_load = [&] {
    pair->sql('B', kDivergeB);
    pair->sql('A', kDivergeA);
    return run_checksum(*pair, "--chunk-rows 200 --retries 5");
  }();
  writer.join();
  EXPECT_EQ(load, 0);
  EXPECT_EQ(healthy.code, 0) << dump(healthy);
  const std::set<std::string> only_no_key{kNoKey};
  EXPECT_EQ(healthy.findings, only_no_key) << dump(healthy);
  // Diverged under the same load: exactly the rows written around the binlog.
  diverged_during_load.findings.erase("checksum.row_differs " + row4(diverged_during_load));
  EXPECT_EQ(diverged_during_load.findings, kExpected) << dump(diverged_during_load);
}

}  // namespace
}  // namespace twinlog::live
