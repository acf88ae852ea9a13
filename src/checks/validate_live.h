// `twinlog validate` on live masters: what only the running servers can tell.
//   - replication running both ways: per master the replica channel fed by its
//     peer, its threads (Slave_IO_Running / Slave_SQL_Running), their last errors,
//     Seconds_Behind_Master, and the peer's binlog coordinates it has executed
//     against where the peer's binlog ends;
//   - the replication accounts, read from each master's grants: the accounts its
//     peer's channel logs in as (Master_User), which must hold REPLICATION SLAVE and
//     no more than a replication account needs, and not be reachable from any host;
//     and the runbooks' mistake of an account whose *name* holds the host
//     ('repl@10.0.0.2' quoted as one string is user "repl@10.0.0.2" at host '%').
// Reading is split from judging: read_live_master runs the statements (read-only),
// add_live_checks judges what was read, so the judging is tested without servers.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "src/checks/validate.h"
#include "src/config/server_config.h"
#include "src/report/metrics.h"
#include "src/server/connection.h"

namespace twinlog::checks {

struct Account {
  std::string user, host;
  std::vector<std::string> grants;  // SHOW GRANTS FOR user@host, one statement each
};

// What validate reads from one live master beyond its configuration.
struct LiveMaster {
  std::string name;    // "A" or "B"
  std::string target;  // "127.0.0.1:3306", as its connection shows it
  std::string binlog_file;
  uint64_t binlog_position = 0;  // where its binlog ends (SHOW MASTER STATUS)
  std::string binlog_status_source;
  // Accounts named in `user_names` (the peer's Master_User), and every account
  // whose name holds an '@'; empty with `accounts_error` when they cannot be read.
  std::vector<Account> accounts;
  std::string accounts_error;
};

// Reads `connection`'s binlog end and accounts. Throws ConnectionError when the
// binlog status cannot be read; a refused account query is `accounts_error`.
LiveMaster read_live_master(Connection& connection, const std::string& name,
                            const std::vector<std::string>& user_names);

// The channel of `self` that replicates from `peer` (by the peer's server id, else
// its host:port), or null.
const config::ReplicaChannel* channel_from(const config::ServerConfig& self,
                                           const config::ServerConfig& peer,
                                           const std::string& peer_target);

// The privileges of one SHOW GRANTS line ("GRANT REPLICATION SLAVE, FILE ON *.* TO
// ..." gives REPLICATION SLAVE and FILE); none for a role grant.
std::vector<std::string> granted_privileges(const std::string& grant);

// The live checks ("replication" and "replication accounts" groups) into
// `validation`. `a` / `b` are the masters' configurations (their replica
// channels read from the live servers).
void add_live_checks(Validation& validation, const config::ServerConfig& a,
                     const LiveMaster& a_live, const config::ServerConfig& b,
                     const LiveMaster& b_live);

// Each master's channel from its peer as the metrics show it (running: both
// threads Yes; no channel: not running).
std::vector<report::ReplicationState> replication_states(const config::ServerConfig& a,
                                                         const LiveMaster& a_live,
                                                         const config::ServerConfig& b,
                                                         const LiveMaster& b_live);

// The live part of a validation (both masters connected): reads each master's
// binlog end and the accounts the other's channel logs in as, adds the replication
// and account checks, and returns the replication state of each channel (for
// metrics). Throws ConnectionError when a master cannot be read.
std::vector<report::ReplicationState> validate_live_pair(Validation& validation,
                                                         const config::ServerConfig& a,
                                                         Connection& a_connection,
                                                         const config::ServerConfig& b,
                                                         Connection& b_connection);

}  // namespace twinlog::checks
