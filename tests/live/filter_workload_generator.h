// The generator behind make_filter_workload (filter_workload.h): the shapes it
// draws, its seeded choices of databases and tables, the statements it adds with
// their markers and the checks of their effects. Its members live in two files:
// filter_workload.cpp (the DML shapes, the setup) and filter_workload_ddl.cpp
// (accounts, table DDL). Internal to those two files.
#pragma once

#include <algorithm>
#include <cctype>
#include <cstddef>
#include <functional>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <stdexcept>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "tests/live/filter_workload.h"

namespace twinlog::live::filter_generation {

inline std::string quote_name(const std::string& name) {
  return "`" + name + "`";
}
inline std::string literal(const std::string& text) {
  return "'" + text + "'";
}

struct TableRef {
  std::string database, table;
  bool operator<(const TableRef& o) const {
    return std::tie(database, table) < std::tie(o.database, o.table);
  }
  bool operator==(const TableRef& o) const = default;
};

// How often each shape is drawn (a transaction counts once, for 2 to 4 statements).
struct Shape {
  const char* name;
  int weight;
};
constexpr Shape kShapes[] = {
    {"insert", 12},
    {"insert-unsafe", 4},
    {"update", 10},
    {"update-unsafe", 2},
    {"delete", 7},
    {"replace", 5},
    {"multi-update", 8},
    {"multi-update-one", 4},
    {"multi-delete", 5},
    {"multi-delete-one", 3},
    {"insert-select", 8},
    {"create-table", 4},
    {"drop-table", 3},
    {"alter-table", 3},
    {"rename-table", 2},
    {"rename-cross", 2},
    {"truncate-table", 2},
    {"create-index", 2},
    {"drop-index", 2},
    {"create-database", 3},
    {"drop-database", 2},
    {"alter-database", 1},
    {"create-table-like", 2},
    {"drop-tables", 2},
    {"multi-update-comma", 3},
    {"multi-delete-using", 2},
    {"insert-on-duplicate", 3},
    {"replace-select", 2},
    {"load-data", 3},
    {"update-subquery", 3},
    {"delete-subquery", 2},
    {"alter-rename", 2},
    {"rename-two", 2},
    {"create-user", 1},
    {"grant", 2},
    {"revoke", 1},
    {"transaction", 5},
};
constexpr const char* kTransactionShapes[] = {"insert",       "update",           "delete",
                                              "replace",      "multi-update",     "insert-select",
                                              "multi-delete", "multi-update-one", "insert-unsafe"};

// A string literal with quotes, a statement separator, comment openers and a table
// name in it: none of it is SQL.
constexpr const char* kTrickyText = "'it''s other.t2; -- /* DELETE FROM test.t1 */ \\' #'";

class Generator {
 public:
  explicit Generator(const WorkloadSpec& spec) : spec_(spec), rng_(spec.seed) {
    if (spec.databases.empty() || spec.tables.empty() || spec.ddl_prefixes.empty()) {
      throw std::invalid_argument("filter workload: databases, tables and ddl_prefixes are needed");
    }
    for (const auto& s : kShapes) {
      total_weight_ += s.weight;
    }
  }

  Workload run() {
    marker_ = spec_.first_marker;
    const int last = spec_.first_marker + spec_.statements;
    // The session starts without a default database, as the client does.
    while (marker_ < last) {
      // Every shape once first, so that every run has each of them; then at random.
      const std::string shape =
          forced_ < std::size(kShapes) ? kShapes[forced_++].name : draw_shape();
      if (shape == "transaction") {
        transaction(std::min(2 + pick(3), last - marker_));
        continue;
      }
      maybe_change_database();
      statement(shape);
    }
    finish_setup();
    return std::move(out_);
  }

 private:
  int pick(int n) { return static_cast<int>(rng_() % static_cast<uint64_t>(n)); }
  bool coin(int percent) { return pick(100) < percent; }
  template <class T>
  const T& one_of(const std::vector<T>& v) {
    return v[static_cast<size_t>(pick(static_cast<int>(v.size())))];
  }

  std::string draw_shape() {
    int r = pick(total_weight_);
    for (const auto& s : kShapes) {
      if (r < s.weight) {
        return s.name;
      }
      r -= s.weight;
    }
    return "insert";
  }

  // The database a replica's rewrite rule sends `database` to (itself without one).
  std::string mirror(const std::string& database) const {
    for (const auto& [from, to] : spec_.rewrites) {
      if (from == database) {
        return to;
      }
    }
    return database;
  }
  // An effect seen in the database as named or in the one a rewrite sends it to
  // (a negative check negates inside `check`: the change shows in either place).
  std::string either(const std::string& database,
                     const std::function<std::string(const std::string&)>& check) const {
    const std::string to = mirror(database);
    if (to == database) {
      return check(database);
    }
    // Appended: GCC 12 at -O3 takes `"(" + std::string` here for an overlapping
    // copy (a false -Wrestrict).
    std::string both = "(";
    both.append(check(database)).append(" OR ").append(check(to)).append(")");
    return both;
  }

  void use(const std::string& database) {
    out_.script.push_back("USE " + quote_name(database) + ";");
    default_db_ = database;
  }
  // No default database: the server forgets it when the default database is dropped
  // (done outside the binlog).
  void use_none() {
    const std::string name = "twl_none_" + std::to_string(marker_);
    out_.script.push_back("SET SESSION sql_log_bin=0;");
    out_.script.push_back("CREATE DATABASE " + quote_name(name) + ";");
    out_.script.push_back("USE " + quote_name(name) + ";");
    out_.script.push_back("DROP DATABASE " + quote_name(name) + ";");
    out_.script.push_back("SET SESSION sql_log_bin=1;");
    default_db_.reset();
  }
  void maybe_change_database() {
    if (!first_done_ || coin(30)) {
      first_done_ = true;
      if (coin(15)) {
        use_none();
      } else {
        use(one_of(spec_.databases));
      }
    }
  }

  TableRef any_table() { return {one_of(spec_.databases), one_of(spec_.tables)}; }
  // Two tables no rewrite rule can fold into one.
  bool collide(const TableRef& a, const TableRef& b) const {
    if (a.table != b.table) {
      return false;
    }
    const std::string ma = mirror(a.database), mb = mirror(b.database);
    return a.database == b.database || ma == b.database || mb == a.database || ma == mb;
  }
  TableRef other_table(const TableRef& first) {
    for (int i = 0; i < 50; ++i) {
      TableRef t = any_table();
      if (!collide(first, t)) {
        return t;
      }
    }
    throw std::invalid_argument("filter workload: needs two tables that do not collide");
  }
  // The table as the statement names it: unqualified only in its default database.
  std::string name_of(const TableRef& t) {
    const bool backquoted = coin(20);
    const std::string table = backquoted ? quote_name(t.table) : t.table;
    if (default_db_ == t.database && coin(50)) {
      return table;
    }
    return (backquoted ? quote_name(t.database) : t.database) + "." + table;
  }

  void seed(const TableRef& t, int id) {
    seeds_[t].insert(id);
    seeds_[{mirror(t.database), t.table}].insert(id);
  }
  // Two tables that do not collide, each with a seed row for statement `n`.
  std::pair<TableRef, TableRef> two_seeded(int n) {
    TableRef a = any_table();
    TableRef b = other_table(a);
    seed(a, n);
    seed(b, n);
    return {a, b};
  }
  void premade_table(const std::string& database, const std::string& name) {
    for (const auto& db : {database, mirror(database)}) {
      const std::string full = quote_name(db) + "." + quote_name(name);
      if (premade_.insert(full).second) {
        out_.setup.push_back("CREATE TABLE " + full + " (id INT PRIMARY KEY, v INT, KEY k (v))");
        out_.setup.push_back("INSERT INTO " + full + " VALUES (1, 1)");
      }
    }
  }

  static std::string full_name(const TableRef& t) {
    return quote_name(t.database) + "." + quote_name(t.table);
  }
  static std::string row_where(const std::string& db, const std::string& table, int id,
                               const std::string& extra = {}) {
    return "SELECT 1 FROM " + quote_name(db) + "." + quote_name(table) +
           " WHERE id = " + std::to_string(id) + extra;
  }
  Effect row_effect(const TableRef& t, int id, const std::string& kind) const {
    auto check = [&](const std::string& db) {
      if (kind == "inserted") {
        return "EXISTS(" + row_where(db, t.table, id) + ")";
      }
      if (kind == "changed") {
        return "EXISTS(" + row_where(db, t.table, id, " AND v <> 0") + ")";
      }
      if (kind == "replaced") {
        return "EXISTS(" + row_where(db, t.table, id, " AND v = 7") + ")";
      }
      return "NOT EXISTS(" + row_where(db, t.table, id) + ")";  // deleted
    };
    return {t.database, t.table, either(t.database, check)};
  }
  static std::string table_exists(const std::string& db, const std::string& table,
                                  const std::string& extra_table = "tables",
                                  const std::string& extra = {}) {
    return "EXISTS(SELECT 1 FROM information_schema." + extra_table +
           " WHERE table_schema = " + literal(db) + " AND table_name = " + literal(table) + extra +
           ")";
  }
  static std::string database_exists(const std::string& db) {
    return "EXISTS(SELECT 1 FROM information_schema.schemata WHERE schema_name = " + literal(db) +
           ")";
  }

  WorkloadStatement& add(const std::string& shape, const std::string& verb,
                         const std::string& rest) {
    WorkloadStatement s;
    s.marker = marker_;
    // Now and then the verb in lower case and a comment that names a table: text a
    // statement reader must see through.
    std::string word = verb;
    if (coin(15)) {
      std::transform(word.begin(), word.end(), word.begin(),
                     [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    }
    s.sql = word + " /* twl " + std::to_string(marker_) + " */ " +
            (coin(15) ? "/* not other.t2 */ " : "") + rest;
    s.default_db = default_db_;
    s.shape = shape;
    out_.script.push_back(s.sql + ";");
    out_.statements.push_back(std::move(s));
    ++marker_;
    return out_.statements.back();
  }

  void transaction(int count) {
    // A transaction that switches its default database midway.
    use(one_of(spec_.databases));
    out_.script.push_back("BEGIN;");
    const int switch_at = 1 + pick(std::max(1, count - 1));
    for (int i = 0; i < count; ++i) {
      if (i == switch_at) {
        use(one_of(spec_.databases));
      }
      statement(kTransactionShapes[pick(std::size(kTransactionShapes))]);
    }
    out_.script.push_back("COMMIT;");
  }

  // filter_workload.cpp: the DML shapes (and account / table DDL through the two
  // below), and the setup that creates the databases, tables and seed rows.
  void statement(const std::string& shape);
  void finish_setup();
  // filter_workload_ddl.cpp: CREATE USER / GRANT / REVOKE, and table DDL.
  void account(const std::string& shape, int n);
  void table_ddl(const std::string& shape, int n);

  const WorkloadSpec& spec_;
  std::mt19937_64 rng_;
  int total_weight_ = 0;
  int marker_ = 0;
  bool first_done_ = false;
  std::optional<std::string> default_db_;
  size_t next_fresh_ = 0;
  size_t forced_ = 0;
  std::map<TableRef, std::set<int>> seeds_;
  std::set<std::string> premade_;
  Workload out_;
};

}  // namespace twinlog::live::filter_generation
