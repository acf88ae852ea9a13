#include "src/checks/statement_digest_key.h"

namespace twinlog::checks {

void append_statement_entry(std::string_view database, std::string_view table_database,
                            std::string_view table, std::string& out) {
  const std::string_view db = table_database.empty() ? database : table_database;
  if (table.empty() || db.empty()) {
    // No table to name, or no database to name it in (the server refuses an
    // unqualified table without a default database: such a statement is not logged).
    out.append(database).append(" (statements)");
    return;
  }
  out.append(db).append(".").append(table);
}

void StatementDigestKey::key(std::string_view database, std::string_view statement,
                             std::string& out) {
  out.clear();
  const StatementTables& st = analyzer_.analyze(statement);
  if (st.kind == StatementKind::kCannotTell || st.updated.empty()) {
    append_statement_entry(database, {}, {}, out);
    return;
  }
  const TableRef& first = st.updated.front();
  append_statement_entry(database, first.database, first.table, out);
}

std::string statement_entry(const StatementDecision& s) {
  std::string out;
  const std::size_t dot = s.table.find('.');
  if (s.table.empty() || dot == 0 || dot == std::string::npos) {
    append_statement_entry(s.database, {}, {}, out);
  } else {
    out = s.table;
  }
  return out;
}

}  // namespace twinlog::checks
