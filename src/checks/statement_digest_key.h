// The entry of a transaction's digest (stream_digest.h) a statement-format
// statement goes under: the table it updates, "db.table", as rows of that table
// would, so that a difference in a statement names its table (and the audit's
// explanation can tie that table's rows to it). A statement the analyzer
// (statement_tables.h) cannot read, or one that updates no table (SET, CREATE
// DATABASE ...), goes under its default database's "db (statements)".
// A statement updating several tables (multi-table UPDATE, RENAME TABLE) goes
// under the first it names: one entry per statement, as its digest counts it once.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "src/checks/filter_check.h"
#include "src/checks/statement_tables.h"

namespace twinlog::checks {

// "db.table" for `table` updated by a statement run under default database
// `database` (an unqualified name takes the default database); "db (statements)"
// when `table` is empty or takes an empty default database. Appends to `out`.
void append_statement_entry(std::string_view database, std::string_view table_database,
                            std::string_view table, std::string& out);

class StatementDigestKey {
 public:
  // Executable comments are read as code whatever their version (0, see
  // StatementAnalyzer): both masters' digests of one statement must take one entry,
  // whichever server reads them.
  StatementDigestKey() : analyzer_(0) {}

  // The entry of `statement` run under default database `database`, into `out`.
  void key(std::string_view database, std::string_view statement, std::string& out);

 private:
  StatementAnalyzer analyzer_;
};

// The entry of a statement FilterCheck decided (StatementDecision::table is the
// first table it updates, already "db.table"), as key() gives it.
std::string statement_entry(const StatementDecision& s);

}  // namespace twinlog::checks
