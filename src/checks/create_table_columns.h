// Which column of a table is its AUTO_INCREMENT one, read from the DDL a binlog
// (or a `mariadb-dump --no-data` file) holds: a row image names its columns by
// position only (the table map's full metadata has names, not the
// AUTO_INCREMENT flag), and a table's positions are those of its CREATE TABLE
// column list, moved by ALTER TABLE ... ADD / DROP / MODIFY / CHANGE ... FIRST /
// AFTER.
//
// One pass over each statement through the shared lexer (sql_lexer.h); a
// statement it cannot follow forgets the table (its column becomes unknown),
// never a guess.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace twinlog::checks {

struct ColumnDefinition {
  std::string name;  // unquoted
  bool auto_increment = false;
  bool is_unsigned = false;
};

struct TableColumns {
  std::vector<ColumnDefinition> columns;  // in the table's order (the table map's)
  // The AUTO_INCREMENT column's position, if the table has one.
  std::optional<uint32_t> auto_increment() const;
};

// The tables' definitions known so far, kept by the DDL statements applied in
// binlog order. Temporary tables are not kept (a row image never names one).
class TableSchemas {
 public:
  // Applies one statement run with `default_database`: CREATE TABLE (a column
  // list, or LIKE another known table), ALTER TABLE, DROP TABLE, RENAME TABLE.
  // Anything else changes nothing.
  void apply(std::string_view default_database, std::string_view statement);
  // The statements of a `mariadb-dump --no-data` file, with its USE statements
  // giving the default database. A table dumped without a database (a dump of
  // one database without --databases) is found under any database.
  void apply_dump(std::string_view dump);

  // The table's columns; nullptr when no statement read defined it, or the last
  // one that changed it could not be followed.
  const TableColumns* find(std::string_view database, std::string_view table) const;

 private:
  std::string& key(std::string_view database, std::string_view table) const;
  void create(std::string_view default_database, std::string_view statement);

  std::map<std::string, TableColumns, std::less<>> tables_;  // "db.table"
  mutable std::string key_;                                  // reused by find()
};

}  // namespace twinlog::checks
