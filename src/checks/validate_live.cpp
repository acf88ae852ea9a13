#include "src/checks/validate_live.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <tuple>

#include "src/report/concat.h"
#include "src/server/server_statements.h"

namespace twinlog::checks {
namespace {

using config::ReplicaChannel;
using config::ServerConfig;
using report::Evidence;
using report::Severity;

// Replication lag above which the check warns: minutes behind is a pair that
// cannot keep up, not a moment's burst.
constexpr uint64_t kLagWarnSeconds = 300;

// The privileges a replication account may hold: REPLICATION SLAVE to read the
// binlog, and the monitoring one (REPLICATION CLIENT, BINLOG MONITOR since
// MariaDB 10.5) that lets it see where the binlog ends.
constexpr const char* kReplicationPrivileges[] = {"USAGE", "REPLICATION SLAVE",
                                                  "REPLICATION CLIENT", "BINLOG MONITOR"};

// A string literal for SQL: quotes and backslashes escaped.
std::string sql_string(const std::string& text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  out.push_back('\'');
  return out;
}

std::string account_name(const Account& a) {
  return "'" + a.user + "'@'" + a.host + "'";
}

Evidence channel_evidence(const std::string& server, const ReplicaChannel& c) {
  Evidence e;
  e.server = server;
  e.option_source = c.source + " (channel '" + c.name + "')";
  return e;
}

bool has_privilege(const Account& a, const std::string& privilege) {
  for (const auto& g : a.grants) {
    const auto p = granted_privileges(g);
    if (std::find(p.begin(), p.end(), privilege) != p.end() ||
        std::find(p.begin(), p.end(), "ALL PRIVILEGES") != p.end())
      return true;
  }
  return false;
}

// One direction: `self` applies what `peer` writes, through its channel from it.
ValidationCheck replication_check(const std::string& self_name, const ServerConfig& self,
                                  const std::string& peer_name, const LiveMaster& peer_live,
                                  const ServerConfig& peer) {
  ValidationCheck check;
  check.group = "replication";
  check.name = "validate.replication_" + peer_name + "_to_" + self_name;
  for (char& ch : check.name) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  check.title = self_name + " applies " + peer_name + "'s changes";
  check.expected = "a channel from " + peer_name +
                   " with Slave_IO_Running and Slave_SQL_Running Yes, no error, caught up";
  check.why = "a stopped or failing channel leaves " + self_name + " without " + peer_name +
              "'s changes from then on, and each master keeps taking writes the other lacks";
  const ReplicaChannel* c = channel_from(self, peer, peer_live.target);
  const std::string peer_end = peer_name + "'s binlog ends at " + peer_live.binlog_file + ":" +
                               std::to_string(peer_live.binlog_position);
  if (c == nullptr) {
    check.found = "no replica channel of " + self_name + " from " + peer_name + "; " + peer_end;
    check.add(Severity::kError, "replication.not_configured",
              report::concat(self_name, " has no replica channel from ", peer_name, " (server id ",
                             std::to_string(peer.server_id.value), ", ", peer_live.target,
                             "): nothing ", peer_name, " writes reaches ", self_name),
              "CHANGE MASTER TO " + peer_name + "'s host, port and replication account on " +
                  self_name + ", then START SLAVE.");
    return check;
  }
  std::string found = "channel '" + c->name + "' from " + c->master_host + ":" +
                      std::to_string(c->master_port) + " as '" + c->master_user + "': IO " +
                      (c->io_running.empty() ? "?" : c->io_running) + ", SQL " +
                      (c->sql_running.empty() ? "?" : c->sql_running) + ", ";
  found += c->seconds_behind_master ? std::to_string(*c->seconds_behind_master) + " s behind"
                                    : std::string("Seconds_Behind_Master NULL");
  found += "; executed " + peer_name + "'s " + c->relay_master_log_file + ":" +
           std::to_string(c->exec_master_log_pos) + ", " + peer_end;
  if (c->relay_master_log_file == peer_live.binlog_file &&
      c->exec_master_log_pos == peer_live.binlog_position) {
    found += " (caught up)";
  }
  check.found = found;

  if (c->io_running != "Yes") {
    Evidence e = channel_evidence(self_name, *c);
    e.option = "Slave_IO_Running=" + c->io_running;
    if (c->last_io_errno != 0) {
      e.statement = "Last_IO_Error " + std::to_string(c->last_io_errno) + ": " + c->last_io_error;
    }
    check
        .add(Severity::kError, "replication.io_not_running",
             report::concat(self_name, "'s channel from ", peer_name, " does not receive (",
                            "Slave_IO_Running: ", c->io_running, ")",
                            c->last_io_errno ? ": " + c->last_io_error : std::string()),
             "Fix what Last_IO_Error says (the account, the password, the network, a binlog the "
             "peer purged), then START SLAVE.")
        .evidence.push_back(std::move(e));
  }
  if (c->sql_running != "Yes") {
    Evidence e = channel_evidence(self_name, *c);
    e.option = "Slave_SQL_Running=" + c->sql_running;
    e.file = c->relay_master_log_file;
    e.start = c->exec_master_log_pos;
    if (c->last_sql_errno != 0) {
      e.statement =
          "Last_SQL_Error " + std::to_string(c->last_sql_errno) + ": " + c->last_sql_error;
    }
    check
        .add(Severity::kError, "replication.sql_not_running",
             report::concat(self_name, "'s channel from ", peer_name, " does not apply (",
                            "Slave_SQL_Running: ", c->sql_running, ")",
                            c->last_sql_errno ? ": " + c->last_sql_error : std::string()),
             "Find why the transaction at the executed position fails (twinlog decode it), repair "
             "the data, then START SLAVE; do not skip it.")
        .evidence.push_back(std::move(e));
  }
  if (c->io_running == "Yes" && c->sql_running == "Yes" && c->seconds_behind_master &&
      *c->seconds_behind_master > kLagWarnSeconds) {
    Evidence e = channel_evidence(self_name, *c);
    e.option = "Seconds_Behind_Master=" + std::to_string(*c->seconds_behind_master);
    check
        .add(Severity::kWarning, "replication.lag",
             report::concat(self_name, " is ", std::to_string(*c->seconds_behind_master),
                            " s behind ", peer_name,
                            ": a write to one master meets rows the other has not seen yet"),
             "Find what holds the applier back (large transactions, a table without a primary key "
             "in ROW format, a slow disk).")
        .evidence.push_back(std::move(e));
  }
  return check;
}

// The accounts on `master` that its peer's channel logs in as, and those whose
// name holds a host.
// `checks`: the account checks, in the order add_live_checks makes them.
void account_checks(const std::string& master_name, const LiveMaster& master,
                    const std::string& peer_name, const ReplicaChannel* peer_channel,
                    std::vector<ValidationCheck>& checks) {
  ValidationCheck& user = checks.at(0);
  ValidationCheck& name_host = checks.at(1);
  ValidationCheck& privileges = checks.at(2);
  ValidationCheck& any_host = checks.at(3);
  auto evidence = [&](const Account& a) {
    Evidence e;
    e.server = master_name;
    e.option = account_name(a);
    e.option_source = "SHOW GRANTS FOR " + account_name(a);
    if (!a.grants.empty()) e.statement = a.grants.front();
    return e;
  };
  std::string found;
  auto note = [&found](const std::string& part) { found += (found.empty() ? "" : ", ") + part; };
  if (!master.accounts_error.empty()) {
    user.add(Severity::kWarning, "user.accounts_unreadable",
             master_name + "'s accounts cannot be read: " + master.accounts_error,
             "Run validate as a user that may read mysql.user and SHOW GRANTS (SELECT on mysql).");
    user.found += master_name + ": accounts not readable; ";
    return;
  }
  const std::string repl_user = peer_channel ? peer_channel->master_user : std::string();
  bool any_replication_slave = false, any_account = false;
  for (const Account& a : master.accounts) {
    const bool used = !repl_user.empty() && a.user == repl_user;
    const bool replication = has_privilege(a, "REPLICATION SLAVE");
    if (!used && !replication) continue;
    note(account_name(a));
    if (used) {
      any_account = true;
      any_replication_slave = any_replication_slave || replication;
    }
    if (const auto at = a.user.find('@'); at != std::string::npos) {
      name_host
          .add(Severity::kError, "user.name_holds_host",
               report::concat(master_name, " has an account named '", a.user, "' at host '", a.host,
                              "': quoted as one string, '", a.user, "' is a user name, not user '",
                              a.user.substr(0, at), "' at host '", a.user.substr(at + 1),
                              "'; a replica logging in as '", a.user.substr(0, at),
                              "' does not get this account"),
               "DROP USER " + account_name(a) + "; CREATE USER '" + a.user.substr(0, at) + "'@'" +
                   a.user.substr(at + 1) +
                   "' and GRANT REPLICATION SLAVE to it (quote user and "
                   "host separately).")
          .evidence.push_back(evidence(a));
    }
    std::vector<std::string> extra;
    for (const auto& g : a.grants) {
      for (const auto& p : granted_privileges(g)) {
        if (std::find(std::begin(kReplicationPrivileges), std::end(kReplicationPrivileges), p) ==
                std::end(kReplicationPrivileges) &&
            std::find(extra.begin(), extra.end(), p) == extra.end())
          extra.push_back(p);
      }
    }
    // An account the peer logs in as, or one set up for replication only: an
    // administrator's account that also holds REPLICATION SLAVE is not one.
    const bool replication_account = used || a.user.find('@') != std::string::npos;
    if (replication_account && !extra.empty()) {
      std::string list;
      for (const auto& p : extra) list += (list.empty() ? "" : ", ") + p;
      privileges
          .add(Severity::kWarning, "user.extra_privileges",
               report::concat(master_name, "'s replication account ", account_name(a),
                              " holds more than REPLICATION SLAVE: ", list,
                              std::find(extra.begin(), extra.end(), "FILE") != extra.end()
                                  ? " (FILE reads and writes any file the server can, through "
                                    "LOAD DATA and SELECT INTO OUTFILE)"
                                  : ""),
               "REVOKE " + list + " ON *.* FROM " + account_name(a) +
                   "; a replication account needs REPLICATION SLAVE only.")
          .evidence.push_back(evidence(a));
    }
    if (replication_account && a.host == "%") {
      any_host
          .add(Severity::kWarning, "user.any_host",
               report::concat(master_name, "'s replication account ", account_name(a),
                              " can log in from any host: whoever has its password reads every "
                              "change ",
                              master_name, " makes"),
               "Create the account for the peer's address only ('" + a.user + "'@'<" + peer_name +
                   "'s address>') and drop the '%' one.")
          .evidence.push_back(evidence(a));
    }
  }
  user.found += master_name + ": " + (found.empty() ? std::string("none") : found) + "; ";
  if (peer_channel == nullptr) return;
  if (!any_account) {
    user.add(Severity::kError, "user.missing",
             report::concat(peer_name, " logs in to ", master_name, " as '", repl_user, "', and ",
                            master_name, " has no account of that name"),
             "CREATE USER '" + repl_user + "'@'<" + peer_name +
                 "'s address>' and GRANT REPLICATION SLAVE ON *.* to it.")
        .evidence.push_back(channel_evidence(peer_name, *peer_channel));
  } else if (!any_replication_slave) {
    user.add(Severity::kError, "user.no_replication_slave",
             report::concat(peer_name, " logs in to ", master_name, " as '", repl_user,
                            "', whose accounts lack REPLICATION SLAVE: it cannot read the binlog"),
             "GRANT REPLICATION SLAVE ON *.* TO the account.")
        .evidence.push_back(channel_evidence(peer_name, *peer_channel));
  }
}

}  // namespace

std::vector<std::string> granted_privileges(const std::string& grant) {
  std::vector<std::string> out;
  if (!grant.starts_with("GRANT ")) return out;
  const std::size_t on = grant.find(" ON ");
  if (on == std::string::npos) return out;  // a role granted
  // Privileges are comma-separated; a column list's commas are inside parentheses.
  std::string p;
  int depth = 0;
  auto flush = [&out, &p] {
    if (const auto paren = p.find(" ("); paren != std::string::npos) p.erase(paren);
    while (!p.empty() && p.front() == ' ') p.erase(0, 1);
    while (!p.empty() && p.back() == ' ') p.pop_back();
    if (!p.empty()) out.push_back(p);
    p.clear();
  };
  for (std::size_t i = 6; i < on; ++i) {
    const char c = grant[i];
    if (c == '(') ++depth;
    if (c == ')') --depth;
    if (c == ',' && depth == 0) {
      flush();
    } else {
      p.push_back(c);
    }
  }
  flush();
  return out;
}

const ReplicaChannel* channel_from(const ServerConfig& self, const ServerConfig& peer,
                                   const std::string& peer_target) {
  for (const auto& c : self.replica_channels) {
    if (c.master_server_id != 0 && c.master_server_id == peer.server_id.value) return &c;
  }
  for (const auto& c : self.replica_channels) {
    if (c.master_host + ":" + std::to_string(c.master_port) == peer_target) return &c;
  }
  // A channel that never connected has no master server id; "localhost" and
  // "127.0.0.1" are one host to a replica of a sandbox.
  const auto colon = peer_target.rfind(':');
  if (colon != std::string::npos) {
    const std::string port = peer_target.substr(colon + 1);
    const ReplicaChannel* only = nullptr;
    int candidates = 0;
    for (const auto& c : self.replica_channels) {
      if (c.master_server_id == 0 && std::to_string(c.master_port) == port) {
        only = &c;
        ++candidates;
      }
    }
    if (candidates == 1) return only;
  }
  return nullptr;
}

LiveMaster read_live_master(Connection& connection, const std::string& name,
                            const std::vector<std::string>& user_names) {
  LiveMaster m;
  m.name = name;
  m.target = connection.target();
  const ServerFlavor flavor = server_flavor(connection.server_version());
  const std::string status_sql(statements_for(flavor).binlog_status);
  m.binlog_status_source = status_sql;
  auto status = connection.query(status_sql);
  if (!status.rows.empty()) {
    const int file = status.column("File"), pos = status.column("Position");
    if (file >= 0) m.binlog_file = status.rows[0][file].value_or("");
    if (pos >= 0) {
      const std::string text = status.rows[0][pos].value_or("0");
      m.binlog_position = std::strtoull(text.c_str(), nullptr, 10);
    }
  }
  std::string where = "User LIKE '%@%'";
  for (const auto& u : user_names) where += " OR User = " + sql_string(u);
  try {
    auto users = connection.query("SELECT User, Host FROM mysql.user WHERE " + where +
                                  " ORDER BY User, Host");
    for (const auto& row : users.rows) {
      Account a;
      a.user = !row.empty() ? row[0].value_or("") : "";
      a.host = row.size() > 1 ? row[1].value_or("") : "";
      auto grants =
          connection.query("SHOW GRANTS FOR " + sql_string(a.user) + "@" + sql_string(a.host));
      for (const auto& g : grants.rows) {
        if (g.empty() || !g[0]) continue;
        // The password hash stays out of the report.
        std::string grant = *g[0];
        if (const auto at = grant.find(" IDENTIFIED "); at != std::string::npos) grant.erase(at);
        a.grants.push_back(std::move(grant));
      }
      m.accounts.push_back(std::move(a));
    }
  } catch (const ConnectionError& e) {
    m.accounts.clear();
    m.accounts_error = e.what();
  }
  return m;
}

void add_live_checks(Validation& v, const ServerConfig& a, const LiveMaster& a_live,
                     const ServerConfig& b, const LiveMaster& b_live) {
  v.checks.push_back(replication_check("A", a, "B", b_live, b));
  v.checks.push_back(replication_check("B", b, "A", a_live, a));

  auto make = [](std::string name, std::string title, std::string expected, std::string why) {
    ValidationCheck c;
    c.group = "replication accounts";
    c.name = std::move(name);
    c.title = std::move(title);
    c.expected = std::move(expected);
    c.why = std::move(why);
    return c;
  };
  std::vector<ValidationCheck> accounts;
  accounts.push_back(make("validate.replication_user",
                          "each master has the account its peer logs in as",
                          "the peer's Master_User exists with REPLICATION SLAVE",
                          "without it the peer's channel cannot read the binlog"));
  accounts.push_back(make("validate.user_name_holds_host", "no account named with its host",
                          "user and host quoted apart: 'repl'@'10.0.0.2'",
                          "'repl@10.0.0.2' quoted as one string is a user of that name at host "
                          "'%': the replica's login does not match it, and it opens a login "
                          "from anywhere"));
  accounts.push_back(make("validate.user_privileges",
                          "replication accounts hold REPLICATION SLAVE only",
                          "REPLICATION SLAVE (and at most REPLICATION CLIENT / BINLOG MONITOR)",
                          "a replication account's password sits in the peer's master.info: "
                          "FILE or more on it hands the server's files to whoever reads that"));
  accounts.push_back(make("validate.user_any_host",
                          "replication accounts reachable from the peer only",
                          "a host other than '%'",
                          "an account at '%' lets anyone with its password read every change"));
  account_checks("A", a_live, "B", channel_from(b, a, a_live.target), accounts);
  account_checks("B", b_live, "A", channel_from(a, b, b_live.target), accounts);
  std::string& listed = accounts[0].found;  // "A: 'repl'@'%'; B: none; "
  while (!listed.empty() && (listed.back() == ' ' || listed.back() == ';')) listed.pop_back();
  for (std::size_t i = 1; i < accounts.size(); ++i) {
    accounts[i].found = accounts[i].findings.empty()
                            ? "none among " + accounts[0].found
                            : std::to_string(accounts[i].findings.size()) + " account(s)";
  }
  for (auto& c : accounts) v.checks.push_back(std::move(c));
}

std::vector<report::ReplicationState> replication_states(const ServerConfig& a,
                                                         const LiveMaster& a_live,
                                                         const ServerConfig& b,
                                                         const LiveMaster& b_live) {
  std::vector<report::ReplicationState> out;
  for (const auto& [name, self, peer, peer_live] :
       {std::tuple{"A", &a, &b, &b_live}, std::tuple{"B", &b, &a, &a_live}}) {
    report::ReplicationState& r = out.emplace_back();
    r.server = name;
    if (const ReplicaChannel* c = channel_from(*self, *peer, peer_live->target)) {
      r.running = c->io_running == "Yes" && c->sql_running == "Yes";
      r.lag_seconds = c->seconds_behind_master;
    }
  }
  return out;
}

std::vector<report::ReplicationState> validate_live_pair(Validation& validation,
                                                         const config::ServerConfig& a,
                                                         Connection& a_connection,
                                                         const config::ServerConfig& b,
                                                         Connection& b_connection) {
  // Each master's accounts that the other's channel logs in as.
  auto user_of = [](const config::ReplicaChannel* c) {
    return c ? std::vector<std::string>{c->master_user} : std::vector<std::string>{};
  };
  const LiveMaster a_live =
      read_live_master(a_connection, "A", user_of(channel_from(b, a, a_connection.target())));
  const LiveMaster b_live =
      read_live_master(b_connection, "B", user_of(channel_from(a, b, b_connection.target())));
  add_live_checks(validation, a, a_live, b, b_live);
  return replication_states(a, a_live, b, b_live);
}

}  // namespace twinlog::checks
