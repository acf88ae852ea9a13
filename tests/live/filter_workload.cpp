#include "tests/live/filter_workload.h"

#include <algorithm>
#include <cctype>
#include <functional>
#include <map>
#include <random>
#include <set>
#include <stdexcept>
#include <tuple>

namespace twinlog::live {
namespace {

std::string quote_name(const std::string& name) {
  return "`" + name + "`";
}
std::string literal(const std::string& text) {
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
    return "(" + check(database) + " OR " + check(to) + ")";
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

  void statement(const std::string& shape) {
    const int n = marker_;
    const std::string id = std::to_string(n);
    if (shape == "insert" || shape == "insert-unsafe") {
      const TableRef t = any_table();
      const bool unsafe = shape == "insert-unsafe";
      auto& s = add(shape, "INSERT",
                    "INTO " + name_of(t) + " (id, v, s) VALUES (" + id + ", 1, " +
                        (unsafe ? "UUID()" : kTrickyText) + ")");
      s.unsafe = unsafe;
      s.effects.push_back(row_effect(t, n, "inserted"));
    } else if (shape == "update" || shape == "update-unsafe") {
      const TableRef t = any_table();
      seed(t, n);
      const bool unsafe = shape == "update-unsafe";
      auto& s = add(shape, "UPDATE",
                    name_of(t) + " SET v = v + 1 WHERE id = " + id + (unsafe ? " LIMIT 1" : ""));
      s.unsafe = unsafe;
      s.effects.push_back(row_effect(t, n, "changed"));
    } else if (shape == "delete") {
      const TableRef t = any_table();
      seed(t, n);
      auto& s = add(shape, "DELETE", "FROM " + name_of(t) + " WHERE id = " + id);
      s.effects.push_back(row_effect(t, n, "deleted"));
    } else if (shape == "replace") {
      const TableRef t = any_table();
      seed(t, n);
      auto& s = add(shape, "REPLACE", "INTO " + name_of(t) + " (id, v) VALUES (" + id + ", 7)");
      s.effects.push_back(row_effect(t, n, "replaced"));
    } else if (shape == "multi-update" || shape == "multi-update-one") {
      const auto [a, b] = two_seeded(n);
      const bool both = shape == "multi-update";
      auto& s = add(shape, "UPDATE",
                    name_of(a) + " a JOIN " + name_of(b) + " b ON b.id = a.id SET a.v = a.v + 1" +
                        (both ? ", b.v = b.v + 1" : "") + " WHERE a.id = " + id);
      s.effects.push_back(row_effect(a, n, "changed"));
      if (both) {
        s.effects.push_back(row_effect(b, n, "changed"));
      }
    } else if (shape == "multi-delete" || shape == "multi-delete-one") {
      const auto [a, b] = two_seeded(n);
      const bool both = shape == "multi-delete";
      std::string rest;
      if (default_db_ && coin(60)) {
        rest = std::string(both ? "a, b" : "a") + " FROM " + name_of(a) + " a JOIN " + name_of(b) +
               " b ON b.id = a.id WHERE a.id = " + id;
      } else {
        // Without a default database the server cannot resolve aliases in the delete
        // list (error 1046): the tables are named in full.
        const std::string fa = quote_name(a.database) + "." + quote_name(a.table);
        const std::string fb = quote_name(b.database) + "." + quote_name(b.table);
        rest = (both ? fa + ", " + fb : fa) + " FROM " + fa + " JOIN " + fb + " ON " + fb +
               ".id = " + fa + ".id WHERE " + fa + ".id = " + id;
      }
      auto& s = add(shape, "DELETE", rest);
      s.effects.push_back(row_effect(a, n, "deleted"));
      if (both) {
        s.effects.push_back(row_effect(b, n, "deleted"));
      }
    } else if (shape == "update-subquery" || shape == "delete-subquery") {
      // The other table is only read, in a subquery.
      const auto [a, b] = two_seeded(n);
      const std::string read = "(SELECT " +
                               std::string(shape == "update-subquery" ? "v + 1" : "id") + " FROM " +
                               full_name(b) + " WHERE id = " + id + ")";
      if (shape == "update-subquery") {
        auto& s = add(shape, "UPDATE", name_of(a) + " SET v = " + read + " WHERE id = " + id);
        s.effects.push_back(row_effect(a, n, "changed"));
      } else {
        auto& s = add(shape, "DELETE", "FROM " + name_of(a) + " WHERE id IN " + read);
        s.effects.push_back(row_effect(a, n, "deleted"));
      }
    } else if (shape == "multi-update-comma") {
      // The older comma join, columns named by database.table.column.
      const auto [a, b] = two_seeded(n);
      const std::string fa = full_name(a), fb = full_name(b);
      auto& s = add(shape, "UPDATE",
                    fa + ", " + fb + " SET " + fa + ".v = " + fa + ".v + 1, " + fb + ".v = " + fb +
                        ".v + 1 WHERE " + fa + ".id = " + id + " AND " + fb + ".id = " + id);
      s.effects.push_back(row_effect(a, n, "changed"));
      s.effects.push_back(row_effect(b, n, "changed"));
    } else if (shape == "multi-delete-using") {
      const auto [a, b] = two_seeded(n);
      const std::string fa = full_name(a), fb = full_name(b);
      auto& s = add(shape, "DELETE",
                    "FROM " + fa + " USING " + fa + " JOIN " + fb + " ON " + fb + ".id = " + fa +
                        ".id WHERE " + fa + ".id = " + id);
      s.effects.push_back(row_effect(a, n, "deleted"));
    } else if (shape == "insert-on-duplicate") {
      const TableRef t = any_table();
      seed(t, n);
      auto& s = add(
          shape, "INSERT",
          "INTO " + name_of(t) + " (id, v) VALUES (" + id + ", 1) ON DUPLICATE KEY UPDATE v = 5");
      s.effects.push_back(row_effect(t, n, "changed"));
    } else if (shape == "replace-select") {
      // REPLACE ... SELECT is unsafe for STATEMENT (the order of the rows it reads).
      const TableRef target = any_table(), source = other_table(target);
      seed(source, n);
      auto& s = add(shape, "REPLACE",
                    "INTO " + name_of(target) + " (id, v) SELECT id, v + 1 FROM " +
                        name_of(source) + " WHERE id = " + id);
      s.unsafe = true;
      s.effects.push_back(row_effect(target, n, "inserted"));
    } else if (shape == "load-data" && !spec_.load_dir.empty()) {
      // The server logs LOAD DATA as a text of its own (Execute_load_query, with
      // the file it received and without comments): a dedicated table stands for it.
      // MariaDB holds it unsafe: MIXED logs its rows (seen on 10.11).
      const TableRef t{one_of(spec_.databases), "ld" + id};
      for (const auto& db : {t.database, mirror(t.database)}) {
        out_.setup.push_back("CREATE TABLE IF NOT EXISTS " + quote_name(db) + "." +
                             quote_name(t.table) + " (id INT PRIMARY KEY, v INT)");
      }
      const std::string path = spec_.load_dir + "/load-" + id + ".txt";
      out_.files.emplace_back(path, id + "\t1\n");
      auto& s =
          add(shape, "LOAD",
              "DATA LOCAL INFILE " + literal(path) + " INTO TABLE " + name_of(t) + " (id, v)");
      s.binlog_token = quote_name(t.table) + " FIELDS";
      s.unsafe = true;
      s.effects.push_back(row_effect(t, n, "inserted"));
    } else if (shape == "load-data") {
      statement("insert");
    } else if (shape == "insert-select") {
      const TableRef target = any_table(), source = other_table(target);
      seed(source, n);
      auto& s = add(shape, "INSERT",
                    "INTO " + name_of(target) + " (id, v) SELECT id, v + 1 FROM " +
                        name_of(source) + " WHERE id = " + id);
      s.effects.push_back(row_effect(target, n, "inserted"));
    } else if (shape == "create-database" || shape == "drop-database") {
      const bool create = shape == "create-database";
      std::string name;
      if (create && next_fresh_ < spec_.fresh_databases.size()) {
        name = spec_.fresh_databases[next_fresh_++];
      } else {
        name = std::string(coin(50) ? "db_" : "") + (create ? "d" : "e") + id;
      }
      if (!create) {
        out_.setup.push_back("CREATE DATABASE " + quote_name(name));
      }
      auto& s = add(shape, create ? "CREATE" : "DROP",
                    (coin(30) ? "SCHEMA " : "DATABASE ") + quote_name(name));
      s.always_statement = true;
      s.named_database = name;
      s.effects.push_back({name, "", (create ? "" : "NOT ") + database_exists(name)});
    } else if (shape == "alter-database") {
      const std::string name = std::string(coin(50) ? "db_" : "") + "a" + id;
      out_.setup.push_back("CREATE DATABASE " + quote_name(name) + " CHARACTER SET latin1");
      auto& s = add(shape, "ALTER", "DATABASE " + quote_name(name) + " CHARACTER SET utf8mb4");
      s.always_statement = true;
      s.named_database = name;
      s.effects.push_back({name, "",
                           "EXISTS(SELECT 1 FROM information_schema.schemata WHERE schema_name = " +
                               literal(name) + " AND default_character_set_name = 'utf8mb4')"});
    } else if (shape == "create-user" || shape == "grant" || shape == "revoke") {
      account(shape, n);
    } else {
      table_ddl(shape, n);
    }
  }

  void account(const std::string& shape, int n) {
    const std::string user = "twlu" + std::to_string(n);
    const std::string account = literal(user) + "@'localhost'";
    const std::string privilege_row =
        "EXISTS(SELECT 1 FROM mysql.db WHERE User = " + literal(user) + " AND Db = 'test')";
    if (shape == "create-user") {
      auto& s = add(shape, "CREATE", "USER " + account);
      s.always_statement = true;
      s.effects.push_back(
          {"mysql", "global_priv",
           "EXISTS(SELECT 1 FROM mysql.global_priv WHERE User = " + literal(user) + ")"});
      return;
    }
    out_.setup.push_back("CREATE USER " + account);
    if (shape == "revoke") {
      out_.setup.push_back("GRANT SELECT ON test.* TO " + account);
    }
    auto& s = shape == "grant" ? add(shape, "GRANT", "SELECT ON test.* TO " + account)
                               : add(shape, "REVOKE", "SELECT ON test.* FROM " + account);
    s.always_statement = true;
    s.effects.push_back({"mysql", "db", (shape == "grant" ? "" : "NOT ") + privilege_row});
  }

  void table_ddl(const std::string& shape, int n) {
    const std::string id = std::to_string(n);
    const std::string prefix = one_of(spec_.ddl_prefixes);
    const std::string db = one_of(spec_.databases);
    const std::string premade = prefix + "p" + id;
    auto named = [&](const std::string& table) { return name_of({db, table}); };
    auto exists = [&](const std::string& table) {
      return either(db, [&](const std::string& d) { return table_exists(d, table); });
    };
    WorkloadStatement* s = nullptr;
    std::string effect_table = premade;
    std::string check;
    if (shape == "create-table" || shape == "create-table-like") {
      effect_table = prefix + "c" + id;
      // CREATE TABLE ... LIKE updates only the new table, it reads the other.
      const std::string definition = shape == "create-table" ? " (id INT PRIMARY KEY, v INT)"
                                                             : " LIKE " + name_of(any_table());
      s = &add(shape, "CREATE", "TABLE " + named(effect_table) + definition);
      check = exists(effect_table);
    } else if (shape == "drop-tables") {
      // Two tables, in two databases: each name is filtered.
      const std::string db2 = one_of(spec_.databases);
      const std::string second = prefix + "q" + id;
      premade_table(db, premade);
      premade_table(db2, second);
      s = &add(shape, "DROP", "TABLE " + named(premade) + ", " + name_of({db2, second}));
      s->binlog_token = quote_name(second) + " /* generated by server */";
      check = either(db, [&](const std::string& d) { return "NOT " + table_exists(d, premade); });
      s->effects.push_back({db2, second, either(db2, [&](const std::string& d) {
                              return "NOT " + table_exists(d, second);
                            })});
    } else {
      premade_table(db, premade);
      if (shape == "drop-table") {
        s = &add(shape, "DROP", "TABLE " + named(premade));
        s->binlog_token = quote_name(premade) + " /* generated by server */";
        check = either(db, [&](const std::string& d) { return "NOT " + table_exists(d, premade); });
      } else if (shape == "alter-table") {
        s = &add(shape, "ALTER", "TABLE " + named(premade) + " ADD COLUMN added INT");
        check = either(db, [&](const std::string& d) {
          return table_exists(d, premade, "columns", " AND column_name = 'added'");
        });
      } else if (shape == "rename-table" || shape == "rename-cross") {
        // rename-cross moves the table into another database: both names are filtered.
        const std::string to_db = shape == "rename-cross" ? one_of(spec_.databases) : db;
        const std::string renamed = prefix + "r" + id;
        const std::string to_name =
            shape == "rename-cross" ? quote_name(to_db) + "." + renamed : named(renamed);
        s = &add(shape, "RENAME", "TABLE " + named(premade) + " TO " + to_name);
        check = either(to_db, [&](const std::string& d) { return table_exists(d, renamed); });
      } else if (shape == "alter-rename") {
        // ALTER TABLE ... RENAME TO moves the table, into another database maybe.
        const std::string to_db = one_of(spec_.databases);
        const std::string renamed = prefix + "r" + id;
        s = &add(shape, "ALTER",
                 "TABLE " + named(premade) + " RENAME TO " + quote_name(to_db) + "." + renamed);
        check = either(to_db, [&](const std::string& d) { return table_exists(d, renamed); });
      } else if (shape == "rename-two") {
        // Two renames in one statement, the second in another database maybe.
        const std::string db2 = one_of(spec_.databases);
        const std::string second = prefix + "q" + id, renamed = prefix + "r" + id,
                          renamed2 = prefix + "s" + id;
        premade_table(db2, second);
        s = &add(shape, "RENAME",
                 "TABLE " + named(premade) + " TO " + named(renamed) + ", " +
                     name_of({db2, second}) + " TO " + quote_name(db2) + "." + renamed2);
        check = either(db, [&](const std::string& d) { return table_exists(d, renamed); });
        s->effects.push_back({db2, second, either(db2, [&](const std::string& d) {
                                return table_exists(d, renamed2);
                              })});
      } else if (shape == "truncate-table") {
        s = &add(shape, "TRUNCATE", (coin(30) ? "" : "TABLE ") + named(premade));
        check = either(db, [&](const std::string& d) {
          return "NOT EXISTS(SELECT 1 FROM " + quote_name(d) + "." + quote_name(premade) + ")";
        });
      } else if (shape == "create-index") {
        s = &add(shape, "CREATE", "INDEX i" + id + " ON " + named(premade) + " (v, id)");
        check = either(db, [&](const std::string& d) {
          return table_exists(d, premade, "statistics", " AND index_name = 'i" + id + "'");
        });
      } else if (shape == "drop-index") {
        s = &add(shape, "DROP", "INDEX k ON " + named(premade));
        check = either(db, [&](const std::string& d) {
          return "NOT " + table_exists(d, premade, "statistics", " AND index_name = 'k'");
        });
      } else {
        throw std::logic_error("filter workload: unknown shape " + shape);
      }
    }
    s->always_statement = true;
    s->effects.push_back({db, effect_table, check});
  }

  void finish_setup() {
    std::set<std::string> databases(spec_.databases.begin(), spec_.databases.end());
    for (const auto& [from, to] : spec_.rewrites) {
      databases.insert(from);
      databases.insert(to);
    }
    std::vector<std::string> head;
    for (const auto& db : databases) {
      head.push_back("CREATE DATABASE IF NOT EXISTS " + quote_name(db));
      for (const auto& t : spec_.tables) {
        head.push_back("CREATE TABLE IF NOT EXISTS " + quote_name(db) + "." + quote_name(t) +
                       " (id INT PRIMARY KEY, v INT NOT NULL DEFAULT 0, s VARCHAR(64))");
      }
    }
    for (const auto& [t, ids] : seeds_) {
      std::string values;
      for (int id : ids) {
        values += (values.empty() ? "(" : ", (") + std::to_string(id) + ", 0)";
      }
      head.push_back("INSERT INTO " + quote_name(t.database) + "." + quote_name(t.table) +
                     " (id, v) VALUES " + values);
    }
    out_.setup.insert(out_.setup.begin(), head.begin(), head.end());
  }

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

}  // namespace

Workload make_filter_workload(const WorkloadSpec& spec) {
  return Generator(spec).run();
}

std::optional<int> marker_in(std::string_view text,
                             const std::vector<WorkloadStatement>& statements) {
  const std::string_view key = "/* twl ";
  const size_t at = text.find(key);
  if (at != std::string_view::npos) {
    int n = 0;
    size_t i = at + key.size();
    const size_t digits = i;
    for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i) {
      n = n * 10 + (text[i] - '0');
    }
    if (i > digits && text.substr(i, 3) == " */") {
      return n;
    }
  }
  for (const auto& s : statements) {
    if (!s.binlog_token.empty() && text.find(s.binlog_token) != std::string_view::npos) {
      return s.marker;
    }
  }
  return std::nullopt;
}

std::string effect_check_script(const Workload& workload) {
  std::string script;
  for (const auto& s : workload.statements) {
    for (const auto& e : s.effects) {
      script += "SELECT " + std::to_string(s.marker) + ", " + literal(e.database + "." + e.table) +
                ", IF(" + e.check + ", 1, 0);\n";
    }
  }
  return script;
}

}  // namespace twinlog::live
