// twinlog's reading of option files against the real server's:
//   - lines and groups: `my_print_defaults` (mysys, as mariadbd reads) and
//     `mariadbd --print-defaults` (which groups the daemon reads);
//   - settings: `mariadbd --verbose --help` prints every variable after option
//     processing, with the server's warnings for adjusted values;
//   - filter lists: a sandbox pair started with the file, its SHOW VARIABLES,
//     SHOW MASTER STATUS and SHOW SLAVE STATUS.
#include <gtest/gtest.h>
#include <strings.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "src/config/live_config.h"
#include "src/config/server_config.h"
#include "tests/live/sandbox_pair.h"

namespace twinlog::live {
namespace {

namespace fs = std::filesystem;
using config::ServerConfig;

// The installed mariadbd's version, as the identity its groups depend on.
config::ServerIdentity installed_server() {
  auto r = run_command("mariadbd --version");
  // "mariadbd  Ver 10.11.6-MariaDB-0+deb12u1 for debian-linux-gnu ..."
  auto at = r.output.find("Ver ");
  protocol::ServerVersion v;
  if (at != std::string::npos) {
    std::sscanf(r.output.c_str() + at + 4, "%d.%d.%d", &v.major, &v.minor, &v.patch);
  }
  return {protocol::Flavor::kMariaDB, v};
}

class TempFile {
 public:
  explicit TempFile(const std::string& text) {
    char name[] = "/tmp/twinlog-cnf-live-XXXXXX";
    int fd = ::mkstemp(name);
    ::close(fd);
    path_ = name;
    std::ofstream(path_) << text;
    fs::permissions(path_, fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read |
                               fs::perms::others_read);
  }
  ~TempFile() { fs::remove(path_); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// Files with the awkward cases of option_file_test.cpp, values without newlines
// (my_print_defaults prints one option per line).
const char* const kFiles[] = {
    "# comment\n ; comment\n[mysqld]\nserver-id = 1   # trailing\nlog-slave-updates\n"
    "replicate-ignore-db = mysql,information_schema\n[MYSQLD ]\nempty=\neq=a=b\n",
    "[mysqld]\na=\"x y\" # c\nb='q''\nc=  '\nd=a\\\ne=\"a\\\"b\"#c\nf=a\\tb\\sc\\qd\\\\e\ng=a#b\n"
    "h=\"a#b\"\ni='it''s'\n",
    "[server]\ns=1\n[mysqld-10.11]\nv=1\n[mariadb]\nm=1\n[mariadbd]\nmd=1\n[client-server]\ncs=1\n"
    "[galera]\ng=1\n[wsrep]\nw=1\n[client]\nc=1\n[mysqld-8.0]\nx=1\n[ mysqld ]\nsp=1\n",
};

std::vector<std::string> twinlog_lines(const std::string& path, const config::ServerIdentity& id) {
  auto files = config::read_option_files(path);
  auto groups = config::server_option_groups(id);
  std::vector<std::string> out;
  for (const auto& o : files.options) {
    bool read = false;
    for (const auto& g : groups) read = read || strcasecmp(g.c_str(), o.group.c_str()) == 0;
    if (read) out.push_back("--" + o.name + (o.value ? "=" + *o.value : ""));
  }
  return out;
}

TEST(OptionFileServer, LinesAndGroupsAsMysysReadsThem) {
  auto id = installed_server();
  ASSERT_GT(id.version->major, 0) << "mariadbd --version not understood";
  auto groups = config::server_option_groups(id);
  for (const char* text : kFiles) {
    TempFile f(text);
    std::string cmd = "my_print_defaults --defaults-file=" + shell_quote(f.path());
    for (const auto& g : groups) cmd.append(" ").append(shell_quote(g));
    auto r = run_command(cmd);
    ASSERT_EQ(r.exit_code, 0) << cmd;
    std::vector<std::string> server;
    std::istringstream lines(r.output);
    for (std::string l; std::getline(lines, l);) server.push_back(l);
    EXPECT_EQ(twinlog_lines(f.path(), id), server) << text;
  }
  // The daemon itself reads exactly those groups (values here have no spaces).
  TempFile f(kFiles[2]);
  auto r = run_command("mariadbd --defaults-file=" + shell_quote(f.path()) + " --print-defaults");
  std::string expected = "mariadbd would have been started with the following arguments:\n";
  for (const auto& l : twinlog_lines(f.path(), id)) expected += l + " ";
  EXPECT_EQ(r.output, expected + "\n");
}

// Variable values from `mariadbd --verbose --help` ("name   value" after option
// processing), by name with dashes.
std::map<std::string, std::string> help_values(const std::string& path) {
  auto r = run_command("mariadbd --defaults-file=" + shell_quote(path) +
                       " --verbose --help 2>/dev/null");
  std::map<std::string, std::string> out;
  std::istringstream lines(r.output);
  bool table = false;
  for (std::string l; std::getline(lines, l);) {
    if (l.starts_with("-----")) {
      table = true;
      continue;
    }
    if (!table || l.empty()) continue;
    auto space = l.find(' ');
    if (space == std::string::npos) continue;
    auto value = l.find_first_not_of(' ', space);
    out[l.substr(0, space)] = value == std::string::npos ? "" : l.substr(value);
  }
  return out;
}

std::string as_help(bool b) {
  return b ? "TRUE" : "FALSE";
}

TEST(OptionFileServer, SettingsAsTheServerAppliesThem) {
  auto id = installed_server();
  const char* const kSettings[] = {
      "[mysqld]\nserver-id=7\nskip-log-bin\nenable-log-slave-updates\nloose-gtid-strict-mode=on\n"
      "auto_increment_increment=70000\nsync_binlog=1K\nread_only=yes\nlower_case_table_names=7\n",
      "[mysqld]\nserver_id=3\nserver-id=4\nlog-bin=binlog-x\ndisable-read-only=0\nbinlog_format="
      "row\n"
      "binlog-checksum=none\nbinlog_row_image=1\ngtid_domain_id=5000000000\n"
      "loose-skip-replicate-same-server-id\ninnodb_flush_log_at_trx_commit=2\n",
      "[mariadb]\nlog-bin\nreplicate-same-server-id\ngtid-ignore-duplicates=TRUE\nauto-increment-"
      "offset=2\n"
      "[mysqld-10.11]\nsync-binlog=5\n[client]\nsync-binlog=9\n",
  };
  for (const char* text : kSettings) {
    TempFile f(text);
    ServerConfig c = config::read_server_config(f.path(), id);
    auto server = help_values(f.path());
    ASSERT_FALSE(server.empty()) << "no variables from mariadbd --verbose --help";
    EXPECT_EQ(server["server-id"], std::to_string(c.server_id.value)) << text;
    // log-bin prints the base name, or 0 when off.
    EXPECT_EQ(server["log-bin"] != "0" && server["log-bin"] != "(No default value)",
              c.log_bin.value)
        << text;
    EXPECT_EQ(server["log-slave-updates"], as_help(c.log_slave_updates.value)) << text;
    EXPECT_EQ(server["replicate-same-server-id"], as_help(c.replicate_same_server_id.value))
        << text;
    EXPECT_EQ(server["binlog-format"], c.binlog_format.value) << text;
    EXPECT_EQ(server["binlog-row-image"], c.binlog_row_image.value) << text;
    EXPECT_EQ(server["binlog-checksum"], c.binlog_checksum.value) << text;
    EXPECT_EQ(server["sync-binlog"], std::to_string(c.sync_binlog.value)) << text;
    EXPECT_EQ(server["innodb-flush-log-at-trx-commit"],
              std::to_string(c.innodb_flush_log_at_trx_commit.value))
        << text;
    EXPECT_EQ(server["auto-increment-increment"], std::to_string(c.auto_increment_increment.value))
        << text;
    EXPECT_EQ(server["auto-increment-offset"], std::to_string(c.auto_increment_offset.value))
        << text;
    EXPECT_EQ(server["lower-case-table-names"], std::to_string(c.lower_case_table_names.value))
        << text;
    EXPECT_EQ(server["gtid-domain-id"], std::to_string(c.gtid_domain_id.value)) << text;
    EXPECT_EQ(server["gtid-strict-mode"], as_help(c.gtid_strict_mode.value)) << text;
    EXPECT_EQ(server["gtid-ignore-duplicates"], as_help(c.gtid_ignore_duplicates.value)) << text;
    EXPECT_EQ(server["read-only"], as_help(c.read_only.value)) << text;
  }
}

// Filter lists are not in --verbose --help: a started pair shows them.
TEST(OptionFileServer, FilterListsAsALiveServerReportsThem) {
  auto pair =
      SandboxPair::start({"--extra-b",
                          "binlog-do-db=a,b;replicate-do-table=test.t1;"
                          "replicate-wild-ignore-table=test.tmp%;replicate-ignore-table=test.t9"});
  auto cnf = trim(pair->sandbox_or_throw("cnf B"));
  auto id = installed_server();
  ServerConfig c = config::read_server_config(cnf, id);
  auto joined = [](const std::vector<config::FilterEntry>& list) {
    std::string out;
    for (const auto& e : list) out += (out.empty() ? "" : ",") + e.value;
    return out;
  };
  auto status = pair->sandbox_or_throw("client B -N -B -e " + shell_quote("SHOW MASTER STATUS"));
  std::istringstream fields(status);
  std::string file, position, do_db, ignore_db;
  std::getline(fields, file, '\t');
  std::getline(fields, position, '\t');
  std::getline(fields, do_db, '\t');
  std::getline(fields, ignore_db, '\t');
  ignore_db = trim(ignore_db);
  EXPECT_EQ(do_db, joined(c.binlog_do_db));
  EXPECT_EQ(ignore_db, joined(c.binlog_ignore_db));
  // SHOW MASTER STATUS joins the rules with commas: its "test,a,b" cannot tell two
  // rules from three; the option file can, and the second rule is the name "a,b".
  ASSERT_EQ(c.binlog_do_db.size(), 2u);
  EXPECT_EQ(c.binlog_do_db[1].value, "a,b");
  EXPECT_EQ(pair->slave_field('B', "Replicate_Do_DB"), joined(c.replicate_do_db));
  EXPECT_EQ(pair->slave_field('B', "Replicate_Ignore_DB"), joined(c.replicate_ignore_db));
  EXPECT_EQ(pair->slave_field('B', "Replicate_Do_Table"), joined(c.replicate_do_table));
  EXPECT_EQ(pair->slave_field('B', "Replicate_Ignore_Table"), joined(c.replicate_ignore_table));
  EXPECT_EQ(pair->slave_field('B', "Replicate_Wild_Ignore_Table"),
            joined(c.replicate_wild_ignore_table));
  EXPECT_EQ(
      pair->sql('B',
                "SELECT @@server_id, @@auto_increment_increment, @@auto_increment_offset, "
                "@@log_slave_updates, @@sync_binlog"),
      std::to_string(c.server_id.value) + "\t" + std::to_string(c.auto_increment_increment.value) +
          "\t" + std::to_string(c.auto_increment_offset.value) + "\t" +
          (c.log_slave_updates.value ? "1" : "0") + "\t" + std::to_string(c.sync_binlog.value));

  // The same server read live agrees with its option file, setting by setting;
  // the comma name comes back split, with the note that says it cannot be told.
  ConnectionOptions o;
  o.host = "127.0.0.1";
  o.port = static_cast<unsigned>(pair->port('B'));
  o.user = "root";
  o.no_defaults = true;
  auto conn = Connection::open(o);
  ServerConfig live = config::read_live_config(*conn);
  EXPECT_EQ(live.identity.flavor, protocol::Flavor::kMariaDB);
  EXPECT_EQ(live.server_id.value, c.server_id.value);
  EXPECT_EQ(live.server_id.origin.text(), "SHOW GLOBAL VARIABLES server_id");
  EXPECT_EQ(live.log_bin.value, c.log_bin.value);
  EXPECT_EQ(live.log_slave_updates.value, c.log_slave_updates.value);
  EXPECT_EQ(live.sync_binlog.value, c.sync_binlog.value);
  EXPECT_EQ(live.auto_increment_increment.value, c.auto_increment_increment.value);
  EXPECT_EQ(live.auto_increment_offset.value, c.auto_increment_offset.value);
  EXPECT_EQ(live.binlog_format.value, c.binlog_format.value);
  EXPECT_EQ(live.binlog_checksum.value, c.binlog_checksum.value);
  EXPECT_EQ(live.gtid_domain_id.value, c.gtid_domain_id.value);
  EXPECT_EQ(joined(live.replicate_do_db), joined(c.replicate_do_db));
  EXPECT_EQ(joined(live.replicate_do_table), joined(c.replicate_do_table));
  EXPECT_EQ(joined(live.replicate_wild_ignore_table), joined(c.replicate_wild_ignore_table));
  EXPECT_EQ(joined(live.binlog_do_db), "test,a,b");
  EXPECT_EQ(live.binlog_do_db.size(), 3u);
  bool split_noted = false;
  for (const auto& n : live.notes) split_noted = split_noted || n.code == "config.live_list_split";
  EXPECT_TRUE(split_noted);
}

}  // namespace
}  // namespace twinlog::live
