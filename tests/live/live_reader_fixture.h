// The live reader's test fixture (tests/live/live_reader_*_test.cpp): one sandbox
// pair for the whole LiveReader suite, its accounts and option files, a ROW
// workload, and the comparison of what was read with the server's own binlog
// files, byte for byte and transaction for transaction.
#pragma once

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zstd.h>

#include <array>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <sstream>
#include <thread>

#include "protocol/endian.h"
#include "protocol/framer.h"
#include "protocol/transaction_boundary.h"
#include "src/server/connection.h"
#include "src/server/server_statements.h"
#include "src/source/live_source.h"
#include "src/stream/event_stream.h"
#include "tests/live/sandbox_pair.h"

namespace twinlog::live_reading {

namespace fs = std::filesystem;
using Bytes = std::vector<std::byte>;

using live::shell_quote;
using live::trim;

struct Shell {
  int code = -1;
  std::string out;
};

// A shell command with stderr folded into the output (the tests read messages).
inline Shell sh(const std::string& cmd) {
  auto r = live::run_command(cmd + " 2>&1");
  return {r.exit_code, r.output};
}

inline Bytes read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::string s((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  Bytes v(s.size());
  std::memcpy(v.data(), s.data(), s.size());
  return v;
}

// A tools/sandbox command line for the sandbox in `dir`, never another one.
inline std::string in_sandbox(const std::string& dir, const std::string& args) {
  return "SANDBOX_DIR=" + shell_quote(dir) + " " + std::string(TWINLOG_SANDBOX) + " " + args;
}

// A whole .zst file (one or more frames, sizes not recorded in them).
inline Bytes zstd_decompress(const Bytes& packed) {
  Bytes out;
  std::unique_ptr<ZSTD_DCtx, decltype(&ZSTD_freeDCtx)> dctx(ZSTD_createDCtx(), ZSTD_freeDCtx);
  std::vector<std::byte> buf(ZSTD_DStreamOutSize());
  ZSTD_inBuffer in{packed.data(), packed.size(), 0};
  while (in.pos < in.size) {
    ZSTD_outBuffer ob{buf.data(), buf.size(), 0};
    std::size_t r = ZSTD_decompressStream(dctx.get(), &ob, &in);
    if (ZSTD_isError(r)) return {};
    out.insert(out.end(), buf.begin(), buf.begin() + static_cast<std::ptrdiff_t>(ob.pos));
  }
  return out;
}

// One sandbox pair for the whole suite, in a directory of its own.
class LiveReader : public ::testing::Test {
 protected:
  static inline std::string sandbox_dir;
  static inline bool up = false;

  static std::string sandbox(const std::string& args) {
    Shell r = sh(in_sandbox(sandbox_dir, args));
    EXPECT_EQ(r.code, 0) << "sandbox " << args << ":\n" << r.out;
    return r.out;
  }
  static std::string sql(const std::string& server, const std::string& statement) {
    return sandbox("sql " + server + " " + shell_quote(statement));
  }

  static void SetUpTestSuite() {
    char tmpl[] = "/tmp/twinlog-live-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    sandbox_dir = tmpl;
    Shell r = sh(in_sandbox(sandbox_dir, "start --format ROW --watch " + std::to_string(getpid())));
    ASSERT_EQ(r.code, 0) << r.out;
    up = true;
    // A user of twinlog's own, so that the tests kill only its dump threads.
    sql("A",
        "CREATE USER twinlog_test@'127.0.0.1' IDENTIFIED BY 'tl-pass'; "
        "GRANT REPLICATION SLAVE, BINLOG MONITOR, REPLICATION MASTER ADMIN, SLAVE MONITOR "
        "ON *.* TO twinlog_test@'127.0.0.1'");
    sql("A",
        "CREATE USER noslave@'127.0.0.1' IDENTIFIED BY 'ns-pass'; "
        "GRANT BINLOG MONITOR ON *.* TO noslave@'127.0.0.1'");
    std::ofstream(sandbox_dir + "/twinlog.cnf")
        << "[client]\nuser=twinlog_test\npassword=tl-pass\n";
    std::ofstream(sandbox_dir + "/wrong.cnf") << "[client]\nuser=twinlog_test\npassword=not-it\n";
    std::ofstream(sandbox_dir + "/noslave.cnf") << "[client]\nuser=noslave\npassword=ns-pass\n";
    std::ofstream(sandbox_dir + "/repl.cnf") << "[client]\nuser=repl\npassword=repl\n";
  }
  static void TearDownTestSuite() {
    if (!sandbox_dir.empty()) sh(in_sandbox(sandbox_dir, "destroy"));
  }

  void SetUp() override {
    if (!up) GTEST_SKIP() << "sandbox did not start";
  }

  static unsigned port(const std::string& server) {
    return std::stoul(trim(sandbox("port " + server)));
  }

  static ConnectionOptions as(const std::string& cnf) {
    ConnectionOptions o;
    o.host = "127.0.0.1";
    o.port = port("A");
    o.defaults_file = sandbox_dir + "/" + cnf;
    return o;
  }
  static ConnectionOptions as_root() {
    ConnectionOptions o;
    o.host = "127.0.0.1";
    o.port = port("A");
    o.user = "root";
    o.no_defaults = true;
    return o;
  }

  static std::vector<fs::path> binlogs(const std::string& server) {
    std::vector<fs::path> files;
    std::istringstream in(sandbox("binlogs " + server));
    for (std::string line; std::getline(in, line);)
      if (!line.empty()) files.emplace_back(line);
    return files;
  }

  // Closes the server's active binlog (FLUSH BINARY LOGS) and says which it was.
  static std::string close_active_binlog(Connection& c) {
    std::string active = *c.query("SHOW MASTER STATUS").rows[0][0];
    c.execute("FLUSH BINARY LOGS");
    return active;
  }

  // Transactions in ROW format through one connection, `n` of them, some large.
  static void workload(Connection& c, int from, int n) {
    c.execute("USE test");
    c.execute("CREATE TABLE IF NOT EXISTS live_t (id INT PRIMARY KEY, v VARCHAR(200), n INT)");
    for (int i = from; i < from + n; ++i) {
      c.execute("BEGIN");
      c.execute("INSERT INTO live_t VALUES (" + std::to_string(i) + ", REPEAT('v', " +
                std::to_string(i % 200) + "), 0)");
      if (i % 10 == 0)
        c.execute("UPDATE live_t SET n = n + 1 WHERE id > " + std::to_string(i - 50));
      c.execute("COMMIT");
      if (i % 97 == 0) c.execute("DELETE FROM live_t WHERE id = " + std::to_string(i - 3));
    }
  }
};

// Everything read, per file: the magic and the events in order, as the file holds them.
struct Collected {
  std::map<std::string, Bytes> files;
  std::vector<std::pair<std::string, uint64_t>> transactions;  // file, end offset
  std::vector<Bytes> gtids;                                    // raw GTID events, in order
  void add(const RawEvent& ev, bool boundary) {
    Bytes& f = files[ev.file];
    if (f.empty()) f.assign(protocol::kBinlogMagic.begin(), protocol::kBinlogMagic.end());
    ASSERT_EQ(f.size(), ev.offset) << ev.file;
    f.insert(f.end(), ev.bytes.begin(), ev.bytes.end());
    if (std::to_integer<uint8_t>(ev.bytes[4]) == 162)
      gtids.emplace_back(ev.bytes.begin(), ev.bytes.end());
    if (boundary) transactions.emplace_back(ev.file, f.size());
  }
};

// The GTID events and transaction ends of a server file, read with the same tracker.
inline void scan_server_file(const fs::path& path, const Bytes& data, Collected& into) {
  protocol::Framer framer;
  protocol::TransactionBoundaryTracker tracker;
  for (std::size_t pos = 4; pos + 19 <= data.size();) {
    uint32_t size = protocol::load_le32(data.data() + pos + 9);
    std::span<const std::byte> ev(data.data() + pos, size);
    auto framed = framer.frame(ev, pos);
    ASSERT_TRUE(framed.ok()) << path << " at " << pos << ": " << framed.error().message;
    if (std::to_integer<uint8_t>(ev[4]) == 162) into.gtids.emplace_back(ev.begin(), ev.end());
    if (tracker.feed(ev, framer.format()))
      into.transactions.emplace_back(path.filename().string(), pos + size);
    pos += size;
  }
}

// The events of `got` equal the server's files, every file but the active one whole.
inline void expect_same_as_server(const Collected& got, const std::vector<fs::path>& server_files,
                                  const std::string& first_file) {
  Collected server;
  std::size_t compared = 0;
  for (const auto& path : server_files) {
    std::string name = path.filename().string();
    if (compare_binlog_names(name, first_file) < 0) continue;
    auto it = got.files.find(name);
    if (path == server_files.back()) break;  // the active file: still growing
    ASSERT_NE(it, got.files.end()) << "not read: " << name;
    Bytes data = read_file(path);
    EXPECT_TRUE(it->second == data) << name << ": " << it->second.size() << " bytes read, "
                                    << data.size() << " in the server's file";
    scan_server_file(path, data, server);
    ++compared;
  }
  EXPECT_GT(compared, 0u);
  // One for one: the same transactions, ending at the same places, the same GTIDs.
  std::size_t n = server.transactions.size();
  ASSERT_LE(n, got.transactions.size());
  EXPECT_TRUE(
      std::equal(server.transactions.begin(), server.transactions.end(), got.transactions.begin()));
  ASSERT_LE(server.gtids.size(), got.gtids.size());
  EXPECT_TRUE(std::equal(server.gtids.begin(), server.gtids.end(), got.gtids.begin()));
}

// Reads with --follow semantics while `faults` runs next to a workload; stops after
// the file that was active when the workload ended, which FLUSH then closed.
inline Collected read_through_faults(LiveSourceOptions o, const std::function<void()>& faults,
                                     const std::function<void()>& work,
                                     const std::function<std::string()>& close_file,
                                     unsigned& reconnects, std::string& first) {
  o.stop.kind = StopPoint::Kind::kNever;
  o.start.kind = StartPoint::Kind::kCurrentEnd;
  o.whole_files = true;  // from the start of the current file, so files compare whole
  o.give_up_seconds = 90;
  o.note = [](const std::string& t) { std::fprintf(stderr, "live reader: %s\n", t.c_str()); };
  LiveSource source(o);
  source.open();
  Collected got;
  std::mutex mu;
  std::string stop_after;  // set once the workload is over
  std::thread reader([&] {
    RawEvent ev;
    while (source.next(ev)) {
      if (first.empty()) first = ev.file;
      std::lock_guard<std::mutex> lock(mu);
      if (!stop_after.empty() && compare_binlog_names(ev.file, stop_after) > 0) break;
      got.add(ev, source.at_transaction_boundary());
    }
  });
  std::thread faulter(faults);
  work();
  faulter.join();
  {
    std::lock_guard<std::mutex> lock(mu);
    stop_after = close_file();
  }
  reader.join();
  reconnects = source.reconnects();
  return got;
}

}  // namespace twinlog::live_reading
