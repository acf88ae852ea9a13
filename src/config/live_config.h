// A live server's configuration, read-only: VERSION(), SHOW GLOBAL VARIABLES for
// the settings twinlog models, the binlog filters from SHOW MASTER STATUS (or
// SHOW BINARY LOG STATUS), which are not variables, and its replica channels from
// SHOW ALL SLAVES STATUS (or SHOW REPLICA STATUS). Nothing is written.
#pragma once

#include "src/config/server_config.h"
#include "src/server/connection.h"

namespace twinlog::config {

// Throws ConnectionError when a statement fails (a missing privilege included:
// SHOW MASTER STATUS needs BINLOG MONITOR / REPLICATION CLIENT).
ServerConfig read_live_config(Connection& connection);

// The server's replica channels (their state, not their settings) into `config`:
// what read_live_config does last, also for a configuration read from the server's
// option file while the server is reachable. A statement refused is a note.
void read_replica_channels(Connection& connection, ServerConfig& config);

}  // namespace twinlog::config
