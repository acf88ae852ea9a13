// The pair taken live (--a / --b, tools/twinlog/pair_options.h) against a real
// sandbox pair: the configuration each master reports is the one its option file
// gives, and its binlogs read through the replica connection are its files, event
// for event and byte for byte.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>

#include "tests/live/sandbox_pair.h"
#include "tools/twinlog/pair_options.h"

namespace twinlog::live {
namespace {

using cli::PairInput;
using cli::PairNeeds;
namespace po = boost::program_options;

struct PairRun {
  std::optional<PairInput> pair;
  std::string error;
};

PairRun pair_of(const std::vector<std::string>& args, const PairNeeds& needs) {
  po::options_description options;
  po::positional_options_description positional;
  cli::add_pair_options(options, positional);
  po::variables_map vm;
  po::store(po::command_line_parser(args).options(options).positional(positional).run(), vm);
  po::notify(vm);
  PairRun run;
  testing::internal::CaptureStderr();
  run.pair = cli::pair_input_from(vm, "twinlog filters", needs);
  run.error = testing::internal::GetCapturedStderr();
  return run;
}

std::string joined(const std::vector<config::FilterEntry>& list) {
  std::string out;
  for (const auto& e : list) out += (out.empty() ? "" : ",") + e.value;
  return out;
}

// Every event an opener yields: "FILE:OFFSET" (file name without its directory)
// and the event's bytes.
std::map<std::string, std::string> events_of(const SourceOpener& opener) {
  std::map<std::string, std::string> out;
  while (auto source = opener()) {
    RawEvent ev;
    while (source->next(ev)) {
      const std::string name = std::filesystem::path(ev.file).filename().string();
      out[name + ":" + std::to_string(100000000000 + ev.offset)] =
          std::string(reinterpret_cast<const char*>(ev.bytes.data()), ev.bytes.size());
    }
  }
  return out;
}

// The same event, but for the flag a server sets in the FORMAT_DESCRIPTION of the
// binlog it is writing (LOG_EVENT_BINLOG_IN_USE_F, which the dump clears) and the
// checksum that changes with it.
bool same_event(const std::string& live, const std::string& file) {
  if (live == file) return true;
  constexpr std::size_t kFlags = 17;
  constexpr std::size_t kChecksum = 4;
  if (live.size() != file.size() || file.size() < kFlags + 2 + kChecksum) return false;
  if (file[4] != 15 || (file[kFlags] & 1) == 0 || (live[kFlags] & 1) != 0) return false;
  std::string cleared = file;
  cleared[kFlags] = static_cast<char>(cleared[kFlags] & ~1);
  const std::size_t body = file.size() - kChecksum;
  return live.compare(0, body, cleared, 0, body) == 0;
}

// Both hold the same events (see same_event).
void expect_same_events(const std::map<std::string, std::string>& live,
                        const std::map<std::string, std::string>& files) {
  EXPECT_GT(files.size(), 10u);
  EXPECT_EQ(live.size(), files.size());
  for (const auto& [at, bytes] : files) {
    auto found = live.find(at);
    EXPECT_TRUE(found != live.end() && same_event(found->second, bytes)) << at;
  }
}

class PairOptionsLive : public testing::Test {
 protected:
  static void SetUpTestSuite() {
    pair_ = SandboxPair::start({"--format", "MIXED"}).release();
    // USE test: the pair's binlog-do-db=test goes by the default database.
    pair_->sql('A', "USE test; CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(20))");
    pair_->sql('A', "USE test; INSERT INTO t VALUES (1, 'one'), (3, 'three')");
    pair_->sql('A', "FLUSH BINARY LOGS");
    pair_->wait_sync();
    pair_->sql('B', "USE test; INSERT INTO t VALUES (2, 'two')");
    pair_->sql('A', "USE test; UPDATE t SET v = 'uno' WHERE id = 1");
    pair_->wait_sync();
  }
  static void TearDownTestSuite() {
    delete pair_;
    pair_ = nullptr;
  }

  static std::string target(char server) {
    return "127.0.0.1:" + std::to_string(pair_->port(server));
  }
  static std::vector<std::string> root() { return {"--user", "root", "--no-defaults"}; }

  static SandboxPair* pair_;
};

SandboxPair* PairOptionsLive::pair_ = nullptr;

TEST_F(PairOptionsLive, LiveMastersGiveTheirOptionFilesSettingsAndTheirBinlogFiles) {
  std::vector<std::string> args = {"--a", target('A'), "--b", pair_->socket('B')};
  for (const auto& r : root()) args.push_back(r);
  PairRun run = pair_of(args, {.binlogs_of_both = true, .live_binlogs = true});
  ASSERT_TRUE(run.pair) << run.error;
  EXPECT_EQ(run.error, "");

  for (auto [server, in] : {std::pair{'A', &run.pair->a}, std::pair{'B', &run.pair->b}}) {
    SCOPED_TRACE(std::string("master ") + server);
    ASSERT_TRUE(in->config);
    const config::ServerConfig& live = *in->config;
    const config::ServerConfig file = config::read_server_config(
        trim(pair_->sandbox_or_throw(std::string("cnf ") + server)), live.identity);
    EXPECT_EQ(in->identity_source, "");
    EXPECT_EQ(live.identity.flavor, protocol::Flavor::kMariaDB);
    EXPECT_EQ(live.server_id.value, file.server_id.value);
    EXPECT_EQ(live.server_id.origin.text(), "SHOW GLOBAL VARIABLES server_id");
    EXPECT_EQ(live.log_slave_updates.value, file.log_slave_updates.value);
    EXPECT_EQ(live.auto_increment_increment.value, file.auto_increment_increment.value);
    EXPECT_EQ(live.auto_increment_offset.value, file.auto_increment_offset.value);
    EXPECT_EQ(live.binlog_format.value, file.binlog_format.value);
    EXPECT_EQ(joined(live.binlog_do_db), joined(file.binlog_do_db));
    EXPECT_EQ(joined(live.binlog_ignore_db), joined(file.binlog_ignore_db));
    EXPECT_EQ(joined(live.replicate_do_db), joined(file.replicate_do_db));
    EXPECT_EQ(joined(live.replicate_do_table), joined(file.replicate_do_table));
    EXPECT_EQ(joined(live.replicate_wild_ignore_table), joined(file.replicate_wild_ignore_table));
    // The runbook's comma list: one name in the file, split by the live server's
    // variable, which cannot tell the two apart (and says so in a note).
    EXPECT_EQ(joined(live.replicate_ignore_db), joined(file.replicate_ignore_db));
    EXPECT_EQ(file.replicate_ignore_db.size(), 1u);
    EXPECT_GT(live.replicate_ignore_db.size(), 1u);
    bool split_noted = false;
    for (const auto& n : live.notes)
      split_noted = split_noted || n.code == "config.live_list_split";
    EXPECT_TRUE(split_noted);

    ASSERT_TRUE(in->binlogs);
    EXPECT_EQ(in->binlogs_source, in->config_source);
    expect_same_events(events_of(*in->binlogs),
                       events_of(binlog_files_opener(pair_->binlogs(server))));
  }
  EXPECT_EQ(run.pair->a.config_source, target('A'));
  EXPECT_EQ(run.pair->b.config_source, pair_->socket('B'));
}

// --a with --a-cnf: the file is the configuration, read as the live server's
// version reads it; the live server gives the binlogs.
TEST_F(PairOptionsLive, AnOptionFileWithALiveMasterIsTheConfigurationAndTheServerGivesBinlogs) {
  const std::string cnf_a = trim(pair_->sandbox_or_throw("cnf A"));
  std::vector<std::string> args = {"--a", target('A'), "--a-cnf", cnf_a, "--b", target('B')};
  for (const auto& r : root()) args.push_back(r);
  PairRun run = pair_of(args, {.binlogs_of_one = true, .live_binlogs = true});
  ASSERT_TRUE(run.pair) << run.error;
  const cli::MasterInput& a = run.pair->a;
  ASSERT_TRUE(a.config);
  EXPECT_EQ(a.config_source, cnf_a);
  EXPECT_TRUE(a.identity_source.starts_with("MariaDB 10.")) << a.identity_source;
  EXPECT_NE(a.identity_source.find(", the VERSION() of " + target('A')), std::string::npos)
      << a.identity_source;
  ASSERT_EQ(a.config->replicate_ignore_db.size(), 1u);
  EXPECT_EQ(a.config->replicate_ignore_db[0].value, "mysql,information_schema");
  EXPECT_EQ(a.config->replicate_ignore_db[0].origin.kind, config::SettingOrigin::Kind::kOptionFile);
  ASSERT_TRUE(a.binlogs);
  EXPECT_EQ(a.binlogs_source, target('A'));
  expect_same_events(events_of(*a.binlogs), events_of(binlog_files_opener(pair_->binlogs('A'))));
  // Binlog files given win over the live server's.
  const auto files_a = pair_->binlogs('A');
  args.emplace_back("--a-binlogs");
  for (const auto& f : files_a) args.push_back(f);
  PairRun with_files = pair_of(args, {.binlogs_of_one = true, .live_binlogs = true});
  ASSERT_TRUE(with_files.pair) << with_files.error;
  EXPECT_EQ(with_files.pair->a.binlogs_source, files_a.front() + " to " + files_a.back() + " (" +
                                                   std::to_string(files_a.size()) + " files)");
}

TEST_F(PairOptionsLive, AWrongPasswordIsAnErrorNamingTheMaster) {
  const std::string cnf = pair_->dir() + "/wrong-password.cnf";
  std::ofstream(cnf) << "[client]\nuser=root\npassword=not-it\n";
  PairRun run = pair_of({"--a-cnf", trim(pair_->sandbox_or_throw("cnf A")), "--b", target('B'),
                         "--defaults-file", cnf},
                        {});
  EXPECT_FALSE(run.pair);
  EXPECT_TRUE(run.error.starts_with("twinlog filters: master B (--b " + target('B') + "): "))
      << run.error;
}

}  // namespace
}  // namespace twinlog::live
