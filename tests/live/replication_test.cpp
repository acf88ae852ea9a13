// The classic pair itself: wired as the runbook wires it, replicating both ways.
#include <gtest/gtest.h>

#include <set>

#include "tests/live/sandbox_pair.h"

namespace twinlog::live {
namespace {

// The pair runs the runbook's settings, wired the runbook's way.
void expect_runbook_configuration(const SandboxPair& pair) {
  EXPECT_EQ(
      pair.sql('A', "SELECT @@server_id, @@auto_increment_increment, @@auto_increment_offset"),
      "1\t2\t1");
  EXPECT_EQ(
      pair.sql('B', "SELECT @@server_id, @@auto_increment_increment, @@auto_increment_offset"),
      "2\t2\t2");
  for (char s : {'A', 'B'}) {
    EXPECT_EQ(
        pair.sql(s, "SELECT @@log_bin, @@log_slave_updates, @@sync_binlog, @@binlog_checksum"),
        "1\t1\t1\tCRC32")
        << s;
    EXPECT_EQ(pair.sql(s, "SELECT @@bind_address"), "127.0.0.1") << s;
    EXPECT_EQ(pair.slave_field(s, "Master_Host"), "127.0.0.1") << s;
    EXPECT_EQ(pair.slave_field(s, "Master_User"), "repl") << s;
    EXPECT_EQ(pair.slave_field(s, "Replicate_Do_DB"), "test") << s;
    EXPECT_EQ(pair.sql(s, "SHOW MASTER STATUS").substr(0, 10), "mysql-bin.") << s;
  }
  EXPECT_EQ(pair.slave_field('A', "Master_Port"), std::to_string(pair.port('B')));
  EXPECT_EQ(pair.slave_field('B', "Master_Port"), std::to_string(pair.port('A')));
  EXPECT_EQ(pair.slave_field('A', "Replicate_Ignore_DB"), "mysql,information_schema");
  EXPECT_EQ(pair.slave_field('B', "Replicate_Ignore_DB"),
            "mysql,information_schema,performance_schema");
  EXPECT_NE(pair.port('A'), pair.port('B'));
}

class ClassicPair : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    try {
      pair_ = SandboxPair::start();
    } catch (const std::exception& e) {
      start_error_ = e.what();
    }
  }
  static void TearDownTestSuite() { pair_.reset(); }
  void SetUp() override { ASSERT_TRUE(pair_) << start_error_; }

  static inline std::unique_ptr<SandboxPair> pair_;
  static inline std::string start_error_;
};

TEST_F(ClassicPair, RunbookSetupReplicatesBothWays) {
  expect_runbook_configuration(*pair_);
  for (char s : {'A', 'B'}) {
    EXPECT_EQ(pair_->slave_field(s, "Slave_IO_Running"), "Yes") << s;
    EXPECT_EQ(pair_->slave_field(s, "Slave_SQL_Running"), "Yes") << s;
  }
  pair_->sql(
      'A', "USE test; CREATE TABLE both_ways (id INT AUTO_INCREMENT PRIMARY KEY, origin CHAR(1))");
  pair_->sql('A', "USE test; INSERT INTO both_ways (origin) VALUES ('A'), ('A')");
  pair_->wait_sync();
  EXPECT_EQ(pair_->sql('B', "SELECT COUNT(*) FROM test.both_ways WHERE origin = 'A'"), "2");

  pair_->sql('B', "USE test; INSERT INTO both_ways (origin) VALUES ('B'), ('B'), ('B')");
  pair_->wait_sync();
  EXPECT_EQ(pair_->sql('A', "SELECT COUNT(*) FROM test.both_ways WHERE origin = 'B'"), "3");

  // auto_increment_increment=2 with offsets 1 and 2: A hands out odd ids, B even.
  EXPECT_EQ(
      pair_->sql('A', "SELECT COUNT(*) FROM test.both_ways WHERE origin = 'A' AND id % 2 = 1"),
      "2");
  EXPECT_EQ(
      pair_->sql('A', "SELECT COUNT(*) FROM test.both_ways WHERE origin = 'B' AND id % 2 = 0"),
      "3");
  EXPECT_EQ(pair_->sql('A', "CHECKSUM TABLE test.both_ways"),
            pair_->sql('B', "CHECKSUM TABLE test.both_ways"));
}

// The runbook's trap the design describes: a statement-format statement with
// another default database is neither logged by A nor seen by B.
TEST_F(ClassicPair, DefaultDatabaseDecidesWhatIsLogged) {
  pair_->sql('A', "USE test; CREATE TABLE by_default_db (id INT PRIMARY KEY)");
  pair_->wait_sync();
  pair_->sql('A',
             "SET SESSION binlog_format = 'STATEMENT'; USE mysql; INSERT INTO test.by_default_db "
             "VALUES (1)");
  pair_->sql('A',
             "SET SESSION binlog_format = 'STATEMENT'; USE test; INSERT INTO test.by_default_db "
             "VALUES (2)");
  pair_->wait_sync();
  EXPECT_EQ(pair_->sql('A', "SELECT GROUP_CONCAT(id ORDER BY id) FROM test.by_default_db"), "1,2");
  EXPECT_EQ(pair_->sql('B', "SELECT GROUP_CONCAT(id ORDER BY id) FROM test.by_default_db"), "2");
}

TEST(SandboxLifecycle, StopIsIdempotentAndLeavesNothingRunning) {
  auto first = SandboxPair::start();
  auto second = SandboxPair::start();  // two pairs side by side
  std::set<int> ports{first->port('A'), first->port('B'), second->port('A'), second->port('B')};
  EXPECT_EQ(ports.size(), 4U);
  second.reset();

  first->sql('A', "USE test; CREATE TABLE kept (id INT PRIMARY KEY); INSERT INTO kept VALUES (1)");
  first->wait_sync();
  auto status_running = first->sandbox_or_throw("status");
  EXPECT_NE(status_running.find("A host=127.0.0.1 port=" + std::to_string(first->port('A'))),
            std::string::npos);
  EXPECT_NE(status_running.find("state=running"), std::string::npos);

  first->sandbox_or_throw("stop");
  first->sandbox_or_throw("stop");  // idempotent
  auto status_stopped = first->sandbox_or_throw("status");
  EXPECT_EQ(status_stopped.find("state=running"), std::string::npos) << status_stopped;
  for (char s : {'A', 'B'}) {
    auto port = first->port(s);
    auto r = run_command("bash -c 'exec 3<>/dev/tcp/127.0.0.1/" + std::to_string(port) +
                         "' 2>/dev/null");
    EXPECT_NE(r.exit_code, 0) << "port " << port << " still accepts connections";
  }
  EXPECT_TRUE(mariadbd_processes_mentioning(first->dir()).empty());
  EXPECT_THROW(first->sql('A', "SELECT 1"), std::runtime_error)
      << "sql on a stopped server must fail";

  // start on a stopped sandbox brings the same pair back, still wired.
  first->sandbox_or_throw("start");
  EXPECT_TRUE(
      first->eventually([&] { return first->slave_field('B', "Slave_SQL_Running") == "Yes"; }));
  first->sql('B', "USE test; INSERT INTO kept VALUES (2)");
  first->wait_sync();
  EXPECT_EQ(first->sql('A', "SELECT COUNT(*) FROM test.kept"), "2");
}

// The guard every live test relies on: when the process that started a pair
// dies (here a stand-in `sleep`, killed), its watcher stops and removes the pair.
TEST(SandboxLifecycle, WatcherDestroysThePairWhenItsOwnerDies) {
  auto owner = run_command("sleep 600 >/dev/null 2>&1 & echo $!");
  ASSERT_EQ(owner.exit_code, 0);
  const std::string owner_pid = trim(owner.output);
  auto dir = run_command("mktemp -d /tmp/twinlog-watch.XXXXXX");
  const std::string sandbox_dir = trim(dir.output);
  ASSERT_FALSE(sandbox_dir.empty());
  auto started =
      run_command("SANDBOX_DIR=" + shell_quote(sandbox_dir) + " SANDBOX_WATCH_ACTION=destroy " +
                  shell_quote(TWINLOG_SANDBOX) + " start --no-wire --watch " + owner_pid);
  if (started.exit_code != 0) {
    run_command("kill " + owner_pid);
    run_command("SANDBOX_DIR=" + shell_quote(sandbox_dir) + " " + shell_quote(TWINLOG_SANDBOX) +
                " destroy");
    FAIL() << "sandbox start failed";
  }
  EXPECT_EQ(mariadbd_processes_mentioning(sandbox_dir).size(), 2U);
  run_command("kill " + owner_pid);
  bool gone = false;
  for (int i = 0; i < 150 && !gone; ++i) {
    gone =
        !std::filesystem::exists(sandbox_dir) && mariadbd_processes_mentioning(sandbox_dir).empty();
    if (!gone) {
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
  }
  EXPECT_TRUE(gone) << "the watcher did not destroy " << sandbox_dir;
  if (!gone) {
    run_command("SANDBOX_DIR=" + shell_quote(sandbox_dir) + " " + shell_quote(TWINLOG_SANDBOX) +
                " destroy");
  }
}

}  // namespace
}  // namespace twinlog::live
