// Which tables `twinlog checksum` compares, and along which key: the tables of the
// databases the pair replicates (decided by the servers' own filter rules,
// filter_rules.h) or the ones the user named, each master's list read from
// information_schema, and for each table its columns and the key its chunks follow
// (the primary key, else a unique key over NOT NULL columns, else none: the table
// is read whole).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "src/config/server_config.h"
#include "src/server/connection.h"

namespace twinlog::checks {

struct ChecksumColumn {
  std::string name;
  std::string type;  // COLUMN_TYPE: "varchar(64)", "int(10) unsigned"
  bool nullable = false;
  bool operator==(const ChecksumColumn&) const = default;
};

struct ChecksumIndex {
  std::string name;  // "PRIMARY" for the primary key
  std::vector<std::string> columns;
};

struct ChecksumTable {
  std::string database, table;
  std::vector<ChecksumColumn> columns;
  std::vector<std::string> key;  // empty: no usable key, read whole
  std::string key_name;          // "PRIMARY", the unique index's name, or empty
  std::string qualified() const { return database + "." + table; }
};

// The key chunks follow: PRIMARY, else the first unique index (by name, so both
// masters choose alike) whose columns are all NOT NULL; nullopt when none is.
// COLUMN_TYPE of an integer column: "int(10) unsigned", "bigint(20)", "tinyint".
bool is_integer_type(std::string_view column_type);

// Whether every column of `table`'s key is an integer column.
bool integer_key(const ChecksumTable& table);

std::optional<ChecksumIndex> choose_key(const std::vector<ChecksumIndex>& unique_indexes,
                                        const std::vector<ChecksumColumn>& columns);

// Schemas that are never the pair's data.
bool is_system_database(std::string_view database);

// Does the pair replicate `database` in either direction (the origin logs it and
// the other master's database and table rules let it through)? `table` empty:
// only the database rules.
bool pair_replicates(const config::ServerConfig& a, const config::ServerConfig& b,
                     const std::string& database, const std::string& table);

// What the user asked for: --databases LIST and --tables LIST (each "db.table",
// or "table" in every chosen database).
struct TableSelection {
  std::vector<std::string> databases;
  std::vector<std::string> tables;
  bool selects(const std::string& database, const std::string& table) const;
};

// The names "db.table" of one master's base tables in the chosen databases, sorted.
struct QualifiedTable {
  std::string database, table;
  bool operator==(const QualifiedTable&) const = default;
  bool operator<(const QualifiedTable& o) const {
    return database != o.database ? database < o.database : table < o.table;
  }
};
std::vector<QualifiedTable> list_tables(Connection& connection, const config::ServerConfig& a,
                                        const config::ServerConfig& b,
                                        const TableSelection& selection);

// Columns and the chosen key of one table on one master.
ChecksumTable describe_table(Connection& connection, const QualifiedTable& name);

// The two sorted lists side by side: tables on both, and those on one only.
struct TableLists {
  std::vector<QualifiedTable> both, only_a, only_b;
};
TableLists compare_table_lists(const std::vector<QualifiedTable>& a,
                               const std::vector<QualifiedTable>& b);

// `name` as an SQL identifier: `na``me`.
std::string quote_identifier(std::string_view name);

}  // namespace twinlog::checks
