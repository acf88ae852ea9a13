// The definitions of a live server's tables that have an AUTO_INCREMENT column,
// read-only: information_schema.COLUMNS names them, SHOW CREATE TABLE gives each
// one's DDL. For `twinlog autoinc`, when the binlogs read do not hold a table's
// CREATE TABLE (made before the oldest binlog, or not logged).
#pragma once

#include <string>

#include "src/server/connection.h"

namespace twinlog {

// The statements as a `mariadb-dump --no-data` file has them (USE `db`; then
// CREATE TABLE ...;), system schemas left out. Throws ConnectionError.
std::string auto_increment_tables_ddl(Connection& connection);

}  // namespace twinlog
