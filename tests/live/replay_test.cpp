// decode's text replays: what `twinlog decode` prints for a real server's binlog,
// piped into the mariadb client on a fresh server, leaves the same tables the
// source has. A STATEMENT-format binlog (the session lines: character sets,
// sql_mode, time zone, lc_time_names, auto-increment, RAND and INSERT_ID events,
// user variables,
// NOW(3), a CREATE DATABASE without `use`), a ROW-format position range replayed in two
// pieces with --base64-output=auto, and a selection of the transactions one
// server id wrote (--server-id) or the transactions a GTID list names
// (--include-gtids / --exclude-gtids), which is how an operator gives a master the
// transactions the other has and it missed.
#include <gtest/gtest.h>

#include <filesystem>
#include <set>

#include "tests/live/sandbox_pair.h"

namespace twinlog::live {
namespace {

// Where A's binlog ends now: the last file and its position.
std::pair<std::string, std::string> master_position(const SandboxPair& pair) {
  const std::string status = pair.sql('A', "SHOW MASTER STATUS");
  const std::size_t tab = status.find('\t');
  const std::size_t end = status.find('\t', tab + 1);
  return {status.substr(0, tab), status.substr(tab + 1, end - tab - 1)};
}

// Runs `twinlog decode ARGS A's-last-binlog` and pipes its text into server B.
void replay_into_b(const SandboxPair& pair, const std::string& args) {
  const std::string file = pair.binlogs('A').back();
  const std::string text = pair.dir() + "/replay.sql";
  const CommandResult decode = run_command(std::string(TWINLOG_BINARY) + " decode " + args + " " +
                                           shell_quote(file) + " > " + shell_quote(text));
  ASSERT_EQ(decode.exit_code, 0) << "twinlog decode " << args;
  const CommandResult replay = pair.sandbox("client B --binary-mode < " + shell_quote(text));
  ASSERT_EQ(replay.exit_code, 0) << "the mariadb client refused twinlog's text: "
                                 << read_file_bytes(text).substr(0, 4000);
}

std::string table_rows(const SandboxPair& pair, char server, const std::string& table) {
  return pair.sql(server, "SELECT * FROM " + table + " ORDER BY 1");
}

TEST(Replay, StatementBinlogReplaysIntoAFreshServer) {
  auto pair = SandboxPair::start({"--format", "STATEMENT", "--no-wire"});
  const std::string start = master_position(*pair).second;
  // CREATE DATABASE is logged without `use` (LOG_EVENT_SUPPRESS_USE_F): a `use
  // test` before it would stop the replay with "Unknown database".
  pair->sql('A', "DROP DATABASE IF EXISTS test");
  pair->sql('A', "CREATE DATABASE test");
  const std::vector<std::string> statements = {
      "CREATE TABLE t1 (id INT AUTO_INCREMENT PRIMARY KEY, v VARCHAR(60) CHARACTER SET utf8mb4, "
      "d DATETIME(3), r DOUBLE, n INT)",
      "SET NAMES utf8mb4; INSERT INTO t1 (v, d) VALUES ('h\xc3\xa9llo \xe2\x82\xac', NOW(3))",
      "SET NAMES latin1; INSERT INTO t1 (v) VALUES ('caf\xe9')",
      "SET sql_mode = 'ANSI_QUOTES'; INSERT INTO t1 (v) VALUES ('ansi \"quoted\"')",
      "SET auto_increment_increment = 5, auto_increment_offset = 3; "
      "INSERT INTO t1 (v) VALUES ('five'), ('ten')",
      "INSERT INTO t1 (v, r) VALUES ('rand', RAND())",
      "INSERT INTO t1 (v) VALUES ('a'); INSERT INTO t1 (v, n) VALUES ('last', LAST_INSERT_ID())",
      "SET lc_time_names = 'de_DE'; INSERT INTO t1 (v) VALUES (DATE_FORMAT('2024-03-01', '%W %M'))",
      "SET time_zone = '+05:00'; INSERT INTO t1 (v, d) VALUES ('tz', FROM_UNIXTIME(86400))",
      "SET foreign_key_checks = 0, unique_checks = 0; INSERT INTO t1 (v) VALUES ('checks off')",
      "SET @n := -42, @s := 'caf\xc3\xa9', @d := 1.25; "
      "INSERT INTO t1 (v, n, r) VALUES (CONCAT(@s, ' ', @n), @n, @d)",
      "BEGIN; UPDATE t1 SET v = CONCAT(v, '!') WHERE id > 3; DELETE FROM t1 WHERE v = 'a!'; COMMIT",
  };
  for (const std::string& s : statements) pair->sql('A', "USE test; " + s);

  replay_into_b(*pair, "--start-position " + start + " --base64-output=auto");
  EXPECT_EQ(table_rows(*pair, 'B', "test.t1"), table_rows(*pair, 'A', "test.t1"));
  EXPECT_EQ(pair->sql('B', "SELECT COUNT(*) FROM test.t1"), "11");
}

TEST(Replay, RowRangeAndServerIdSelectionReplayIntoAFreshServer) {
  auto pair = SandboxPair::start({"--format", "ROW", "--no-wire"});
  pair->sql('B', "CREATE DATABASE IF NOT EXISTS test");
  const std::string start = master_position(*pair).second;
  pair->sql('A',
            "USE test; CREATE TABLE t2 (id INT PRIMARY KEY, v VARCHAR(40), d DECIMAL(10,2), "
            "b BLOB, s SET('x','y','z'), e ENUM('p','q'), t TIMESTAMP(6) NULL, j JSON)");
  pair->sql('A',
            "USE test; INSERT INTO t2 VALUES (1, 'one', 1.50, x'00ff10', 'x,z', 'q', "
            "'2024-01-02 03:04:05.678901', '{\"a\": [1, 2]}'), (2, 'two', -2.25, NULL, '', 'p', "
            "NULL, NULL)");
  const std::string middle = master_position(*pair).second;
  pair->sql('A',
            "USE test; BEGIN; INSERT INTO t2 (id, v) VALUES (3, 'three'); UPDATE t2 SET v = "
            "'uno', s = 'y' WHERE id = 1; DELETE FROM t2 WHERE id = 2; COMMIT");
  const std::string stop = master_position(*pair).second;
  const std::string at_stop = table_rows(*pair, 'A', "test.t2");
  pair->sql('A', "USE test; INSERT INTO t2 (id, v) VALUES (4, 'after the range')");

  // The range in two pieces: [start, middle) then [middle, stop).
  replay_into_b(
      *pair, "--start-position " + start + " --stop-position " + middle + " --base64-output=auto");
  replay_into_b(*pair, "--start-position " + middle + " --stop-position " + stop +
                           " --base64-output=auto -v");
  EXPECT_EQ(table_rows(*pair, 'B', "test.t2"), at_stop);

  // Transactions written under server id 7 only, into a table B already has.
  pair->sql('A', "USE test; CREATE TABLE t3 (id INT PRIMARY KEY, origin INT)");
  pair->sql('B', "USE test; CREATE TABLE t3 (id INT PRIMARY KEY, origin INT)");
  const std::string before = master_position(*pair).second;
  for (int i = 1; i <= 6; ++i) {
    const std::string sid = i % 2 ? "7" : "1";
    pair->sql('A', "SET SESSION server_id = " + sid + "; USE test; INSERT INTO t3 VALUES (" +
                       std::to_string(i) + ", " + sid + ")");
  }
  replay_into_b(*pair, "--start-position " + before + " --server-id 7 --base64-output=auto");
  EXPECT_EQ(table_rows(*pair, 'B', "test.t3"),
            pair->sql('A', "SELECT * FROM test.t3 WHERE origin = 7 ORDER BY 1"));
  EXPECT_EQ(pair->sql('B', "SELECT COUNT(*) FROM test.t3"), "3");
}

// The transactions a GTID list names (--include-gtids), then all the others
// (--exclude-gtids), replayed from a ROW-format binlog: the first replay brings
// exactly the named transactions' rows, the second the rest.
TEST(Replay, GtidSelectionReplaysOnlyTheSelectedTransactions) {
  auto pair = SandboxPair::start({"--format", "ROW", "--no-wire"});
  const std::string table = "CREATE TABLE t4 (id INT PRIMARY KEY, v VARCHAR(20))";
  pair->sql('A', "USE test; " + table);
  pair->sql('B', "CREATE DATABASE IF NOT EXISTS test; USE test; " + table);
  const std::string before = master_position(*pair).second;
  std::vector<std::string> gtids;
  for (int i = 1; i <= 6; ++i) {
    const std::string n = std::to_string(i);
    gtids.push_back(pair->sql(
        'A', "USE test; INSERT INTO t4 VALUES (" + n + ", 'row " + n + "'); SELECT @@last_gtid"));
  }
  gtids.push_back(pair->sql('A',
                            "USE test; BEGIN; UPDATE t4 SET v = 'changed' WHERE id = 2; INSERT "
                            "INTO t4 VALUES (7, 'seven'); COMMIT; SELECT @@last_gtid"));
  ASSERT_EQ(std::set<std::string>(gtids.begin(), gtids.end()).size(), 7u);
  const std::string chosen = gtids[1] + "," + gtids[3] + "," + gtids[6];

  replay_into_b(
      *pair, "--start-position " + before + " --include-gtids " + chosen + " --base64-output=auto");
  EXPECT_EQ(table_rows(*pair, 'B', "test.t4"),
            pair->sql('A', "SELECT * FROM test.t4 WHERE id IN (2, 4, 7) ORDER BY 1"));
  EXPECT_EQ(pair->sql('B', "SELECT COUNT(*) FROM test.t4"), "3");

  replay_into_b(
      *pair, "--start-position " + before + " --exclude-gtids " + chosen + " --base64-output=auto");
  EXPECT_EQ(table_rows(*pair, 'B', "test.t4"), table_rows(*pair, 'A', "test.t4"));
  EXPECT_EQ(pair->sql('B', "SELECT COUNT(*) FROM test.t4"), "7");
}

}  // namespace
}  // namespace twinlog::live
