// The live reader against a real MariaDB master-master pair (tools/sandbox): what it
// reads equals the server's own binlog files byte for byte, killed dump threads and
// a restarted master lose and repeat nothing, and each failure says what it is.
#include <gtest/gtest.h>

#include "tests/live/live_reader_fixture.h"

namespace twinlog {
namespace {

using namespace live_reading;  // NOLINT(google-build-using-namespace)

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
    active = close_active_binlog(*c);
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
    return close_active_binlog(*c);
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
    return close_active_binlog(*c);
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

}  // namespace
}  // namespace twinlog
