// One server's replication filter rules, evaluated as the server evaluates them
// (sql/rpl_filter.cc; ../shared/DESIGN.md, "Replication filters"):
//   - database rules (db_ok): no do / ignore lists pass; a non-empty do list
//     decides alone; otherwise an ignore-list match fails;
//   - no default database: MariaDB compares it as an empty name (a do list
//     rejects it, an ignore list lets it pass; seen on a 10.11 pair), MySQL 8 passes
//     it;
//   - names: MariaDB compares database names byte for byte and table rules without
//     case; MySQL follows lower_case_table_names for both;
//   - table rules (tables_ok), per updated table in this order, first match wins:
//     do-table passes, ignore-table fails, wild-do-table passes, wild-ignore-table
//     fails; with no match anywhere the statement fails only when a do-table or
//     wild-do-table rule exists;
//   - replicate-rewrite-db renames the database first (not for CREATE / ALTER /
//     DROP DATABASE), the first rule whose FROM matches;
//   - CREATE / ALTER / DROP DATABASE on a replica: db_ok of the named database,
//     then the wild table rules against "name." (db_ok_with_wild_table).
// Every verdict names the rule that decided it, with the option's source.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "src/config/server_config.h"

namespace twinlog::checks {

struct FilterVerdict {
  bool pass = true;
  std::string rule;  // "replicate-do-db=test (master-b.cnf:9)", "no database rule"
  // The option line that decided, apart, for a finding's evidence; empty when no
  // rule did ("no database rule").
  std::string option;  // "replicate-do-db=test"
  std::string source;  // "master-b.cnf:9", "SHOW GLOBAL VARIABLES replicate_do_db"
};

struct TableName {
  std::string database, table;
};

// `pattern` with % (any run), _ (one character) and \ escapes, letter case
// ignored (ASCII), against the whole of `text`.
bool wild_match(std::string_view pattern, std::string_view text);

class FilterRules {
 public:
  explicit FilterRules(const config::ServerConfig& config);

  // Master side: is a change to `database` (nullopt: no default database) logged?
  FilterVerdict binlog_db_ok(std::optional<std::string_view> database) const;
  // Replica side, database rules on the (rewritten) database.
  FilterVerdict replicate_db_ok(std::optional<std::string_view> database) const;
  // The name a replica takes from an event (a statement's default database, a
  // table map's database) before any rule sees it: lower-cased when it runs with
  // lower_case_table_names=1 (seen on MariaDB 10.11: replicate-do-db=Upper1 then
  // matches nothing, and replicate-rewrite-db=b37656->x rewrites B37656).
  std::string replica_database(std::string_view database) const;
  // replicate-rewrite-db: the database a replica uses for `database`.
  std::string rewrite_db(std::string_view database) const;
  // An account statement (GRANT, CREATE USER, ...) passed the table rules with the
  // mysql grant tables it writes. Which of them a statement writes depends on the
  // statement, so the verdict is "cannot tell" (nullopt) when the rules do not
  // treat every grant table alike.
  std::optional<FilterVerdict> replicate_grant_tables_ok() const;
  bool has_table_rules() const;
  // Replica side, table rules over the tables a statement or table map updates
  // (databases already rewritten). Passes when there are no table rules. A
  // statement naming tables but updating none (empty `updated`) fails, as the
  // server ignores it; one naming no table at all is not put to the table rules
  // by the server: do not call this for it.
  FilterVerdict replicate_tables_ok(const std::vector<TableName>& updated) const;
  // Replica side, CREATE / ALTER / DROP DATABASE `name`.
  FilterVerdict replicate_database_statement_ok(std::string_view name) const;

 private:
  FilterVerdict db_ok(const std::vector<config::FilterEntry>& do_list,
                      const std::vector<config::FilterEntry>& ignore_list,
                      std::string_view do_option, std::string_view ignore_option,
                      std::optional<std::string_view> database) const;
  bool same_database(std::string_view a, std::string_view b) const;

  config::ServerConfig config_;  // a copy: rules outlive whatever they were read from
  bool maria_;
  bool fold_database_case_;  // MySQL with lower_case_table_names
};

}  // namespace twinlog::checks
