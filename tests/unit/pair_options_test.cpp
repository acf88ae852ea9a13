// How every check command takes the pair (tools/twinlog/pair_options.h), driven
// through the options as a command parses them: which server reads each option
// file, whose binlogs FILE... are, and the usage errors word for word.
#include "tools/twinlog/pair_options.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "src/config/server_identity.h"

namespace twinlog::cli {
namespace {

const std::string kSamples = TWINLOG_SAMPLES_DIR;
const std::string kCnfA = kSamples + "/configs/master-a.cnf";
const std::string kCnfB = kSamples + "/configs/master-b.cnf";
const std::string kRowFull1 = kSamples + "/binlogs/row-full/mysql-bin.000001";
const std::string kRowFull2 = kSamples + "/binlogs/row-full/mysql-bin.000002";
const std::string kStatement1 = kSamples + "/binlogs/statement/mysql-bin.000001";

struct PairRun {
  std::optional<PairInput> pair;
  std::string error;  // what pair_input_from printed to stderr
};

PairRun pair_of(const std::vector<std::string>& args, const PairNeeds& needs = {}) {
  po::options_description options;
  po::positional_options_description positional;
  add_pair_options(options, positional);
  po::variables_map vm;
  po::store(po::command_line_parser(args).options(options).positional(positional).run(), vm);
  po::notify(vm);
  PairRun run;
  testing::internal::CaptureStderr();
  run.pair = pair_input_from(vm, "twinlog filters", needs);
  run.error = testing::internal::GetCapturedStderr();
  return run;
}

// A usage error: no pair, and exactly this line on stderr.
void expect_error(const std::vector<std::string>& args, const PairNeeds& needs,
                  const std::string& message) {
  PairRun run = pair_of(args, needs);
  EXPECT_FALSE(run.pair.has_value());
  EXPECT_EQ(run.error, "twinlog filters: " + message + "\n");
}

class TempCnf {
 public:
  explicit TempCnf(const std::string& text) {
    char name[] = "/tmp/twinlog-pair-cnf-XXXXXX";
    int fd = ::mkstemp(name);
    ::close(fd);
    path_ = name;
    std::ofstream(path_) << text;
    std::filesystem::permissions(
        path_, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  }
  ~TempCnf() { std::filesystem::remove(path_); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

std::string joined(const std::vector<config::FilterEntry>& list) {
  std::string out;
  for (const auto& e : list) out += (out.empty() ? "" : "|") + e.value;
  return out;
}

// Every event's (file, offset) from an opener, through the stream commands read.
std::vector<std::string> positions(SourceOpener opener) {
  EventStream stream(std::move(opener), StreamOptions{});
  std::vector<std::string> out;
  StreamEvent se;
  while (stream.next(se)) out.push_back(*se.file + ":" + std::to_string(se.view->offset));
  return out;
}

TEST(PairOptions, PositionalFilesAreAsAndTellWhichServerReadsItsOptionFile) {
  PairRun run =
      pair_of({"--a-cnf", kCnfA, "--b-cnf", kCnfB, kRowFull1, kRowFull2}, {.binlogs_of_one = true});
  ASSERT_TRUE(run.pair) << run.error;
  EXPECT_EQ(run.error, "");
  const MasterInput& a = run.pair->a;
  const MasterInput& b = run.pair->b;
  EXPECT_EQ(a.name, "A");
  EXPECT_EQ(b.name, "B");
  ASSERT_TRUE(a.config && b.config);
  EXPECT_EQ(a.config_source, kCnfA);
  EXPECT_EQ(a.identity_source, "MariaDB 10.11.19, from the FORMAT_DESCRIPTION of " + kRowFull1);
  EXPECT_EQ(a.config->identity.flavor, protocol::Flavor::kMariaDB);
  ASSERT_TRUE(a.config->identity.version);
  EXPECT_EQ(a.config->identity.version->minor, 11);
  EXPECT_EQ(b.identity_source,
            "MariaDB (version unknown): no --b-server-version, no --b and no binlog file of "
            "master B to tell");
  EXPECT_FALSE(b.config->identity.version);
  EXPECT_EQ(a.config->server_id.value, 1u);
  EXPECT_EQ(b.config->server_id.value, 2u);
  // One database name each, as the servers read the runbook's comma lists.
  EXPECT_EQ(joined(a.config->replicate_ignore_db), "mysql,information_schema");
  EXPECT_EQ(joined(b.config->replicate_ignore_db), "mysql,information_schema,performance_schema");
  EXPECT_EQ(a.config->replicate_ignore_db[0].origin.text(), kCnfA + ":11");

  ASSERT_TRUE(a.binlogs);
  EXPECT_FALSE(b.binlogs);
  EXPECT_EQ(a.binlogs_source, kRowFull1 + " to " + kRowFull2 + " (2 files)");
  const auto events = positions(*a.binlogs);
  EXPECT_EQ(events, positions(binlog_files_opener({kRowFull1, kRowFull2})));
  EXPECT_FALSE(events.empty());
}

TEST(PairOptions, EachMastersBinlogsByOption) {
  PairRun run = pair_of({"--a-cnf", kCnfA, "--b-cnf", kCnfB, "--a-binlogs", kRowFull1, kRowFull2,
                         "--b-binlogs", kStatement1},
                        {.binlogs_of_both = true});
  ASSERT_TRUE(run.pair) << run.error;
  EXPECT_EQ(run.pair->a.binlogs_source, kRowFull1 + " to " + kRowFull2 + " (2 files)");
  EXPECT_EQ(run.pair->b.binlogs_source, kStatement1);
  EXPECT_EQ(run.pair->b.identity_source,
            "MariaDB 10.11.19, from the FORMAT_DESCRIPTION of " + kStatement1);
  EXPECT_EQ(positions(*run.pair->b.binlogs), positions(binlog_files_opener({kStatement1})));
}

// The version groups a server reads ([mysqld-8.0] for MySQL 8.0, [mariadb-10.11]
// for MariaDB 10.11) decide the value: the identity is what reads the file.
TEST(PairOptions, TheServerVersionDecidesTheGroupsRead) {
  TempCnf cnf("[mysqld]\nserver-id=1\n[mariadb-10.11]\nserver-id=7\n[mysqld-8.0]\nserver-id=8\n");
  PairRun mysql =
      pair_of({"--a-cnf", cnf.path(), "--a-server-version", "8.0.36", "--b-cnf", kCnfB, kRowFull1});
  ASSERT_TRUE(mysql.pair) << mysql.error;
  EXPECT_EQ(mysql.pair->a.config->server_id.value, 8u);
  EXPECT_EQ(mysql.pair->a.config->identity.flavor, protocol::Flavor::kMySQL);
  EXPECT_EQ(mysql.pair->a.identity_source, "MySQL 8.0.36, from --a-server-version");

  PairRun from_binlog = pair_of({"--a-cnf", cnf.path(), "--b-cnf", kCnfB, kRowFull1});
  ASSERT_TRUE(from_binlog.pair) << from_binlog.error;
  EXPECT_EQ(from_binlog.pair->a.config->server_id.value, 7u);

  PairRun unknown = pair_of({"--a-cnf", cnf.path(), "--b-cnf", kCnfB});
  ASSERT_TRUE(unknown.pair) << unknown.error;
  EXPECT_EQ(unknown.pair->a.config->server_id.value, 1u);

  PairRun maria = pair_of(
      {"--a-cnf", cnf.path(), "--a-server-version", "10.11.6-MariaDB-log", "--b-cnf", kCnfB});
  ASSERT_TRUE(maria.pair) << maria.error;
  EXPECT_EQ(maria.pair->a.config->server_id.value, 7u);
  EXPECT_EQ(maria.pair->a.identity_source, "MariaDB 10.11.6, from --a-server-version");
}

TEST(PairOptions, FilesGivenTwiceOrUnreadableAreErrors) {
  expect_error({"--a-cnf", kCnfA, "--b-cnf", kCnfB, kRowFull1, "--a-binlogs", kRowFull2}, {},
               "give master A's binlogs as FILE... or with --a-binlogs, not both (FILE... is "
               "--a-binlogs)");
  expect_error({"--a-cnf", kCnfA, "--b-cnf", kCnfB, "/nonexistent/mysql-bin.000001"}, {},
               "master A's binlogs: /nonexistent/mysql-bin.000001: at offset 0: cannot open: No "
               "such file or directory");
  // Not a binlog: the first bytes are not the magic.
  PairRun not_binlog = pair_of({"--a-cnf", kCnfA, "--b-cnf", kCnfB, "--b-binlogs", kCnfA});
  EXPECT_FALSE(not_binlog.pair);
  EXPECT_TRUE(not_binlog.error.starts_with("twinlog filters: master B's binlogs: " + kCnfA +
                                           ": at offset 0: "))
      << not_binlog.error;
  expect_error({"--a-binlogs", "-", "--b-binlogs", "-"}, {.configs = false},
               "stdin ('-') can be only one binlog input");
}

TEST(PairOptions, AnOptionFileTheServerWouldRefuseIsAnErrorWithFileAndLine) {
  TempCnf bad("# no group yet\nserver-id=1\n");
  PairRun run = pair_of({"--a-cnf", bad.path(), "--b-cnf", kCnfB});
  EXPECT_FALSE(run.pair);
  EXPECT_TRUE(run.error.starts_with("twinlog filters: --a-cnf: " + bad.path() +
                                    ":2: an option before any [group]"))
      << run.error;
  expect_error({"--a-cnf", kCnfA, "--b-cnf", "/nonexistent.cnf"}, {},
               "--b-cnf: /nonexistent.cnf: cannot read the option file (no such file)");
}

TEST(PairOptions, MissingPiecesNameTheOptionsThatSupplyThem) {
  expect_error({"--a-cnf", kCnfA}, {},
               "no configuration for master B: give --b-cnf FILE or --b "
               "HOST[:PORT]");
  expect_error({"--b-cnf", kCnfB, kRowFull1}, {},
               "no configuration for master A: give --a-cnf FILE or --a HOST[:PORT]");
  expect_error({"--a-cnf", kCnfA, "--b-cnf", kCnfB}, {.binlogs_of_one = true},
               "no binlogs: give master A's as FILE... (or --a-binlogs FILE...), or master B's "
               "as --b-binlogs FILE...");
  expect_error({"--a-cnf", kCnfA, "--b-cnf", kCnfB}, {.binlogs_of_one = true, .live_binlogs = true},
               "no binlogs: give master A's as FILE... (or --a-binlogs FILE...) or --a "
               "HOST[:PORT], or master B's as --b-binlogs FILE... or --b HOST[:PORT]");
  expect_error({"--a-cnf", kCnfA, "--b-cnf", kCnfB, kRowFull1}, {.binlogs_of_both = true},
               "no binlogs of master B: give --b-binlogs FILE...");
  expect_error({"--a-cnf", kCnfA, "--b-cnf", kCnfB, "--b-binlogs", kRowFull1},
               {.binlogs_of_both = true, .live_binlogs = true},
               "no binlogs of master A: give FILE... (or --a-binlogs FILE...) or --a HOST[:PORT]");
  // Configurations not needed: binlogs alone do.
  PairRun binlogs_only = pair_of({kRowFull1}, {.configs = false, .binlogs_of_one = true});
  ASSERT_TRUE(binlogs_only.pair) << binlogs_only.error;
  EXPECT_FALSE(binlogs_only.pair->a.config);
}

TEST(PairOptions, BadValuesAreUsageErrors) {
  expect_error({"--a-cnf", kCnfA, "--b-cnf", kCnfB, "--a-server-version", "mariadb"}, {},
               "--a-server-version wants a server version such as 10.11.6-MariaDB or 8.0.36, not "
               "'mariadb'");
  expect_error({"--a", "db1", "--a-server-version", "8.0.36", "--b-cnf", kCnfB}, {},
               "--a-server-version says how to read --a-cnf: give it with --a-cnf FILE");
  for (const char* target : {"db1:", "db1:0", "db1:65536", "db1:33o6", ":3306", "[::1", "[::1]x"}) {
    expect_error({"--a", target, "--b-cnf", kCnfB}, {},
                 std::string("--a wants HOST[:PORT] or a socket path, not '") + target + "'");
  }
  expect_error({"--a-cnf", kCnfA, "--b", "127.0.0.1", "--ssl-mode", "SOMETIMES"}, {},
               "--ssl-mode must be DISABLED, PREFERRED, REQUIRED, VERIFY_CA or VERIFY_IDENTITY, "
               "not 'SOMETIMES'");
}

TEST(PairOptions, AnUnreachableMasterIsAnErrorNamingIt) {
  // Port 1 on the loopback: refused at once.
  PairRun run =
      pair_of({"--a-cnf", kCnfA, "--b", "127.0.0.1:1", "--no-defaults", "--connect-timeout", "2"});
  EXPECT_FALSE(run.pair);
  EXPECT_TRUE(run.error.starts_with("twinlog filters: master B (--b 127.0.0.1:1): ")) << run.error;
}

TEST(PairOptions, HelpHasOneGroupForThePairAndTheSharedConnectionOptions) {
  po::options_description options;
  po::positional_options_description positional;
  add_pair_options(options, positional);
  std::ostringstream help;
  help << options;
  const std::string text = help.str();
  EXPECT_NE(text.find("the pair:"), std::string::npos) << text;
  for (const char* option :
       {"--a-cnf FILE", "--b-cnf FILE", "--a-binlogs FILE...", "--b-binlogs FILE...",
        "--a HOST[:PORT]", "--b HOST[:PORT]", "--a-server-version VERSION",
        "--b-server-version VERSION", "--user", "--defaults-file", "--ssl-mode"})
    EXPECT_NE(text.find(option), std::string::npos) << option;
  // --a and --b name each master: a single --host would be ambiguous.
  for (const char* option : {"--host", "--port", "--socket"})
    EXPECT_EQ(text.find(option), std::string::npos) << option;
  EXPECT_EQ(positional.name_for_position(0), "file");
}

TEST(ServerIdentity, FromVersionTextAndFromABinlogsFirstEvent) {
  auto maria = config::identity_from_version("5.5.5-10.11.6-MariaDB-log");
  ASSERT_TRUE(maria);
  EXPECT_EQ(config::identity_text(*maria), "MariaDB 10.11.6");
  auto mysql = config::identity_from_version("8.4.3");
  ASSERT_TRUE(mysql);
  EXPECT_EQ(config::identity_text(*mysql), "MySQL 8.4.3");
  EXPECT_FALSE(config::identity_from_version("MariaDB"));
  EXPECT_FALSE(config::identity_from_version(""));
  auto written = config::identity_from_binlog(kRowFull2);
  ASSERT_TRUE(written);
  EXPECT_EQ(config::identity_text(*written), "MariaDB 10.11.19");
  EXPECT_THROW(config::identity_from_binlog(kCnfA), SourceError);
}

}  // namespace
}  // namespace twinlog::cli
