// The workload's tables: one per family of column types MariaDB can binlog
// (each with an id primary key besides), and wl_autoinc, whose AUTO_INCREMENT
// ids the masters hand out.
#pragma once

#include <string>
#include <vector>

#include "tools/workload/workload_connection.h"
#include "tools/workload/workload_options.h"

namespace twinlog::workload {

struct Column {
  std::string name;
  std::string type;
};

struct Table {
  std::string name;
  std::vector<Column> columns;  // besides the id primary key
};

std::vector<Table> workload_tables();

// Creates the tables on A (dropped first with --reset; they replicate to B) and
// the unlogged wl_ref database on every master, then waits until B has them.
void create_schema(Connection& a, Connection* b, const std::vector<Table>& tables,
                   const Options& o);

}  // namespace twinlog::workload
