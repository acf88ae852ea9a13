// The statements and session variables that differ between MySQL and MariaDB, and
// between MySQL versions, chosen in one place from the server's flavor and version
// (decided once, from VERSION(), into the Flavor the format description uses).
//
// MySQL renamed the replication statements: SHOW REPLICAS and SHOW REPLICA STATUS
// (with Source_* columns) from 8.0.22, SHOW BINARY LOG STATUS from 8.2.0 (SHOW
// MASTER STATUS is gone in 8.4). MariaDB keeps the old names, lists every
// connection's status with SHOW ALL SLAVES STATUS, and takes a GTID start and its
// replica capability as session variables.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "protocol/format_description.h"

namespace twinlog {

struct ServerFlavor {
  protocol::Flavor flavor = protocol::Flavor::kMySQL;
  protocol::ServerVersion version;
  bool is_mariadb() const { return flavor == protocol::Flavor::kMariaDB; }
};

// From VERSION() ("10.11.6-MariaDB-log", "8.4.3") or a handshake's version, whose
// "5.5.5-" prefix MariaDB 10+ sends for old clients is skipped.
ServerFlavor server_flavor(std::string_view version_text);

struct ServerStatements {
  std::string_view binlog_status;     // the binlog being written: File, Position
  std::string_view replica_hosts;     // replicas registered with it: Server_id, Host
  std::string_view replica_status;    // the masters it replicates from, one row each
  std::string_view source_id_column;  // the master's server_id in replica_status's rows
  // Set on a replica connection before the dump: the checksum it understands and,
  // on MariaDB, that it understands GTID events (MARIA_SLAVE_CAPABILITY_GTID).
  std::vector<std::string> dump_session;
  // MariaDB starts a dump at a GTID position through session variables; MySQL needs
  // COM_BINLOG_DUMP_GTID, which twinlog does not send.
  bool gtid_start = false;
};

ServerStatements statements_for(const ServerFlavor& server);

// The session variables that make a MariaDB dump start after `gtid_state`
// ("0-1-100,1-2-5"), in order.
std::vector<std::string> mariadb_gtid_start(std::string_view gtid_state);

// The heartbeat period a replica asks for, in the statement both flavors take.
std::string heartbeat_statement(unsigned seconds);

}  // namespace twinlog
