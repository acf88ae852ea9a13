// What a statement-format statement changes, as a replica's filters see it: its
// kind and the tables it updates (sql/rpl_filter.cc tables_ok looks only at the
// tables a statement updates, not the ones it reads). One pass over the text,
// no allocation per token; a statement it cannot read is "cannot tell", never a
// guess.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace twinlog::checks {

enum class StatementKind : uint8_t {
  kTransactionControl,  // BEGIN, COMMIT, ROLLBACK, SAVEPOINT, XA ..., START TRANSACTION
  kTableChange,  // INSERT / REPLACE (... SELECT), UPDATE, DELETE (single, multi-table), LOAD DATA
  kTableDdl,     // CREATE / ALTER / DROP / RENAME / TRUNCATE TABLE, CREATE / DROP INDEX
  kCreateDatabase,  // CREATE DATABASE / SCHEMA
  kAlterDatabase,   // ALTER DATABASE / SCHEMA
  kDropDatabase,    // DROP DATABASE / SCHEMA
  // SET, GRANT, FLUSH, CREATE USER, ...: usually names no table. A few still put
  // tables to the replica's table rules, which then sit in `updated`: GRANT / REVOKE
  // ... ON db.t (sql/sql_grant.cc, Grant_privilege::set_object_name adds the table
  // as updating) and ANALYZE / OPTIMIZE / REPAIR TABLE t (sql_yacc.yy table_name).
  kOther,
  kCannotTell,  // text twinlog does not understand: `reason` says what
};

// A table as the statement names it. `database` is empty for an unqualified name
// (the server takes the default database, after replicate-rewrite-db). Names are
// unquoted (`a``b` -> a`b).
struct TableRef {
  std::string database, table;
};

struct StatementTables {
  StatementKind kind = StatementKind::kCannotTell;
  // The tables the statement updates, in the order the statement names them:
  // INSERT / REPLACE / LOAD DATA target, UPDATE / DELETE targets (multi-table:
  // those it changes, not those it only reads), the tables of CREATE / ALTER /
  // DROP / TRUNCATE TABLE, both names of RENAME TABLE (old and new), CREATE
  // TABLE ... LIKE / SELECT: only the new table.
  // Every kind but kCannotTell: either `updated` is non-empty or the statement
  // names no table at all (so sql_parse.cc's all_tables_not_ok does not put it to
  // the table rules); a statement naming tables it only reads is "cannot tell".
  std::vector<TableRef> updated;
  // ALTER TABLE t RENAME TO u: u. Not in `updated`: sql_yacc.yy keeps the new name
  // in lex->name, not in the table list, so tables_ok sees only t.
  TableRef renamed_to;
  // CREATE / ALTER / DROP DATABASE: the database it names. Empty for ALTER
  // DATABASE without a name, which alters the default database.
  std::string database;
  bool temporary = false;  // CREATE / DROP TEMPORARY TABLE
  // DROP ... IF EXISTS. A replica runs DROP TEMPORARY TABLE IF EXISTS whatever its
  // table rules say (sql_parse.cc, mysql_execute_command's slave check).
  bool if_exists = false;
  // An account statement: GRANT, REVOKE, CREATE / ALTER / DROP / RENAME USER,
  // CREATE / DROP ROLE, SET PASSWORD. Besides its own table list, a replica puts
  // the mysql grant tables it writes to the table rules (sql_acl.cc, "GRANT and
  // REVOKE are applied the slave in/exclusion rules as they are some kind of
  // updates to the mysql.% tables").
  bool account = false;
  std::string reason;  // kCannotTell: "cannot tell: unbalanced quote at byte 31"
};

// Reuse one analyzer for many statements: it keeps its buffers.
class StatementAnalyzer {
 public:
  // Executable comments `/*!NNNNN ... */` (and MariaDB's `/*M!NNNNNN ... */`) are
  // read as code when NNNNN <= server_version (e.g. 101100 for 10.11.0; 0 means
  // every executable comment is code), as the server that applies them would.
  explicit StatementAnalyzer(uint32_t server_version = 0) : version_(server_version) {}
  // The result stays valid until the next call.
  const StatementTables& analyze(std::string_view statement);

 private:
  uint32_t version_;
  StatementTables result_;
};

std::string_view statement_kind_name(StatementKind kind);  // "table change", "cannot tell", ...

}  // namespace twinlog::checks
