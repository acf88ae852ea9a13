// The live reader against a real MariaDB master-master pair (tools/sandbox): what it
// reads equals the server's own binlog files byte for byte, killed dump threads and
// a restarted master lose and repeat nothing, and each failure says what it is.
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

namespace twinlog {
namespace {

namespace fs = std::filesystem;
using Bytes = std::vector<std::byte>;

using live::shell_quote;
using live::trim;

struct Shell {
  int code = -1;
  std::string out;
};

// A shell command with stderr folded into the output (the tests read messages).
Shell sh(const std::string& cmd) {
  auto r = live::run_command(cmd + " 2>&1");
  return {r.exit_code, r.output};
}

Bytes read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::string s((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  Bytes v(s.size());
  std::memcpy(v.data(), s.data(), s.size());
  return v;
}

// A tools/sandbox command line for the sandbox in `dir`, never another one.
std::string in_sandbox(const std::string& dir, const std::string& args) {
  return "SANDBOX_DIR=" + shell_quote(dir) + " " + std::string(TWINLOG_SANDBOX) + " " + args;
}

// A whole .zst file (one or more frames, sizes not recorded in them).
Bytes zstd_decompress(const Bytes& packed) {
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
void scan_server_file(const fs::path& path, const Bytes& data, Collected& into) {
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
void expect_same_as_server(const Collected& got, const std::vector<fs::path>& server_files,
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

// The flavor is decided once, from VERSION(), and the handshake says the same;
// every statement chosen for it runs on the server and has the columns the live
// reader reads.
TEST_F(LiveReader, StatementsChosenForTheFlavorRunOnTheServer) {
  auto c = Connection::open(as_root());
  std::string version = c->query("SELECT VERSION()").rows.at(0).at(0).value_or("");
  ServerFlavor server = server_flavor(version);
  ServerFlavor handshake = server_flavor(c->server_version());
  EXPECT_EQ(server.flavor, handshake.flavor) << version << " / " << c->server_version();
  EXPECT_EQ(server.version.major, handshake.version.major);
  EXPECT_EQ(server.version.minor, handshake.version.minor);
  EXPECT_EQ(server.flavor, protocol::flavor_of(version));
  ServerStatements s = statements_for(server);
  auto status = c->query(s.binlog_status);
  EXPECT_GE(status.column("File"), 0);
  EXPECT_GE(status.column("Position"), 0);
  EXPECT_FALSE(status.rows.empty());
  EXPECT_GE(c->query(s.replica_hosts).column("Server_id"), 0);
  EXPECT_GE(c->query(s.replica_status).column(s.source_id_column), 0);
  for (const auto& sql : s.dump_session) {
    EXPECT_NO_THROW(c->execute(sql)) << sql;
  }
  if (s.gtid_start) {
    for (const auto& sql : mariadb_gtid_start("0-1-1")) {
      EXPECT_NO_THROW(c->execute(sql)) << sql;
    }
  }
}

TEST_F(LiveReader, WholeBinlogReadLiveIsByteIdentical) {
  {
    auto c = Connection::open(as_root());
    workload(*c, 1, 300);
    c->execute("FLUSH BINARY LOGS");
    workload(*c, 301, 200);
    c->execute("FLUSH BINARY LOGS");
  }
  LiveSourceOptions o;
  o.connection = as("twinlog.cnf");
  o.verify_checksums = true;
  LiveSource source(o);
  Collected got;
  protocol::Framer framer;
  RawEvent ev;
  std::string first;
  while (source.next(ev)) {
    if (first.empty()) first = ev.file;
    auto framed = framer.frame(ev.bytes, ev.offset);
    ASSERT_TRUE(framed.ok()) << ev.file << ":" << ev.offset << ": " << framed.error().message;
    got.add(ev, source.at_transaction_boundary());
  }
  EXPECT_EQ(source.reconnects(), 0u);
  EXPECT_GT(got.files.size(), 2u);
  expect_same_as_server(got, binlogs("A"), first);
  EXPECT_EQ(got.files.rbegin()->first, source.stop_position().file);
  EXPECT_EQ(got.files.rbegin()->second.size(), source.stop_position().offset);
}

TEST_F(LiveReader, CaptureWritesTheServersFilesPlainAndZstdAndResumes) {
  {
    auto c = Connection::open(as_root());
    workload(*c, 1000, 200);
    c->execute("FLUSH BINARY LOGS");
  }
  std::string plain = sandbox_dir + "/capture-plain";
  std::string zst = sandbox_dir + "/capture-zstd";
  auto capture = [&](const std::string& args) {
    return sh(std::string(TWINLOG_BINARY) + " capture --host 127.0.0.1 --port " +
              std::to_string(port("A")) + " --defaults-file " + sandbox_dir + "/twinlog.cnf " +
              args);
  };
  Shell p = capture("-q --dir " + plain);
  ASSERT_EQ(p.code, 0) << p.out;
  Shell z = capture("-q --compress zstd --dir " + zst);
  ASSERT_EQ(z.code, 0) << z.out;
  auto files = binlogs("A");
  auto check = [&] {
    for (std::size_t i = 0; i + 1 < files.size(); ++i) {
      std::string name = files[i].filename().string();
      Bytes server = read_file(files[i]);
      const fs::path copy = fs::path(plain) / name;
      if (!fs::exists(copy)) continue;  // purged before this test's capture
      EXPECT_TRUE(read_file(copy) == server) << name;
      EXPECT_TRUE(zstd_decompress(read_file(fs::path(zst) / (name + ".zst"))) == server)
          << name << " (zstd)";
    }
  };
  check();
  // A torn tail in the newest closed file and a lost newer file: the next run
  // cuts the tail off and continues to the same bytes.
  std::string victim = files[files.size() - 2].filename().string();
  fs::remove(plain + "/" + files.back().filename().string());
  fs::resize_file(plain + "/" + victim, fs::file_size(plain + "/" + victim) - 7);
  Shell again = capture("--dir " + plain);
  ASSERT_EQ(again.code, 0) << again.out;
  EXPECT_NE(again.out.find("cutting"), std::string::npos) << again.out;
  EXPECT_NE(again.out.find("continuing"), std::string::npos) << again.out;
  check();
}

// Reads with --follow semantics while `faults` runs next to a workload; stops after
// the file that was active when the workload ended, which FLUSH then closed.
Collected read_through_faults(LiveSourceOptions o, const std::function<void()>& faults,
                              const std::function<void()>& work,
                              const std::function<std::string()>& close_file, unsigned& reconnects,
                              std::string& first) {
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

TEST_F(LiveReader, KilledDumpThreadsLoseAndRepeatNothing) {
  std::atomic<bool> done{false};
  std::atomic<int> kills{0};
  auto killer = [&] {
    auto admin = Connection::open(as_root());
    while (!done) {
      std::this_thread::sleep_for(std::chrono::milliseconds(150));
      auto rows = admin->query(
          "SELECT id FROM information_schema.processlist WHERE user = 'twinlog_test' AND "
          "command LIKE 'Binlog Dump%'");
      for (const auto& row : rows.rows) {
        try {
          admin->execute("KILL " + *row[0]);
          ++kills;
        } catch (const ConnectionError&) {
          // Already gone.
        }
      }
    }
  };
  auto work = [&] {
    auto c = Connection::open(as_root());
    workload(*c, 5000, 1500);
    done = true;
  };
  std::string active;
  auto close_file = [&] {
    auto c = Connection::open(as_root());
    active = *c->query("SHOW MASTER STATUS").rows[0][0];
    c->execute("FLUSH BINARY LOGS");
    return active;
  };
  LiveSourceOptions o;
  o.connection = as("twinlog.cnf");
  unsigned reconnects = 0;
  std::string first;
  Collected got = read_through_faults(o, killer, work, close_file, reconnects, first);
  EXPECT_GE(kills.load(), 3);
  EXPECT_GE(reconnects, 3u);
  ASSERT_FALSE(got.transactions.empty());
  auto files = binlogs("A");
  expect_same_as_server(got, files, first);
}

TEST_F(LiveReader, ConnectionDroppedInsideTransactionsResumesAtTheirStart) {
  // Every 7 events lands inside most transactions (GTID, ANNOTATE, TABLE_MAP, rows, XID).
  auto work = [&] {
    auto c = Connection::open(as_root());
    workload(*c, 9000, 200);
  };
  auto close_file = [&] {
    auto c = Connection::open(as_root());
    std::string active = *c->query("SHOW MASTER STATUS").rows[0][0];
    c->execute("FLUSH BINARY LOGS");
    return active;
  };
  LiveSourceOptions o;
  o.connection = as("twinlog.cnf");
  o.drop_connection_every = 7;
  unsigned reconnects = 0;
  std::string first;
  Collected got = read_through_faults(
      o, [] {}, work, close_file, reconnects, first);
  EXPECT_GE(reconnects, 50u);
  expect_same_as_server(got, binlogs("A"), first);
}

TEST_F(LiveReader, RestartedMasterIsReadOnFromWhereItWas) {
  // The reader follows while both servers go down and come back mid-workload.
  auto work = [&] {
    {
      auto c = Connection::open(as_root());
      workload(*c, 20000, 150);
    }
    sandbox("stop");
    std::this_thread::sleep_for(std::chrono::seconds(1));
    sandbox("start");
    auto c = Connection::open(as_root());
    workload(*c, 21000, 100);
  };
  auto close_file = [&] {
    auto c = Connection::open(as_root());
    std::string active = *c->query("SHOW MASTER STATUS").rows[0][0];
    c->execute("FLUSH BINARY LOGS");
    return active;
  };
  LiveSourceOptions o;
  o.connection = as("twinlog.cnf");
  unsigned reconnects = 0;
  std::string first;
  Collected got = read_through_faults(
      o, [] {}, work, close_file, reconnects, first);
  EXPECT_GE(reconnects, 1u);
  expect_same_as_server(got, binlogs("A"), first);
}

TEST_F(LiveReader, WrongPasswordIsSaidPlainly) {
  try {
    Connection::open(as("wrong.cnf"));
    FAIL() << "connected with a wrong password";
  } catch (const ConnectionError& e) {
    EXPECT_EQ(e.kind(), FailureKind::kAccessDenied);
    EXPECT_NE(std::string(e.what()).find("wrong user or password"), std::string::npos) << e.what();
    EXPECT_EQ(std::string(e.what()).find("not-it"), std::string::npos);
  }
  Shell r = sh(std::string(TWINLOG_BINARY) + " capture --host 127.0.0.1 --port " +
               std::to_string(port("A")) + " --defaults-file " + sandbox_dir + "/wrong.cnf --dir " +
               sandbox_dir + "/never");
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.out.find("access denied to user 'twinlog_test'"), std::string::npos) << r.out;
  // MYSQL_PWD is a password source too.
  Shell env = sh("MYSQL_PWD=tl-pass " + std::string(TWINLOG_BINARY) +
                 " capture -q --no-defaults --user twinlog_test --host 127.0.0.1 --port " +
                 std::to_string(port("A")) + " --start-end --dir " + sandbox_dir + "/env-pwd");
  EXPECT_EQ(env.code, 0) << env.out;
}

TEST_F(LiveReader, PasswordIsAskedOnATerminalWithoutEcho) {
  // script(1) gives twinlog a terminal; the password is typed after the prompt.
  for (const std::string& ask :
       {std::string("-p "), std::string()}) {  // asked for, or refused first
    std::string dir = sandbox_dir + "/prompted" + std::to_string(ask.size());
    std::ostringstream cmd;
    cmd << TWINLOG_BINARY << " capture " << ask
        << "--no-defaults --user twinlog_test --host 127.0.0.1 --port " << port("A")
        << " --start-end --dir " << dir;
    Shell r = sh("(sleep 2; printf 'tl-pass\\n') | env -u MYSQL_PWD script -qec " +
                 shell_quote(cmd.str()) + " /dev/null");
    EXPECT_EQ(r.code, 0) << r.out;
    EXPECT_NE(r.out.find("Enter password: "), std::string::npos) << r.out;
    EXPECT_EQ(r.out.find("tl-pass"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("events"), std::string::npos) << r.out;
  }
}

TEST_F(LiveReader, MissingPrivilegesAreNamed) {
  // repl has REPLICATION SLAVE only: listing binlogs needs BINLOG MONITOR.
  LiveSourceOptions o;
  o.connection = as("repl.cnf");
  try {
    LiveSource(o).open();
    FAIL() << "opened without BINLOG MONITOR";
  } catch (const ConnectionError& e) {
    EXPECT_EQ(e.kind(), FailureKind::kPrivileges);
    EXPECT_NE(std::string(e.what()).find("BINLOG MONITOR"), std::string::npos) << e.what();
  }
  // noslave may list binlogs but not read them.
  LiveSourceOptions n;
  n.connection = as("noslave.cnf");
  LiveSource s(n);
  RawEvent ev;
  try {
    s.next(ev);
    FAIL() << "read binlogs without REPLICATION SLAVE";
  } catch (const SourceError& e) {
    EXPECT_NE(std::string(e.what()).find("REPLICATION SLAVE"), std::string::npos) << e.what();
  }
}

TEST_F(LiveReader, PurgedAndUnknownBinlogsHaveTheirOwnMessages) {
  sandbox("wait-sync");
  auto c = Connection::open(as_root());
  std::string oldest = *c->query("SHOW BINARY LOGS").rows[0][0];
  c->execute("FLUSH BINARY LOGS");
  std::string current = *c->query("SHOW MASTER STATUS").rows[0][0];
  // The other master's dump thread may still be reading the old file, and the
  // server keeps a file in use: purge again until it has gone.
  for (int attempt = 0; attempt < 50; ++attempt) {
    c->execute("PURGE BINARY LOGS TO '" + current + "'");
    if (*c->query("SHOW BINARY LOGS").rows[0][0] == current) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  ASSERT_EQ(*c->query("SHOW BINARY LOGS").rows[0][0], current);

  LiveSourceOptions o;
  o.connection = as("twinlog.cnf");
  o.start.kind = StartPoint::Kind::kPosition;
  o.start.position = {oldest, 4};
  try {
    LiveSource s(o);
    RawEvent ev;
    while (s.next(ev)) {
    }
    FAIL() << "read a purged binlog";
  } catch (const SourceError& e) {
    EXPECT_NE(std::string(e.what()).find("has been purged"), std::string::npos) << e.what();
    EXPECT_EQ(e.file(), oldest);
  }
  o.start.position = {"mysql-bin.999999", 4};
  try {
    LiveSource s(o);
    RawEvent ev;
    while (s.next(ev)) {
    }
    FAIL() << "read a binlog that does not exist";
  } catch (const SourceError& e) {
    EXPECT_NE(std::string(e.what()).find("no binlog named mysql-bin.999999"), std::string::npos)
        << e.what();
  }
}

TEST_F(LiveReader, ReplicaServerIdClashIsRefused) {
  for (uint32_t id : {1u, 2u}) {  // A's own; B, which replicates from A (SHOW SLAVE HOSTS)
    LiveSourceOptions o;
    o.connection = as("twinlog.cnf");
    o.replica_server_id = id;
    try {
      LiveSource(o).open();
      FAIL() << "server_id " << id << " accepted";
    } catch (const ConnectionError& e) {
      EXPECT_NE(std::string(e.what()).find("clashes"), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find(id == 1 ? "server's own" : "SHOW SLAVE HOSTS"),
                std::string::npos)
          << e.what();
    }
  }
  LiveSourceOptions o;
  o.connection = as("twinlog.cnf");
  o.start.kind = StartPoint::Kind::kCurrentEnd;
  o.report_host = "twinlog-live-test";
  LiveSource s(o);
  s.open();
  EXPECT_NE(s.replica_server_id(), 1u);
  EXPECT_NE(s.replica_server_id(), 2u);
  std::string hosts = sql("A", "SHOW SLAVE HOSTS");
  EXPECT_NE(hosts.find("twinlog-live-test"), std::string::npos) << hosts;
  EXPECT_NE(hosts.find(std::to_string(s.replica_server_id())), std::string::npos) << hosts;
  // A second reader must not take the registered reader's id.
  LiveSourceOptions clash = o;
  clash.report_host.clear();
  clash.replica_server_id = s.replica_server_id();
  EXPECT_THROW(LiveSource(clash).open(), ConnectionError);
}

TEST_F(LiveReader, StartsAtAGtidAndStopsAtAPosition) {
  auto c = Connection::open(as_root());
  workload(*c, 30000, 20);
  std::string state = trim(*c->query("SELECT @@gtid_binlog_pos").rows[0][0]);
  workload(*c, 30100, 10);
  LiveSourceOptions o;
  o.connection = as("twinlog.cnf");
  o.start.kind = StartPoint::Kind::kGtid;
  o.start.gtid_state = *protocol::GtidSet::parse(state);
  LiveSource s(o);
  RawEvent ev;
  std::vector<std::string> gtids;
  BinlogPosition tenth;
  while (s.next(ev)) {
    if (std::to_integer<uint8_t>(ev.bytes[4]) == 162) {
      gtids.push_back(std::to_string(protocol::load_le64(ev.bytes.data() + 19)));
    }
    if (gtids.size() == 10 && tenth.file.empty() && s.at_transaction_boundary())
      tenth = {ev.file, ev.offset + ev.bytes.size()};
  }
  // Each workload transaction is one GTID (DELETEs come every 97th); the first read
  // is the one after `state`.
  ASSERT_FALSE(gtids.empty());
  uint64_t after = std::stoull(state.substr(state.rfind('-') + 1));
  EXPECT_EQ(gtids.front(), std::to_string(after + 1));

  LiveSourceOptions p;
  p.connection = as("twinlog.cnf");
  p.start.kind = StartPoint::Kind::kGtid;
  p.start.gtid_state = *protocol::GtidSet::parse(state);
  p.stop.kind = StopPoint::Kind::kPosition;
  p.stop.position = tenth;
  LiveSource bounded(p);
  std::size_t n = 0;
  BinlogPosition last;
  while (bounded.next(ev)) {
    if (std::to_integer<uint8_t>(ev.bytes[4]) == 162) ++n;
    last = {ev.file, ev.offset + ev.bytes.size()};
  }
  EXPECT_EQ(n, 10u);
  EXPECT_EQ(last, tenth);
}

TEST_F(LiveReader, EventStreamDecodesTheLiveReadAsTheFiles) {
  // The same EventStream (framing, CRC, decoding) over the live source and over the
  // server's own files gives the same events at the same places.
  {
    auto c = Connection::open(as_root());
    workload(*c, 60000, 100);
    c->execute("FLUSH BINARY LOGS");
  }
  auto files = binlogs("A");
  files.pop_back();  // the active one
  ASSERT_FALSE(files.empty());
  std::vector<std::string> paths;
  paths.reserve(files.size());
  for (const auto& f : files) paths.push_back(f.string());
  struct Seen {
    std::string file;
    uint64_t offset;
    uint8_t type;
    bool operator==(const Seen&) const = default;
  };
  auto drain = [](EventStream& stream) {
    std::vector<Seen> seen;
    StreamEvent se;
    while (stream.next(se)) {
      EXPECT_TRUE(se.checksum_verified);
      seen.push_back(
          {fs::path(*se.file).filename().string(), se.view->offset, se.view->header.type_code});
    }
    return seen;
  };
  EventStream from_files = EventStream::from_files(paths, StreamOptions{});
  std::vector<Seen> offline = drain(from_files);

  LiveSourceOptions o;
  o.connection = as("twinlog.cnf");
  o.start.kind = StartPoint::Kind::kPosition;
  o.start.position = {files.front().filename().string(), 4};
  o.stop.kind = StopPoint::Kind::kPosition;
  o.stop.position = {files.back().filename().string(), ~uint64_t{0}};
  bool opened = false;
  EventStream live(
      [&]() -> std::unique_ptr<EventSource> {
        if (opened) return nullptr;
        opened = true;
        return std::make_unique<LiveSource>(o);
      },
      StreamOptions{});
  std::vector<Seen> online = drain(live);
  EXPECT_GT(offline.size(), 300u);
  EXPECT_EQ(online.size(), offline.size());
  EXPECT_TRUE(online == offline);
}

TEST_F(LiveReader, GivesUpReconnectingAfterTheConfiguredTime) {
  LiveSourceOptions o;
  o.connection = as("twinlog.cnf");
  o.start.kind = StartPoint::Kind::kCurrentEnd;
  o.stop.kind = StopPoint::Kind::kNever;
  o.give_up_seconds = 3;
  LiveSource source(o);
  source.open();
  std::string error;
  std::thread reader([&] {
    try {
      RawEvent ev;
      while (source.next(ev)) {
      }
    } catch (const SourceError& e) {
      error = e.what();
    }
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  auto down = std::chrono::steady_clock::now();
  sandbox("stop");
  reader.join();
  auto waited = std::chrono::steady_clock::now() - down;
  sandbox("start");
  EXPECT_NE(error.find("gave up reconnecting after 3 s"), std::string::npos) << error;
  EXPECT_NE(error.find("cannot reach"), std::string::npos) << error;
  EXPECT_LT(waited, std::chrono::seconds(30));
}

TEST_F(LiveReader, PreferredTlsFallsBackAndRequiredRefusesAPlainServer) {
  ConnectionOptions o = as("twinlog.cnf");
  o.ssl_mode = SslMode::kPreferred;
  auto c = Connection::open(o);
  EXPECT_EQ(c->tls_cipher(), "");
  o.ssl_mode = SslMode::kRequired;
  try {
    Connection::open(o);
    FAIL() << "REQUIRED connected to a server without TLS";
  } catch (const ConnectionError& e) {
    EXPECT_EQ(e.kind(), FailureKind::kTls) << e.what();
  }
}

TEST_F(LiveReader, HeartbeatsKeepAnIdleFollowerConnected) {
  // heartbeat 1 s gives a read timeout of 8 s: 10 s of silence without heartbeats
  // would be taken for a dead connection and reconnected.
  auto close_file = [&] {
    auto c = Connection::open(as_root());
    workload(*c, 40000, 3);
    std::string active = *c->query("SHOW MASTER STATUS").rows[0][0];
    c->execute("FLUSH BINARY LOGS");
    return active;
  };
  LiveSourceOptions o;
  o.connection = as("twinlog.cnf");
  o.heartbeat_seconds = 1;
  unsigned reconnects = 99;
  std::string first;
  Collected got = read_through_faults(
      o, [] { std::this_thread::sleep_for(std::chrono::seconds(10)); }, [] {}, close_file,
      reconnects, first);
  EXPECT_EQ(reconnects, 0u);
  expect_same_as_server(got, binlogs("A"), first);
}

TEST_F(LiveReader, StopsAtTheFirstTransactionAtOrAfterATime) {
  auto c = Connection::open(as_root());
  std::string file = *c->query("SHOW MASTER STATUS").rows[0][0];
  workload(*c, 50000, 20);
  std::this_thread::sleep_for(std::chrono::milliseconds(2100));
  auto stop_at = static_cast<uint32_t>(std::time(nullptr));
  workload(*c, 50100, 20);
  LiveSourceOptions o;
  o.connection = as("twinlog.cnf");
  o.start.kind = StartPoint::Kind::kPosition;
  o.start.position = {file, 4};
  o.stop.kind = StopPoint::Kind::kTime;
  o.stop.timestamp = stop_at;
  LiveSource s(o);
  RawEvent ev;
  std::size_t gtids = 0;
  while (s.next(ev)) {
    EXPECT_LT(protocol::load_le32(ev.bytes.data()), stop_at);
    if (std::to_integer<uint8_t>(ev.bytes[4]) == 162) ++gtids;
  }
  EXPECT_GE(gtids, 20u);
  EXPECT_TRUE(s.at_transaction_boundary());
}

// A `twinlog capture` running in the background, stdout and stderr in `log`.
class BackgroundCapture {
 public:
  BackgroundCapture(const std::vector<std::string>& args, std::string log) : log_(std::move(log)) {
    std::vector<std::string> all = {TWINLOG_BINARY, "capture"};
    all.insert(all.end(), args.begin(), args.end());
    std::vector<char*> argv;
    argv.reserve(all.size() + 1);
    for (auto& a : all) argv.push_back(a.data());
    argv.push_back(nullptr);
    pid_ = fork();
    if (pid_ == 0) {
      int fd = ::open(log_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      if (fd >= 0) {
        dup2(fd, 1);
        dup2(fd, 2);
      }
      execv(argv[0], argv.data());
      _exit(127);
    }
  }
  ~BackgroundCapture() {
    if (pid_ > 0) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
  }
  BackgroundCapture(const BackgroundCapture&) = delete;
  BackgroundCapture& operator=(const BackgroundCapture&) = delete;

  void signal(int sig) const { kill(pid_, sig); }
  // Its exit status once it ends within `seconds`; -1 if it did not (it is killed)
  // or died of a signal.
  int wait(int seconds) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
    int status = 0;
    while (waitpid(pid_, &status, WNOHANG) == 0) {
      if (std::chrono::steady_clock::now() > deadline) return -1;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    pid_ = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }
  std::string output() const {
    std::string out;
    for (std::byte b : read_file(log_)) out += std::to_integer<char>(b);
    return out;
  }

 private:
  std::string log_;
  pid_t pid_ = -1;
};

// Polls until `holds` or `seconds` pass.
bool eventually(const std::function<bool()>& holds, int seconds) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
  while (!holds()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return true;
}

// Offsets where the events of a binlog file end.
std::set<uint64_t> event_ends(const Bytes& data) {
  std::set<uint64_t> ends{4};
  for (std::size_t pos = 4; pos + 19 <= data.size();) {
    pos += protocol::load_le32(data.data() + pos + 9);
    ends.insert(pos);
  }
  return ends;
}

TEST_F(LiveReader, CaptureFollowStopsCleanlyOnSigintAndSigtermAndARestartContinues) {
  std::string dir = sandbox_dir + "/capture-follow";
  auto c = Connection::open(as_root());
  workload(*c, 70000, 50);
  std::string first = *c->query("SHOW MASTER STATUS").rows[0][0];
  const std::vector<std::string> common = {"--host",          "127.0.0.1",
                                           "--port",          std::to_string(port("A")),
                                           "--defaults-file", sandbox_dir + "/twinlog.cnf",
                                           "--dir",           dir};
  auto with = [&](std::vector<std::string> extra) {
    std::vector<std::string> args = common;
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
  };

  // Caught up and waiting for the server: SIGINT ends the wait long before the next
  // heartbeat (30 s), with everything received in the file.
  {
    BackgroundCapture cap(with({"--follow", "--heartbeat", "30", "--start-file", first}),
                          sandbox_dir + "/capture-follow-1.log");
    workload(*c, 70050, 50);
    auto status = c->query("SHOW MASTER STATUS");
    std::string active = *status.rows[0][0];
    uint64_t end = std::stoull(*status.rows[0][1]);
    fs::path copy = dir + "/" + active;
    ASSERT_TRUE(eventually([&] { return fs::exists(copy) && fs::file_size(copy) == end; }, 30))
        << "the capture did not reach " << active << ":" << end << "\n"
        << cap.output();
    auto sent = std::chrono::steady_clock::now();
    cap.signal(SIGINT);
    int code = cap.wait(25);
    auto took = std::chrono::steady_clock::now() - sent;
    std::string out = cap.output();
    EXPECT_EQ(code, 0) << out;
    EXPECT_LT(took, std::chrono::seconds(10)) << out;
    EXPECT_NE(out.find("stopped by SIGINT at " + active + ":" + std::to_string(end)),
              std::string::npos)
        << out;
    EXPECT_EQ(fs::file_size(copy), end);
  }

  // Restarted, following, and stopped by SIGTERM while transactions stream in.
  {
    BackgroundCapture cap(with({"--follow"}), sandbox_dir + "/capture-follow-2.log");
    std::thread work([&] {
      auto w = Connection::open(as_root());
      workload(*w, 70100, 400);
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(700));
    cap.signal(SIGTERM);
    int code = cap.wait(25);
    work.join();
    std::string out = cap.output();
    EXPECT_EQ(code, 0) << out;
    EXPECT_NE(out.find("continuing"), std::string::npos) << out;
    EXPECT_NE(out.find("stopped by SIGTERM"), std::string::npos) << out;
  }

  // What was captured is the server's bytes, each file cut at the end of an event.
  c->execute("FLUSH BINARY LOGS");
  auto files = binlogs("A");
  std::size_t seen = 0;
  for (const auto& f : files) {
    fs::path copy = dir + "/" + f.filename().string();
    if (!fs::exists(copy)) continue;
    ++seen;
    Bytes server = read_file(f);
    Bytes got = read_file(copy);
    ASSERT_LE(got.size(), server.size()) << copy;
    EXPECT_TRUE(std::equal(got.begin(), got.end(), server.begin())) << copy;
    EXPECT_TRUE(event_ends(server).contains(got.size())) << copy << " ends inside an event";
  }
  EXPECT_GT(seen, 0u);

  // A restart continues them, with nothing to cut off, to the server's files.
  Shell again = sh(std::string(TWINLOG_BINARY) + " capture --host 127.0.0.1 --port " +
                   std::to_string(port("A")) + " --defaults-file " + sandbox_dir +
                   "/twinlog.cnf --dir " + dir);
  ASSERT_EQ(again.code, 0) << again.out;
  EXPECT_NE(again.out.find("continuing"), std::string::npos) << again.out;
  EXPECT_EQ(again.out.find("cutting"), std::string::npos) << again.out;
  for (std::size_t i = 0; i + 1 < files.size(); ++i) {
    if (compare_binlog_names(files[i].filename().string(), first) < 0) continue;
    EXPECT_TRUE(read_file(dir + "/" + files[i].filename().string()) == read_file(files[i]))
        << files[i];
  }
}

// TLS: a sandbox of its own, started with a CA, a server certificate for 127.0.0.1,
// and not wired (one server is enough).
class LiveReaderTls : public ::testing::Test {
 protected:
  static inline std::string dir;
  static inline bool up = false;
  static inline unsigned port_a = 0;

  static void SetUpTestSuite() {
    char tmpl[] = "/tmp/twinlog-live-tls-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir = tmpl;
    std::string t = dir + "/tls";
    Shell certs =
        sh("mkdir -p " + t + " && cd " + t +
           " && openssl req -x509 -newkey rsa:2048 -nodes -keyout ca-key.pem -out ca.pem -days 2 "
           "-subj '/CN=twinlog test CA'"
           " && openssl req -newkey rsa:2048 -nodes -keyout server-key.pem -out server.csr "
           "-subj '/CN=127.0.0.1'"
           " && printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\n' > san.ext"
           " && openssl x509 -req -in server.csr -CA ca.pem -CAkey ca-key.pem -CAcreateserial "
           "-out server.pem -days 2 -extfile san.ext"
           " && openssl req -x509 -newkey rsa:2048 -nodes -keyout other-key.pem -out other-ca.pem "
           "-days 2 -subj '/CN=another CA'");
    ASSERT_EQ(certs.code, 0) << certs.out;
    Shell r =
        sh(in_sandbox(dir, "start --no-wire --watch " + std::to_string(getpid()) + " --extra " +
                               shell_quote("ssl-ca=" + t + "/ca.pem;ssl-cert=" + t +
                                           "/server.pem;ssl-key=" + t + "/server-key.pem")));
    ASSERT_EQ(r.code, 0) << r.out;
    port_a = std::stoul(trim(sh(in_sandbox(dir, "port A")).out));
    up = true;
  }
  static void TearDownTestSuite() {
    if (!dir.empty()) sh(in_sandbox(dir, "destroy"));
  }
  void SetUp() override {
    if (!up) GTEST_SKIP() << "TLS sandbox did not start";
  }
  static ConnectionOptions root(SslMode mode, const std::string& ca = "") {
    ConnectionOptions o;
    o.host = "127.0.0.1";
    o.port = port_a;
    o.user = "root";
    o.no_defaults = true;
    o.ssl_mode = mode;
    if (!ca.empty()) o.ssl_ca = dir + "/tls/" + ca;
    return o;
  }
};

TEST_F(LiveReaderTls, EachSslModeDoesWhatItSays) {
  EXPECT_EQ(Connection::open(root(SslMode::kDisabled))->tls_cipher(), "");
  EXPECT_NE(Connection::open(root(SslMode::kPreferred))->tls_cipher(), "");
  EXPECT_NE(Connection::open(root(SslMode::kRequired))->tls_cipher(), "");
  EXPECT_NE(Connection::open(root(SslMode::kVerifyCa, "ca.pem"))->tls_cipher(), "");
  EXPECT_NE(Connection::open(root(SslMode::kVerifyIdentity, "ca.pem"))->tls_cipher(), "");
  for (auto [mode, ca] :
       {std::pair{SslMode::kVerifyCa, "other-ca.pem"}, std::pair{SslMode::kVerifyIdentity, ""}}) {
    try {
      Connection::open(root(mode, ca));
      FAIL() << "verified a certificate against the wrong CA";
    } catch (const ConnectionError& e) {
      EXPECT_EQ(e.kind(), FailureKind::kTls) << e.what();
      EXPECT_NE(std::string(e.what()).find("TLS connection to 127.0.0.1"), std::string::npos)
          << e.what();
    }
  }
}

TEST_F(LiveReaderTls, BinlogsReadOverTlsAreTheServersBytes) {
  {
    auto c = Connection::open(root(SslMode::kRequired));
    c->execute("USE test");
    c->execute("CREATE TABLE tls_t (id INT PRIMARY KEY, v TEXT)");
    for (int i = 0; i < 50; ++i)
      c->execute("INSERT INTO tls_t VALUES (" + std::to_string(i) + ", REPEAT('t', 300))");
    c->execute("FLUSH BINARY LOGS");
  }
  std::string out = dir + "/capture";
  Shell r =
      sh(std::string(TWINLOG_BINARY) +
         " capture --no-defaults --user root --host 127.0.0.1 --port " + std::to_string(port_a) +
         " --ssl-mode VERIFY_IDENTITY --ssl-ca " + dir + "/tls/ca.pem --dir " + out);
  ASSERT_EQ(r.code, 0) << r.out;
  EXPECT_NE(r.out.find("TLS "), std::string::npos) << r.out;
  std::istringstream files(sh(in_sandbox(dir, "binlogs A")).out);
  std::vector<fs::path> server;
  for (std::string line; std::getline(files, line);)
    if (!line.empty()) server.emplace_back(line);
  ASSERT_GE(server.size(), 2u);
  for (std::size_t i = 0; i + 1 < server.size(); ++i)
    EXPECT_TRUE(read_file(out + "/" + server[i].filename().string()) == read_file(server[i]))
        << server[i];
}

}  // namespace
}  // namespace twinlog
