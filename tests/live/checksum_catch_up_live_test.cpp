// `twinlog checksum`'s catch-up wait (src/checks/checksum_catch_up.h) on real
// pairs wired in the two ways the GTID test of checksum_live_test.cpp does not
// cover:
//   - both masters writing one gtid_domain_id, where MASTER_GTID_WAIT compares
//     sequence numbers across the domain: the row in flight is waited for even
//     when the other master's own transactions, logged after it, carry higher
//     sequence numbers than it;
//   - B replicating from A through a named multi-source connection by binlog
//     position: MASTER_POS_WAIT names the connection.
// In both, B's SQL thread is held on a row lock while it applies A's UPDATE:
// the wait times out and the row is reported; released during a longer wait,
// the chunk is read again once B applied it, and nothing is reported. And a
// --catch-up-timeout of 0 does not wait (MASTER_POS_WAIT's 0 waits forever).
#include <gtest/gtest.h>

#include <chrono>
#include <regex>
#include <set>
#include <thread>

#include "tests/live/checksum_output.h"
#include "tests/live/sandbox_pair.h"

namespace twinlog::live {
namespace {

// `twinlog checksum` on test.late, and how long it took.
struct TimedRun {
  ChecksumOutput out;
  double seconds = 0;
};

TimedRun checksum(const SandboxPair& pair, const std::string& extra) {
  const auto start = std::chrono::steady_clock::now();
  TimedRun r;
  r.out = run_checksum(pair, "--tables test.late " + extra);
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return r;
}

const std::set<std::string> kRowInFlight{
    "checksum.row_differs test.late: row (`id` = 1) differs: `v` 1 on A, 0 on B"};

// B's session holding row 1 of test.late for `seconds`: B's SQL thread, applying
// A's UPDATE of that row, waits for it meanwhile.
std::thread hold_row_on_b(const SandboxPair& pair, int seconds) {
  std::thread holder([&pair, seconds] {
    pair.sql('B', "BEGIN; SELECT v FROM test.late WHERE id = 1 FOR UPDATE; SELECT SLEEP(" +
                      std::to_string(seconds) + "); COMMIT");
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(700));
  return holder;
}

// The sequence number a master gave its own last transaction in domain 0, from
// a binlog state such as "0-2-9,0-1-4".
uint64_t own_sequence(const std::string& state, int server_id) {
  const std::regex own("(^|,)0-" + std::to_string(server_id) + "-([0-9]+)");
  std::smatch m;
  if (!std::regex_search(state, m, own)) return 0;
  return std::stoull(m[2]);
}

// First, the timed-out wait with `expected_wait` in its notice; then the same
// with the lock released during the wait.
void stuck_then_caught_up(const SandboxPair& pair, std::thread& holder,
                          const std::string& expected_wait) {
  const ChecksumOutput stuck = checksum(pair, "--retries 1 --catch-up-timeout 1").out;
  EXPECT_EQ(stuck.code, 1) << dump(stuck);
  EXPECT_EQ(stuck.findings, kRowInFlight) << dump(stuck);
  EXPECT_NE(stuck.err.find("twinlog checksum: B timed out waiting: " + expected_wait),
            std::string::npos)
      << stuck.err;
  // A has everything of B's: it does not wait, or its wait ends at once.
  EXPECT_EQ(stuck.err.find("twinlog checksum: A "), std::string::npos) << stuck.err;

  const TimedRun caught_up = checksum(pair, "--retries 1 --catch-up-timeout 60");
  holder.join();
  EXPECT_EQ(caught_up.out.code, 0) << dump(caught_up.out);
  EXPECT_TRUE(caught_up.out.findings.empty()) << dump(caught_up.out);
  EXPECT_EQ(caught_up.out.err.find("timed out"), std::string::npos) << caught_up.out.err;
  // It waited for the lock to go, not less.
  EXPECT_GT(caught_up.seconds, 1.0);
  EXPECT_EQ(pair.sql('B', "SELECT v FROM test.late WHERE id = 1"), "1");
}

TEST(ChecksumCatchUpLive, OneGtidDomainForBothMastersWaitsForTheRowInFlight) {
  // MASTER_USE_GTID=slave_pos, and the --extra line after --gtid's own puts both
  // masters in domain 0.
  auto pair = SandboxPair::start({"--gtid", "--extra", "gtid_domain_id=0"});
  ASSERT_EQ(pair->sql('A', "SELECT @@gtid_domain_id"), "0");
  ASSERT_EQ(pair->sql('B', "SELECT @@gtid_domain_id"), "0");
  pair->sql('A',
            "USE test; CREATE TABLE late (id INT PRIMARY KEY, v INT); "
            "INSERT INTO late VALUES (1, 0)");
  pair->wait_sync();
  // B writes four transactions A does not apply yet: B's sequence numbers in
  // the domain run ahead of A's.
  pair->sql('A', "STOP SLAVE SQL_THREAD");
  for (int id = 100; id < 104; ++id)
    pair->sql('B', "USE test; INSERT INTO late VALUES (" + std::to_string(id) + ", 0)");
  std::thread holder = hold_row_on_b(*pair, 8);
  // A's UPDATE takes the next number A knows, lower than B's last; A then logs
  // B's four after it.
  pair->sql('A', "USE test; UPDATE late SET v = 1 WHERE id = 1");
  pair->sql('A', "START SLAVE SQL_THREAD");
  ASSERT_TRUE(pair->eventually(
      [&] { return pair->sql('A', "SELECT COUNT(*) FROM test.late") == "5"; }, 20));
  const std::string a_state = pair->sql('A', "SELECT @@gtid_binlog_state");
  const uint64_t update = own_sequence(a_state, 1), b_last = own_sequence(a_state, 2);
  ASSERT_GT(update, 0u) << a_state;
  // The case where a wait comparing numbers across the domain could end early:
  // B's own transactions, which B's replica thread sees after A's UPDATE, carry
  // higher numbers than the UPDATE.
  ASSERT_GT(b_last, update) << a_state;
  stuck_then_caught_up(*pair, holder,
                       "SELECT MASTER_GTID_WAIT('0-1-" + std::to_string(update) + "', 1)");
}

TEST(ChecksumCatchUpLive, ANamedConnectionByPositionIsWaitedOnByName) {
  auto pair = SandboxPair::start();
  // B replicates from A through the connection 'from_a' instead of the default one.
  pair->sql('B', "STOP SLAVE ''; RESET SLAVE '' ALL");
  pair->sandbox_or_throw("connect B A from_a");
  ASSERT_NE(pair->sql('B', "SHOW ALL SLAVES STATUS").find("from_a"), std::string::npos);
  pair->sql('A',
            "USE test; CREATE TABLE late (id INT PRIMARY KEY, v INT); "
            "INSERT INTO late VALUES (1, 0)");
  ASSERT_TRUE(pair->eventually([&] {
    return pair->sql('B',
                     "SELECT COUNT(*) FROM information_schema.TABLES WHERE "
                     "TABLE_SCHEMA = 'test' AND TABLE_NAME = 'late'") == "1" &&
           pair->sql('B', "SELECT COUNT(*) FROM test.late") == "1";
  }));
  std::thread holder = hold_row_on_b(*pair, 6);
  pair->sql('A', "USE test; UPDATE late SET v = 1 WHERE id = 1");
  const std::string status = pair->sql('A', "SHOW MASTER STATUS");
  const std::string file = status.substr(0, status.find('\t'));
  const std::string rest = status.substr(status.find('\t') + 1);
  const std::string position = rest.substr(0, rest.find('\t'));
  stuck_then_caught_up(*pair, holder,
                       "SELECT MASTER_POS_WAIT('" + file + "', " + position + ", 1, 'from_a')");
}

TEST(ChecksumCatchUpLive, ATimeoutOfZeroDoesNotWait) {
  // MariaDB's MASTER_POS_WAIT reads a timeout of 0 as none: B would wait until
  // its SQL thread applied A's UPDATE. twinlog's 0 is no wait: the row is read
  // again at once and reported.
  auto pair = SandboxPair::start();
  pair->sql('A',
            "USE test; CREATE TABLE late (id INT PRIMARY KEY, v INT); "
            "INSERT INTO late VALUES (1, 0)");
  pair->wait_sync();
  std::thread holder = hold_row_on_b(*pair, 6);
  pair->sql('A', "USE test; UPDATE late SET v = 1 WHERE id = 1");
  const TimedRun at_once = checksum(*pair, "--retries 1 --catch-up-timeout 0");
  holder.join();
  EXPECT_EQ(at_once.out.code, 1) << dump(at_once.out);
  EXPECT_EQ(at_once.out.findings, kRowInFlight) << dump(at_once.out);
  EXPECT_LT(at_once.seconds, 4.0);
}

}  // namespace
}  // namespace twinlog::live
