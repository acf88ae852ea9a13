// The live reader following a real MariaDB master (tools/sandbox): where a reading
// starts and stops (GTID, position, time), the events decoded as the files'
// are, reconnecting and giving up, heartbeats on an idle master, and capture
// --follow stopped by a signal and restarted.
#include <gtest/gtest.h>

#include "tests/live/live_reader_fixture.h"

namespace twinlog {
namespace {

using namespace live_reading;  // NOLINT(google-build-using-namespace)

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
    return close_active_binlog(*c);
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

}  // namespace
}  // namespace twinlog
