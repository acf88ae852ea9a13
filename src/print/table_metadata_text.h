// --print-table-metadata: the columns and primary key a table map's optional
// metadata describes, as mariadb-binlog prints them under the table map's header
// (`# Columns(...)`, `# Primary Key(...)`).
#pragma once

#include <string>

#include "protocol/events.h"

namespace twinlog {

void append_table_metadata(const protocol::TableMapEvent& table, std::string& out);

}  // namespace twinlog
