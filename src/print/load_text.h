// MySQL 4.x's LOAD DATA (a CREATE_FILE event, its data in APPEND_BLOCKs, then
// EXEC_LOAD) as the statement mariadb-binlog prints for it
// (Load_log_event::print in sql/log_event_client.cc).
#pragma once

#include <string>

#include "protocol/events.h"

namespace twinlog {

// Appends what follows "LOAD DATA ": INFILE 'name' [REPLACE | IGNORE] INTO TABLE
// `t` FIELDS ... LINES ... [IGNORE n LINES] [(`a`,`b`)], the strings escaped as
// mariadb-binlog's pretty_print_str does. The file name is the one the server
// read: mariadb-binlog names the copy it writes to /tmp, twinlog writes no files.
void append_load_data(const protocol::LoadEvent& e, std::string& out);

}  // namespace twinlog
