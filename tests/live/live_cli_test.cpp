// `twinlog decode` and `twinlog stats` pointed at a running master print the same
// as when given that master's binlog files.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "tests/live/sandbox_pair.h"
#include "tests/support/cli_run.h"

namespace {

using twinlog::live::run_command;
using twinlog::live::SandboxPair;
using twinlog::live::shell_quote;

class LiveCli : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    pair_ = SandboxPair::start({"--format", "ROW", "--row-metadata", "FULL"}).release();
    const std::string workload =
        std::string(TWINLOG_BINARY_DIR) + "/tools/workload/twinlog-workload";
    auto r = run_command(workload + " --sandbox " + shell_quote(pair_->dir()) +
                         " --seed 5 --transactions 30 --quiet");
    ASSERT_EQ(r.exit_code, 0) << r.output;
    pair_->wait_sync();
    pair_->sql('A', "FLUSH BINARY LOGS");
    // The new file's Binlog_checkpoint naming itself comes a moment after FLUSH
    // (once the old file's transactions are committed): the tests compare reads
    // made at different moments, so the binlog must be still before they start.
    const std::string last = std::filesystem::path(pair_->binlogs('A').back()).filename();
    for (int i = 0; i < 200; ++i) {
      const std::string events = pair_->sql('A', "SHOW BINLOG EVENTS IN '" + last + "'");
      if (events.find("Binlog_checkpoint\t1\t") != std::string::npos &&
          events.rfind(last) > events.rfind("Binlog_checkpoint")) {
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }
  static void TearDownTestSuite() {
    delete pair_;
    pair_ = nullptr;
  }
  static std::string files(char server) {
    std::string list;
    for (const auto& f : pair_->binlogs(server)) list.append(" ").append(shell_quote(f));
    return list;
  }
  static std::string server(char s) {
    return " --socket " + shell_quote(pair_->socket(s)) +
           " --user root --no-defaults --start-oldest";
  }
  static SandboxPair* pair_;
};

SandboxPair* LiveCli::pair_ = nullptr;

// JSON lines without what differs by nature between a file and a stream: the file
// name (a path vs the server's name) and the FDE's "binlog in use" flag.
std::vector<nlohmann::json> normalized(const std::string& jsonl) {
  std::vector<nlohmann::json> out;
  std::istringstream in(jsonl);
  std::string line;
  while (std::getline(in, line)) {
    auto j = nlohmann::json::parse(line);
    j.erase("file");
    if (j["type"] == "FORMAT_DESCRIPTION_EVENT") j["flags"] = j["flags"].get<int>() & ~1;
    out.push_back(std::move(j));
  }
  return out;
}

TEST_F(LiveCli, DecodeFromTheServerEqualsDecodeOfItsFiles) {
  const std::string twinlog = TWINLOG_BINARY;
  auto from_files = run_command(twinlog + " decode --format jsonl" + files('A') + " 2>/dev/null");
  auto from_server = run_command(twinlog + " decode --format jsonl" + server('A') + " 2>/dev/null");
  ASSERT_EQ(from_files.exit_code, 0);
  ASSERT_EQ(from_server.exit_code, 0) << from_server.output.substr(0, 2000);
  auto a = normalized(from_files.output), b = normalized(from_server.output);
  ASSERT_GT(a.size(), 100u);
  // The server also sends a fake ROTATE naming each file before its FDE; the files
  // end with a real ROTATE. Compare the events that are in the files.
  std::vector<nlohmann::json> live_events;
  for (auto& j : b) {
    if (j["type"] == "ROTATE_EVENT" && j["pos"] == 0) continue;
    live_events.push_back(j);
  }
  ASSERT_EQ(live_events.size(), a.size());
  for (std::size_t i = 0; i < a.size(); ++i) ASSERT_EQ(live_events[i], a[i]) << "event " << i;
}

TEST_F(LiveCli, StatsFromTheServerEqualsStatsOfItsFiles) {
  const std::string twinlog = TWINLOG_BINARY;
  auto from_files = run_command(twinlog + " stats --format json" + files('B') + " 2>/dev/null");
  auto from_server = run_command(twinlog + " stats --format json" + server('B') + " 2>/dev/null");
  ASSERT_EQ(from_files.exit_code, 0);
  ASSERT_EQ(from_server.exit_code, 0) << from_server.output;
  auto a = nlohmann::json::parse(from_files.output), b = nlohmann::json::parse(from_server.output);
  for (const char* key : {"row_changes", "values_decoded", "transactions", "tables", "origins"}) {
    EXPECT_EQ(a[key], b[key]) << key;
  }
  EXPECT_GT(a["row_changes"].get<uint64_t>(), 0u);
}

// Events from the server less its fake ROTATEs (position 0), which name each file
// before its FDE and are not in the files.
std::vector<nlohmann::json> in_files(const std::string& jsonl) {
  std::vector<nlohmann::json> out;
  for (auto& j : normalized(jsonl))
    if (!(j["type"] == "ROTATE_EVENT" && j["pos"] == 0)) out.push_back(std::move(j));
  return out;
}

// mysqlbinlog -R's habits: FILE... names the server's binlogs (the first to the end
// of the last; --to-last-log on to the server's end), and with no FILE a host= in
// the option file's [client] names the server.
TEST_F(LiveCli, ReadFromRemoteServerTakesTheServersFileNames) {
  const std::string twinlog = TWINLOG_BINARY;
  const auto binlogs = pair_->binlogs('A');
  ASSERT_GE(binlogs.size(), 2u);
  const std::string first = std::filesystem::path(binlogs.front()).filename().string();
  const std::string sock = shell_quote(pair_->socket('A'));
  auto one_file = run_command(twinlog + " decode --format jsonl " + shell_quote(binlogs.front()) +
                              " 2>/dev/null");
  auto remote = run_command(twinlog + " decode --format jsonl -R -S " + sock +
                            " -u root --no-defaults " + first + " 2>&1");
  ASSERT_EQ(remote.exit_code, 0) << remote.output.substr(0, 2000);
  EXPECT_EQ(in_files(remote.output), normalized(one_file.output));

  auto all_files = run_command(twinlog + " decode --format jsonl" + files('A') + " 2>/dev/null");
  auto to_last = run_command(twinlog + " decode --format jsonl -R -S " + sock +
                             " -u root --no-defaults --to-last-log " + first + " 2>&1");
  ASSERT_EQ(to_last.exit_code, 0) << to_last.output.substr(0, 2000);
  EXPECT_EQ(in_files(to_last.output), normalized(all_files.output));

  const std::string cnf = twinlog::testing::write_temp_file(
      "twinlog-live-client.cnf",
      "[client]\nhost=localhost\nsocket=" + pair_->socket('A') + "\nuser=root\n");
  auto by_option_file =
      run_command(twinlog + " decode --format jsonl --defaults-file " + cnf + " 2>&1");
  ASSERT_EQ(by_option_file.exit_code, 0) << by_option_file.output.substr(0, 2000);
  EXPECT_EQ(in_files(by_option_file.output), normalized(all_files.output));
}

// The selection options select the same events from a server as from its files.
TEST_F(LiveCli, SelectionOptionsSelectFromTheServerAsFromFiles) {
  const std::string twinlog = TWINLOG_BINARY;
  for (const std::string& option :
       {std::string("--do-server-ids=2"), std::string("--ignore-server-ids=2"),
        std::string("--offset=20"), std::string("--exclude-gtids=0-1-3,0-2-4")}) {
    auto from_files =
        run_command(twinlog + " decode --format jsonl " + option + files('A') + " 2>/dev/null");
    auto from_server =
        run_command(twinlog + " decode --format jsonl " + option + server('A') + " 2>&1");
    ASSERT_EQ(from_server.exit_code, 0) << option << from_server.output.substr(0, 2000);
    const auto a = normalized(from_files.output);
    EXPECT_GT(a.size(), 5u) << option;
    if (option.starts_with("--offset")) continue;  // the fake ROTATEs count as events read
    EXPECT_EQ(in_files(from_server.output), a) << option;
  }
}

// A dump that starts past offset 4 gets the file's FORMAT_DESCRIPTION again
// (log_pos 0): the events after it decode with its checksum, as from the file.
TEST_F(LiveCli, AStartPositionInsideTheFileReadsAsTheFileDoes) {
  const std::string twinlog = TWINLOG_BINARY;
  const auto binlogs = pair_->binlogs('A');
  const std::string first = std::filesystem::path(binlogs.front()).filename().string();
  auto whole = normalized(run_command(twinlog + " decode --format jsonl " +
                                      shell_quote(binlogs.front()) + " 2>/dev/null")
                              .output);
  ASSERT_GT(whole.size(), 20u);
  const uint64_t start = whole[whole.size() / 2]["pos"].get<uint64_t>();
  const std::string option = " --start-position " + std::to_string(start) + " ";
  auto from_file = run_command(twinlog + " decode --format jsonl" + option +
                               shell_quote(binlogs.front()) + " 2>/dev/null");
  auto remote =
      run_command(twinlog + " decode --format jsonl -R -S " + shell_quote(pair_->socket('A')) +
                  " -u root --no-defaults" + option + first + " 2>&1");
  ASSERT_EQ(remote.exit_code, 0) << remote.output.substr(0, 2000);
  auto a = normalized(from_file.output);
  auto b = in_files(remote.output);
  ASSERT_GT(a.size(), 5u);
  ASSERT_FALSE(b.empty());
  // Both begin with the file's FORMAT_DESCRIPTION; the server's copy is the re-sent
  // one (end_log_pos 0). The events after it are the file's.
  EXPECT_EQ(a.front()["type"], "FORMAT_DESCRIPTION_EVENT");
  EXPECT_EQ(b.front()["type"], "FORMAT_DESCRIPTION_EVENT");
  EXPECT_EQ(b.front()["end_log_pos"], 0);
  a.erase(a.begin());
  b.erase(b.begin());
  EXPECT_EQ(b, a);
}

TEST_F(LiveCli, FilesAndServerTogetherIsAUsageError) {
  auto r = run_command(std::string(TWINLOG_BINARY) + " stats" + files('A') + server('A') + " 2>&1");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.output.find("not both"), std::string::npos) << r.output;
}

}  // namespace
