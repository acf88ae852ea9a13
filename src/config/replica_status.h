// A live server's replica channels as its replica status statement shows them
// (SHOW ALL SLAVES STATUS on MariaDB, SHOW REPLICA / SLAVE STATUS on MySQL), kept
// to what the checks need: which server feeds each channel, which server ids it
// ignores, and where and why its SQL thread stopped. Read-only, like the rest of
// the live configuration.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace twinlog::config {

struct ReplicaChannel {
  std::string name;                         // Connection_name / Channel_Name; "" the default
  uint32_t master_server_id = 0;            // 0 until the channel has connected once
  std::vector<uint32_t> ignore_server_ids;  // CHANGE MASTER ... IGNORE_SERVER_IDS
  uint32_t last_sql_errno = 0;
  std::string last_sql_error;
  // The master's binlog the SQL thread executes, and the end of the last event it
  // executed: when the SQL thread stopped on an error, the start of the
  // transaction that failed.
  std::string relay_master_log_file;
  uint64_t exec_master_log_pos = 0;
  // Whether it runs, why not, and how far behind it is (validate reads these).
  std::string master_host;  // Master_Host / Source_Host
  uint32_t master_port = 0;
  std::string master_user;  // the replication account's user name on the master
  std::string io_running;   // Slave_IO_Running / Replica_IO_Running: Yes, No, Connecting
  std::string sql_running;  // Slave_SQL_Running / Replica_SQL_Running: Yes, No
  uint32_t last_io_errno = 0;
  std::string last_io_error;
  std::optional<uint64_t> seconds_behind_master;  // NULL while a thread is stopped
  std::string gtid_io_pos;                        // MariaDB: the GTIDs received of the master
  std::string source;  // the statement that showed it: "SHOW ALL SLAVES STATUS"
};

// The channels of the replica status statement `source`'s result, one per row.
// Columns are found by name in either spelling (Master_* or MySQL 8's Source_*);
// a column that is missing leaves its field empty.
std::vector<ReplicaChannel> replica_channels_from(
    const std::vector<std::string>& columns,
    const std::vector<std::vector<std::optional<std::string>>>& rows, const std::string& source);

// Server ids of a Replicate_Ignore_Server_Ids value ("2", "2, 3", "" for none).
std::vector<uint32_t> server_id_list(const std::string& text);

}  // namespace twinlog::config
