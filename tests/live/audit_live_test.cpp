// `twinlog audit` against a live pair: both masters' binlogs are read at the same
// time, each through its own replica connection (a binlog dump of twinlog's is
// open on both servers at one moment), and the audit of a healthy ROW pair finds
// nothing at error and no difference between the binlogs.
#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>

#include "tests/live/check_output.h"
#include "tests/live/sandbox_pair.h"

namespace twinlog::live {
namespace {

TEST(AuditLive, BothMastersAreReadAtOnceThroughTheirReplicaConnections) {
  auto pair = SandboxPair::start({"--format", "ROW"});
  // 2^15 rows of 2 KB in A's binlog and, logged again, in B's: a reading of each
  // lasts long enough to be seen.
  pair->sql('A', "USE test; CREATE TABLE big (id INT AUTO_INCREMENT PRIMARY KEY, v VARCHAR(2000))");
  pair->sql('A', "USE test; INSERT INTO big (v) VALUES (REPEAT('x', 2000))");
  for (int i = 0; i < 15; ++i) pair->sql('A', "USE test; INSERT INTO big (v) SELECT v FROM big");
  pair->wait_sync();

  // twinlog connects as root; the replicas' own dumps are the user repl's.
  const std::string dumps =
      "SELECT COUNT(*) FROM information_schema.processlist WHERE user = 'root' AND command "
      "LIKE 'Binlog Dump%'";
  std::atomic<bool> done{false};
  std::atomic<int> samples{0}, both{0};
  std::thread watcher([&] {
    while (!done) {
      const bool a = pair->sql('A', dumps) != "0";
      const bool b = pair->sql('B', dumps) != "0";
      ++samples;
      if (a && b) ++both;
    }
  });
  const Output out = run_check("audit", live_pair(*pair) + " --fail-on error");
  done = true;
  watcher.join();
  EXPECT_GT(both.load(), 0) << samples.load() << " samples";
  EXPECT_EQ(out.code, 0) << dump(out);
  for (const auto& f : out.findings) {
    const std::string code = f["code"];
    if (code.starts_with("diff.")) {
      EXPECT_EQ(f["severity"], "info") << f.dump();
    }
  }
  EXPECT_FALSE(with_code(out, "diff.table_digest").empty()) << dump(out);
}

}  // namespace
}  // namespace twinlog::live
