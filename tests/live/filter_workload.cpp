// make_filter_workload and what reads a workload back (filter_workload.h), and
// the generator's DML shapes and setup (filter_workload_generator.h).
#include "tests/live/filter_workload.h"

#include <set>
#include <string>
#include <vector>

#include "tests/live/filter_workload_generator.h"

namespace twinlog::live {

namespace filter_generation {

void Generator::statement(const std::string& shape) {
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
    const std::string read = "(SELECT " + std::string(shape == "update-subquery" ? "v + 1" : "id") +
                             " FROM " + full_name(b) + " WHERE id = " + id + ")";
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
    auto& s =
        add(shape, "INSERT",
            "INTO " + name_of(t) + " (id, v) VALUES (" + id + ", 1) ON DUPLICATE KEY UPDATE v = 5");
    s.effects.push_back(row_effect(t, n, "changed"));
  } else if (shape == "replace-select") {
    // REPLACE ... SELECT is unsafe for STATEMENT (the order of the rows it reads).
    const TableRef target = any_table(), source = other_table(target);
    seed(source, n);
    auto& s = add(shape, "REPLACE",
                  "INTO " + name_of(target) + " (id, v) SELECT id, v + 1 FROM " + name_of(source) +
                      " WHERE id = " + id);
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
    auto& s = add(shape, "LOAD",
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
                  "INTO " + name_of(target) + " (id, v) SELECT id, v + 1 FROM " + name_of(source) +
                      " WHERE id = " + id);
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

void Generator::finish_setup() {
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

}  // namespace filter_generation

using filter_generation::Generator;
using filter_generation::literal;

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
