#include "src/server/server_statements.h"

#include <cstdint>

namespace twinlog {
namespace {

std::string sql_quote(std::string_view s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'' || c == '\\') out += '\\';
    out += c;
  }
  return out + "'";
}

}  // namespace

ServerFlavor server_flavor(std::string_view version_text) {
  ServerFlavor server;
  server.flavor = protocol::flavor_of(version_text);
  if (server.is_mariadb() && version_text.starts_with("5.5.5-")) version_text.remove_prefix(6);
  server.version = protocol::parse_server_version(version_text);
  return server;
}

ServerStatements statements_for(const ServerFlavor& server) {
  ServerStatements s;
  s.dump_session = {"SET @master_binlog_checksum = @@global.binlog_checksum"};
  if (server.is_mariadb()) {
    s.binlog_status = "SHOW MASTER STATUS";
    s.replica_hosts = "SHOW SLAVE HOSTS";
    s.replica_status = "SHOW ALL SLAVES STATUS";
    s.source_id_column = "Master_Server_Id";
    s.dump_session.emplace_back("SET @mariadb_slave_capability = 4");
    s.gtid_start = true;
    return s;
  }
  const bool replica_names = server.version.at_least(8, 0, 22);
  s.binlog_status =
      server.version.at_least(8, 2, 0) ? "SHOW BINARY LOG STATUS" : "SHOW MASTER STATUS";
  s.replica_hosts = replica_names ? "SHOW REPLICAS" : "SHOW SLAVE HOSTS";
  s.replica_status = replica_names ? "SHOW REPLICA STATUS" : "SHOW SLAVE STATUS";
  s.source_id_column = replica_names ? "Source_Server_Id" : "Master_Server_Id";
  return s;
}

std::vector<std::string> mariadb_gtid_start(std::string_view gtid_state) {
  return {"SET @slave_connect_state = " + sql_quote(gtid_state), "SET @slave_gtid_strict_mode = 0",
          "SET @slave_gtid_ignore_duplicates = 0"};
}

std::string heartbeat_statement(unsigned seconds) {
  return "SET @master_heartbeat_period = " + std::to_string(uint64_t{seconds} * 1000000000ull);
}

}  // namespace twinlog
