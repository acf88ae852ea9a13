#include "tools/twinlog/refused_cli.h"

#include <string_view>

namespace twinlog::cli {
namespace {

struct Refusal {
  const char* name;  // boost's "long,s" form
  bool takes_value;
  const char* instead;
};

// mariadb-binlog 10.11's and MySQL 8's mysqlbinlog options, and the mysql client's
// connection options, that twinlog has no counterpart for (tests/unit/
// installed_client_options_test.cpp checks the installed clients' --help against
// what twinlog takes and this list).
constexpr Refusal kRefused[] = {
    {"flashback,B", false,
     "twinlog does not write flashback (reversed) events: decode the range; the row images "
     "it prints carry the values before each change"},
    {"disable-log-bin,D", false,
     "twinlog writes no SET sql_log_bin=0 into its output: replay it through a session that "
     "does not log (mariadb --init-command='SET sql_log_bin=0')"},
    {"local-load,l", true, "twinlog writes no LOAD DATA temporary files"},
    {"set-charset", true,
     "twinlog prints no SET NAMES: set the character set of the session that replays the "
     "output (mariadb --default-character-set)"},
    {"character-sets-dir", true, "twinlog decodes character sets itself and reads no directory"},
    {"open-files-limit", true, "twinlog opens one binlog at a time"},
    {"binlog-row-event-max-size", true, "twinlog reads row events of any size"},
    {"gtid-strict-mode", false,
     "twinlog does not check GTID order here: twinlog loops and the check commands report "
     "GTIDs that disagree"},
    {"force-if-open,F", false,
     "twinlog always reads a binlog that was not closed, up to its last whole event"},
    {"print-row-count", false, "twinlog prints its row comments as they are"},
    {"print-row-event-positions", false, "twinlog prints its row comments as they are"},
    {"skip-annotate-row-events", false,
     "twinlog prints ANNOTATE_ROWS events; --database / --table hold them back with their rows"},
    {"raw", false, "twinlog capture copies a server's binlogs as raw files (--dir DIR)"},
    {"debug", false, "twinlog has no debug options"},
    {"debug-check", false, "twinlog has no debug options"},
    {"debug-info", false, "twinlog has no debug options"},
    {"default-character-set", true,
     "twinlog reads binlogs as bytes and decodes each column's character set itself: the "
     "session's changes nothing it reads"},
    {"init-command", true, "twinlog is read-only: it runs no statement of yours on a server"},
    {"max-allowed-packet", true,
     "twinlog asks for the largest packet itself (1 GiB, a binlog event's limit)"},
    {"net-buffer-length", true, "twinlog's connector grows its buffer to the largest event"},
    {"reconnect", false,
     "twinlog reconnects by itself while it reads a server: --reconnect-timeout SECS says for "
     "how long"},
    {"wait", false,
     "twinlog reconnects by itself while it reads a server: --reconnect-timeout SECS says for "
     "how long"},
    {"secure-auth", false, "twinlog never speaks the pre-4.1 protocol that it refuses"},
    {"connect-expired-password", false,
     "twinlog cannot change an expired password: change it with the mariadb client first"},
    {"enable-cleartext-plugin", false,
     "obsolete in the MariaDB clients too (they ignore it): the connector sends a cleartext "
     "password only to an account using the mysql_clear_password plugin"},
};

std::string_view long_name(const Refusal& r) {
  std::string_view n = r.name;
  return n.substr(0, n.find(','));
}

bool defined(const po::options_description& options, const Refusal& r) {
  return options.find_nothrow(std::string(long_name(r)), false) != nullptr;
}

}  // namespace

po::options_description refused_options(const po::options_description& options) {
  po::options_description hidden;
  for (const Refusal& r : kRefused) {
    if (defined(options, r)) continue;
    // A switch with a value (--reconnect=0, --debug=d:t) is refused by name as well.
    if (r.takes_value)
      hidden.add_options()(r.name, po::value<std::string>(), "");
    else
      hidden.add_options()(r.name, po::value<std::string>()->implicit_value(""), "");
  }
  return hidden;
}

void refuse_given(const po::options_description& options, const po::variables_map& vm) {
  for (const Refusal& r : kRefused) {
    const std::string name(long_name(r));
    if (defined(options, r) || !vm.count(name)) continue;
    throw po::error("--" + name + " is not a twinlog option: " + r.instead);
  }
}

std::string refused_help(const po::options_description& options) {
  std::string out =
      "Refused, each saying what to use instead (mysqlbinlog's and the mysql client's):\n ";
  size_t line = 1;
  for (const Refusal& r : kRefused) {
    if (defined(options, r)) continue;
    const std::string name = " --" + std::string(long_name(r));
    if (line + name.size() > 78) {
      out += "\n ";
      line = 1;
    }
    out += name;
    line += name.size();
  }
  return out + "\n";
}

}  // namespace twinlog::cli
