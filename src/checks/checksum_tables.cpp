#include "src/checks/checksum_tables.h"

#include <algorithm>

#include "src/checks/checksum_values.h"
#include "src/checks/filter_rules.h"

namespace twinlog::checks {

bool is_integer_type(std::string_view column_type) {
  for (std::string_view name : {"tinyint", "smallint", "mediumint", "int", "bigint"}) {
    if (column_type.substr(0, name.size()) != name) continue;
    const std::string_view rest = column_type.substr(name.size());
    if (rest.empty() || rest[0] == '(' || rest[0] == ' ') return true;
  }
  return false;
}

bool integer_key(const ChecksumTable& table) {
  if (table.key.empty()) return false;
  for (const auto& k : table.key) {
    bool integer = false;
    for (const auto& c : table.columns) {
      if (c.name == k) integer = is_integer_type(c.type);
    }
    if (!integer) return false;
  }
  return true;
}

std::optional<ChecksumIndex> choose_key(const std::vector<ChecksumIndex>& unique_indexes,
                                        const std::vector<ChecksumColumn>& columns) {
  auto not_null = [&](const ChecksumIndex& index) {
    return std::all_of(index.columns.begin(), index.columns.end(), [&](const std::string& c) {
      auto it = std::find_if(columns.begin(), columns.end(),
                             [&](const ChecksumColumn& col) { return col.name == c; });
      return it != columns.end() && !it->nullable;
    });
  };
  const ChecksumIndex* best = nullptr;
  for (const auto& index : unique_indexes) {
    if (index.columns.empty() || !not_null(index)) continue;
    if (index.name == "PRIMARY") return index;
    if (best == nullptr || index.name < best->name) best = &index;
  }
  if (best == nullptr) return std::nullopt;
  return *best;
}

bool is_system_database(std::string_view database) {
  return database == "mysql" || database == "information_schema" ||
         database == "performance_schema" || database == "sys";
}

namespace {

bool one_way(const config::ServerConfig& origin, const config::ServerConfig& replica,
             const std::string& database, const std::string& table) {
  const FilterRules logs(origin), applies(replica);
  if (!logs.binlog_db_ok(database).pass) return false;
  const std::string db = applies.rewrite_db(applies.replica_database(database));
  if (!applies.replicate_db_ok(db).pass) return false;
  if (table.empty() || !applies.has_table_rules()) return true;
  return applies.replicate_tables_ok({TableName{db, table}}).pass;
}

// A name as a literal no sql_mode reads otherwise.
std::string name_literal(std::string_view name) {
  return "CONVERT(" + hex_literal(name) + " USING utf8mb4)";
}

}  // namespace

bool pair_replicates(const config::ServerConfig& a, const config::ServerConfig& b,
                     const std::string& database, const std::string& table) {
  return one_way(a, b, database, table) || one_way(b, a, database, table);
}

bool TableSelection::selects(const std::string& database, const std::string& table) const {
  if (!databases.empty() &&
      std::find(databases.begin(), databases.end(), database) == databases.end())
    return false;
  if (tables.empty()) return true;
  return std::any_of(tables.begin(), tables.end(), [&](const std::string& t) {
    return t == table || t == database + "." + table;
  });
}

std::vector<QualifiedTable> list_tables(Connection& connection, const config::ServerConfig& a,
                                        const config::ServerConfig& b,
                                        const TableSelection& selection) {
  auto rows = connection.query(
      "SELECT TABLE_SCHEMA, TABLE_NAME FROM information_schema.TABLES "
      "WHERE TABLE_TYPE = 'BASE TABLE'");
  std::vector<QualifiedTable> out;
  for (const auto& row : rows.rows) {
    if (!row[0] || !row[1]) continue;
    const std::string& db = *row[0];
    const std::string& table = *row[1];
    if (is_system_database(db) && selection.databases.empty()) continue;
    const bool named = !selection.databases.empty() || !selection.tables.empty();
    if (named ? !selection.selects(db, table) : !pair_replicates(a, b, db, table)) continue;
    out.push_back({db, table});
  }
  std::sort(out.begin(), out.end());
  return out;
}

ChecksumTable describe_table(Connection& connection, const QualifiedTable& name) {
  ChecksumTable t;
  t.database = name.database;
  t.table = name.table;
  const std::string where = " WHERE TABLE_SCHEMA = " + name_literal(name.database) +
                            " AND TABLE_NAME = " + name_literal(name.table);
  auto columns = connection.query(
      "SELECT COLUMN_NAME, COLUMN_TYPE, IS_NULLABLE FROM information_schema.COLUMNS" + where +
      " ORDER BY ORDINAL_POSITION");
  for (const auto& row : columns.rows) {
    t.columns.push_back({row[0].value_or(""), row[1].value_or(""), row[2].value_or("") == "YES"});
  }
  auto stats =
      connection.query("SELECT INDEX_NAME, COLUMN_NAME FROM information_schema.STATISTICS" + where +
                       " AND NON_UNIQUE = 0 ORDER BY INDEX_NAME, SEQ_IN_INDEX");
  std::vector<ChecksumIndex> indexes;
  for (const auto& row : stats.rows) {
    const std::string index = row[0].value_or("");
    if (indexes.empty() || indexes.back().name != index) indexes.push_back({index, {}});
    indexes.back().columns.push_back(row[1].value_or(""));
  }
  if (auto key = choose_key(indexes, t.columns)) {
    t.key = key->columns;
    t.key_name = key->name;
  }
  return t;
}

TableLists compare_table_lists(const std::vector<QualifiedTable>& a,
                               const std::vector<QualifiedTable>& b) {
  TableLists out;
  std::set_intersection(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(out.both));
  std::set_difference(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(out.only_a));
  std::set_difference(b.begin(), b.end(), a.begin(), a.end(), std::back_inserter(out.only_b));
  return out;
}

std::string quote_identifier(std::string_view name) {
  std::string out = "`";
  for (char c : name) {
    if (c == '`') out += '`';
    out += c;
  }
  return out + "`";
}

}  // namespace twinlog::checks
