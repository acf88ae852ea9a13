// The statement with which one master (the replica here) waits until it has
// applied the other's (the origin's) binlog up to where the origin is now, before
// `twinlog checksum` reads a differing chunk again, chosen per flavor, version
// and replication connection:
//   - MariaDB, the connection replicating with GTIDs (Using_Gtid not No):
//     MASTER_GTID_WAIT over the origin's binlog state, less the transactions the
//     replica wrote itself (its gtid_slave_pos holds those only once they come
//     back, copied, through the origin's binlog: nothing of the origin's). Exact when both masters
//     write one gtid_domain_id too, though MASTER_GTID_WAIT compares sequence numbers across the
//     domain: a master numbers its own transaction after every GTID its binlog holds, and the
//     replica applies that binlog in order (its own transactions copied back included), so it
//     reaches the origin's last own number only by applying that transaction
//     (checksum_catch_up_live_test.cpp);
//   - MySQL with GTID_MODE ON: WAIT_FOR_EXECUTED_GTID_SET over the origin's
//     gtid_executed (the replica's gtid_executed does hold its own);
//   - else the origin's binlog file and position: SOURCE_POS_WAIT on MySQL
//     8.0.26+, MASTER_POS_WAIT before and on MariaDB;
// each naming the connection (MariaDB's multi-source connection name, MySQL's
// channel) when it is not the default one.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "src/server/server_statements.h"

namespace twinlog::checks {

// Where a master's binlog is, read just before the wait.
struct OriginPosition {
  uint32_t server_id = 0;
  std::string file, position;  // SHOW MASTER STATUS (empty: log-bin off)
  // MariaDB: @@gtid_binlog_state; MySQL: @@gtid_executed when GTID_MODE is ON.
  std::string gtids;
};

// One row of the replica's SHOW ALL SLAVES STATUS / SHOW REPLICA STATUS.
struct ReplicaConnection {
  std::string name;  // Connection_name / Channel_Name; "" for the default one
  uint32_t source_server_id = 0;
  bool gtid = false;  // Using_Gtid Slave_Pos or Current_Pos; Auto_Position 1
};

enum class WaitKind : uint8_t {
  kNothing,      // nothing of the origin's to wait for
  kPosition,     // MASTER_POS_WAIT / SOURCE_POS_WAIT: NULL, -1, or events waited
  kMariaDBGtid,  // MASTER_GTID_WAIT: 0 or -1
  kMySQLGtid,    // WAIT_FOR_EXECUTED_GTID_SET: 0 or 1
};

struct CatchUpWait {
  WaitKind kind = WaitKind::kNothing;
  std::string sql;
};

// `timeout_seconds` 0: no wait (kNothing), on every flavor.
CatchUpWait catch_up_wait(const ServerFlavor& replica, uint32_t replica_server_id,
                          const ReplicaConnection& connection, const OriginPosition& origin,
                          unsigned timeout_seconds);

// A MariaDB binlog state ("1-1-20,2-2-7,0-1-3,0-2-9") reduced to what a replica
// with `replica_server_id` waits for: per domain, the highest sequence number of
// the GTIDs other servers wrote ("1-1-20,0-1-3" for server 2); "" when none.
std::string mariadb_wait_position(std::string_view binlog_state, uint32_t replica_server_id);

// "" when the wait's result says caught up, else why not ("timed out", "is not
// replicating (SQL thread stopped?)").
std::string wait_failure(WaitKind kind, const std::optional<std::string>& result);

}  // namespace twinlog::checks
