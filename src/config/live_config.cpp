#include "src/config/live_config.h"

#include "src/server/server_statements.h"

namespace twinlog::config {
namespace {

// The variables server_config_from_variables models; both names where MySQL 8
// renamed one.
constexpr const char* kVariables =
    "'server_id','log_bin','log_slave_updates','log_replica_updates',"
    "'replicate_same_server_id','binlog_format','binlog_row_image','binlog_checksum',"
    "'sync_binlog','innodb_flush_log_at_trx_commit','auto_increment_increment',"
    "'auto_increment_offset','lower_case_table_names','gtid_domain_id','gtid_strict_mode',"
    "'gtid_ignore_duplicates','read_only','slave_skip_errors','replica_skip_errors',"
    "'replicate_do_db','replicate_ignore_db','replicate_do_table','replicate_ignore_table',"
    "'replicate_wild_do_table','replicate_wild_ignore_table','replicate_rewrite_db'";

}  // namespace

ServerConfig read_live_config(Connection& connection) {
  ServerFlavor flavor = server_flavor(connection.server_version());
  ServerIdentity identity{flavor.flavor, flavor.version};
  std::vector<LiveVariable> variables;
  auto rows = connection.query(std::string("SHOW GLOBAL VARIABLES WHERE Variable_name IN (") +
                               kVariables + ")");
  for (const auto& row : rows.rows) {
    if (row.size() < 2 || !row[0]) continue;
    variables.push_back({*row[0], row[1].value_or(""), "SHOW GLOBAL VARIABLES " + *row[0]});
  }
  // The binlog filters are not variables: the binlog status statement shows them.
  const std::string status_sql(statements_for(flavor).binlog_status);
  auto status = connection.query(status_sql);
  if (!status.rows.empty()) {
    for (const char* column : {"Binlog_Do_DB", "Binlog_Ignore_DB"}) {
      int at = status.column(column);
      if (at < 0 || !status.rows[0][at] || status.rows[0][at]->empty()) continue;
      std::string name =
          column == std::string_view("Binlog_Do_DB") ? "binlog_do_db" : "binlog_ignore_db";
      variables.push_back({name, *status.rows[0][at], status_sql + " " + column});
    }
  }
  ServerConfig config = server_config_from_variables(variables, identity);
  read_replica_channels(connection, config);
  return config;
}

void read_replica_channels(Connection& connection, ServerConfig& config) {
  // Needs SLAVE MONITOR / REPLICATION CLIENT; without it the checks just do not see
  // the channels, which the note says.
  const ServerFlavor flavor = server_flavor(connection.server_version());
  const std::string replica_sql(statements_for(flavor).replica_status);
  try {
    auto replicas = connection.query(replica_sql);
    config.replica_channels = replica_channels_from(replicas.columns, replicas.rows, replica_sql);
  } catch (const ConnectionError& e) {
    // Built member by member: GCC 12 at -O3 takes the nested braces' empty
    // OptionOrigin for a maybe-uninitialized string (-Wmaybe-uninitialized).
    SettingOrigin origin;
    origin.kind = SettingOrigin::Kind::kLiveVariable;
    origin.variable = replica_sql;
    ConfigNote note;
    note.code = "config.replica_status_unreadable";
    note.message = "cannot read " + replica_sql + ": " + e.what();
    note.origin = std::move(origin);
    config.notes.push_back(std::move(note));
  }
}

}  // namespace twinlog::config
