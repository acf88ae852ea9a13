#include "src/server/live_schema.h"

namespace twinlog {
namespace {

// `name` with its backquotes doubled, between backquotes.
std::string quoted(const std::string& name) {
  std::string out = "`";
  for (char c : name) {
    out.push_back(c);
    if (c == '`') out.push_back('`');
  }
  out.push_back('`');
  return out;
}

}  // namespace

std::string auto_increment_tables_ddl(Connection& connection) {
  const auto tables = connection.query(
      "SELECT DISTINCT TABLE_SCHEMA, TABLE_NAME FROM information_schema.COLUMNS "
      "WHERE EXTRA LIKE '%auto_increment%' AND TABLE_SCHEMA NOT IN "
      "('mysql', 'information_schema', 'performance_schema', 'sys') "
      "ORDER BY TABLE_SCHEMA, TABLE_NAME");
  std::string dump;
  for (const auto& row : tables.rows) {
    if (row.size() < 2 || !row[0] || !row[1]) continue;
    const std::string db = quoted(*row[0]);
    const auto create = connection.query("SHOW CREATE TABLE " + db + "." + quoted(*row[1]));
    if (create.rows.empty() || create.rows[0].size() < 2 || !create.rows[0][1]) continue;
    dump.append("USE ").append(db).append(";\n").append(*create.rows[0][1]).append(";\n");
  }
  return dump;
}

}  // namespace twinlog
