// Every option the installed mariadb-binlog lists in its --help, and every option of
// the installed mariadb client that concerns connecting, is taken by twinlog decode,
// stats or capture, or refused by name with what to use instead: never ignored, and
// never "unrecognised option" without a hint. The lists are read from the installed
// binaries, so a new client version with a new option fails here until twinlog
// takes or refuses it (or, for the mariadb client, until it is said not to concern
// connecting).
#include <gtest/gtest.h>

#include <algorithm>
#include <regex>
#include <set>
#include <sstream>
#include <string>

#include "tests/support/cli_run.h"

namespace {

using twinlog::testing::CliRun;
using twinlog::testing::run_shell;
using twinlog::testing::run_twinlog;

const std::string kSample = std::string(TWINLOG_SAMPLES_DIR) + "/binlogs/row-full/mysql-bin.000001";

// The long names a client's --help lists ("  -h, --host=name", "  --ssl-ca=name").
std::set<std::string> help_options(const std::string& help) {
  std::set<std::string> names;
  static const std::regex kOption(R"(^  (?:-\S, )?--([a-z0-9][a-z0-9_-]*))");
  std::istringstream lines(help);
  for (std::string line; std::getline(lines, line);) {
    std::smatch m;
    if (std::regex_search(line, m, kOption)) names.insert(m[1]);
  }
  return names;
}

// The options twinlog takes: those `--help` describes (in its option column, not
// named in a description), up to the refused list.
bool takes(const std::string& help, const std::string& name) {
  const std::string taken = "\n" + help.substr(0, help.find("\nRefused, each"));
  return std::regex_search(
      taken, std::regex(std::string("\n  (-\\S \\[ )?--").append(name).append("( |\\n|$)")));
}

// The options twinlog refuses by name: the list at the end of `--help`.
bool refuses(const std::string& help, const std::string& name) {
  const std::size_t at = help.find("\nRefused, each");
  if (at == std::string::npos) return false;
  return std::regex_search(help.substr(at),
                           std::regex(std::string(" --").append(name).append("( |\\n|$)")));
}

// The mariadb client's options that twinlog must take or refuse besides those
// mariadb-binlog also has: those that concern connecting, and --debug (a DBA's
// habit, refused like mariadb-binlog's --debug-check); then those that concern
// the interactive client only.
const std::set<std::string> kClientConnecting = {"compress",
                                                 "connect-expired-password",
                                                 "connect-timeout",
                                                 "default-character-set",
                                                 "enable-cleartext-plugin",
                                                 "init-command",
                                                 "max-allowed-packet",
                                                 "net-buffer-length",
                                                 "reconnect",
                                                 "secure-auth",
                                                 "wait",
                                                 "debug"};
const std::set<std::string> kClientOnly = {"abort-source-on-error",
                                           "auto-rehash",
                                           "auto-vertical-output",
                                           "batch",
                                           "binary-as-hex",
                                           "binary-mode",
                                           "column-names",
                                           "column-type-info",
                                           "comments",
                                           "delimiter",
                                           "execute",
                                           "force",
                                           "html",
                                           "i-am-a-dummy",
                                           "ignore-spaces",
                                           "line-numbers",
                                           "local-infile",
                                           "max-join-size",
                                           "named-commands",
                                           "no-auto-rehash",
                                           "no-beep",
                                           "one-database",
                                           "pager",
                                           "print-query-on-error",
                                           "progress-reports",
                                           "prompt",
                                           "quick",
                                           "quick-max-column-width",
                                           "safe-updates",
                                           "sandbox",
                                           "select-limit",
                                           "server-arg",
                                           "show-warnings",
                                           "sigint-ignore",
                                           "silent",
                                           "skip-column-names",
                                           "skip-line-numbers",
                                           "tee",
                                           "unbuffered",
                                           "vertical",
                                           "xml"};

class InstalledClientOptions : public ::testing::Test {
 protected:
  void SetUp() override {
    binlog_ = run_shell("mariadb-binlog --no-defaults --help").out;
    client_ = run_shell("mariadb --no-defaults --help").out;
    if (help_options(binlog_).empty() || help_options(client_).empty())
      GTEST_SKIP() << "mariadb-binlog or mariadb is not installed";
    for (const char* command : {"decode", "stats", "capture"}) {
      CliRun r = run_twinlog(std::string(command) + " --help");
      ASSERT_EQ(r.code, 0) << command;
      helps_.push_back(r.out);
    }
  }

  // Checks one client option: taken by a command, or refused by name with a way.
  void check(const std::string& name, const std::string& client) {
    if (std::any_of(helps_.begin(), helps_.end(),
                    [&](const std::string& h) { return takes(h, name); })) {
      return;
    }
    ASSERT_TRUE(refuses(helps_.front(), name))
        << client << "'s --" << name << " is neither taken nor refused by twinlog decode";
    const std::string option = std::string("--").append(name);
    for (const std::string& form : {option, option + "=1"}) {
      CliRun r = run_twinlog("decode " + form + " " + kSample);
      EXPECT_EQ(r.code, 2) << form;
      EXPECT_TRUE(r.out.empty()) << form;
      const std::string says = option + " is not a twinlog option: ";
      const std::size_t at = r.err.find(says);
      ASSERT_NE(at, std::string::npos) << form << ": " << r.err;
      // What to use instead, or why there is nothing to use.
      EXPECT_GT(r.err.find('\n', at), at + says.size() + 10) << r.err;
    }
  }

  std::string binlog_, client_;
  std::vector<std::string> helps_;
};

TEST_F(InstalledClientOptions, EveryMariadbBinlogOptionIsTakenOrRefusedByName) {
  const std::set<std::string> names = help_options(binlog_);
  EXPECT_GT(names.size(), 40u);  // the parsing found the list
  EXPECT_TRUE(names.count("start-position") && names.count("ssl-verify-server-cert"));
  for (const std::string& name : names) check(name, "mariadb-binlog");
}

TEST_F(InstalledClientOptions, EveryMariadbClientConnectionOptionIsTakenOrRefusedByName) {
  const std::set<std::string> binlog = help_options(binlog_);
  const std::set<std::string> names = help_options(client_);
  EXPECT_GT(names.size(), 60u);
  for (const std::string& name : names) {
    // What both clients have is about connecting (host, TLS, option files, ...).
    if (binlog.count(name) || kClientConnecting.count(name)) {
      check(name, "mariadb");
    } else {
      EXPECT_TRUE(kClientOnly.count(name))
          << "the installed mariadb client's --" << name
          << " is new here: say whether it concerns connecting (then twinlog takes or refuses "
             "it) or the interactive client only";
    }
  }
}

TEST_F(InstalledClientOptions, HelpOptionsAreReadAsTheClientsListThem) {
  const std::set<std::string> names = help_options(
      "  -?, --help          Display this help and exit.\n"
      "  --ssl-verify-server-cert \n"
      "                      Verify server's certificate\n"
      "  -h, --host=name     Connect to host.\n"
      "                      --not-an-option in the text\n");
  EXPECT_EQ(names, (std::set<std::string>{"help", "ssl-verify-server-cert", "host"}));
  const std::string help =
      "  -h [ --host ] arg   server host\n  --ssl-mode arg\n\nRefused, each saying what to "
      "use instead (mysqlbinlog's and the mysql client's):\n  --flashback --raw\n";
  EXPECT_TRUE(takes(help, "host"));
  EXPECT_TRUE(takes(help, "ssl-mode"));
  EXPECT_FALSE(takes(help, "ssl"));
  EXPECT_FALSE(takes(help, "flashback"));
  EXPECT_TRUE(refuses(help, "flashback"));
  EXPECT_TRUE(refuses(help, "raw"));
  EXPECT_FALSE(refuses(help, "host"));
}

}  // namespace
