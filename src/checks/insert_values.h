// The auto-increment value each row of a statement-format INSERT / REPLACE
// gives, so that every id of a multi-row insert is checked, not only the first:
// the binlog logs one INSERT_ID, the first id the statement generated, and the
// replica generates the others from it (sql/handler.cc update_auto_increment:
// each row that gives the column no value takes the next id of the session's
// class).
//
// One pass over the text through the shared lexer (sql_lexer.h). Only literals
// are read: a row whose value is an expression, a SELECT, or anything else this
// reader cannot evaluate ends the reading there, with the reason; the rows before
// it stay known.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "src/checks/create_table_columns.h"

namespace twinlog::checks {

struct InsertRow {
  bool generated = false;  // the column got no value: the next id of the class
  uint64_t value = 0;      // !generated: the id the row names
};

struct InsertValues {
  std::vector<InsertRow> rows;  // in the statement's order, up to where the reading stopped
  // Empty when every row was read; else why the rows after `rows` are not known
  // ("INSERT ... SELECT: the rows are not in the statement").
  std::string stopped;
};

// Reads the rows of INSERT / REPLACE ... VALUES (...), (...) and INSERT ... SET
// into `out` for the column `auto_increment` of `table` (the column list, or the
// table's order when the statement names no columns). `zero_generates`: 0 takes
// the next id, as it does unless sql_mode has NO_AUTO_VALUE_ON_ZERO. `version`
// as StatementAnalyzer's (executable comments). IGNORE and ON DUPLICATE KEY
// UPDATE stop the reading after the first row: a row they do not insert still
// consumes its id, so which ids reached the table is not in the text.
void read_insert_values(std::string_view statement, const TableColumns& table,
                        uint32_t auto_increment, bool zero_generates, uint32_t version,
                        InsertValues& out);

}  // namespace twinlog::checks
