#include "src/checks/create_table_columns.h"

#include <algorithm>

#include "src/checks/sql_lexer.h"

namespace twinlog::checks {
namespace {

// The lexer (sql_lexer.h) is this file's vocabulary.
using namespace sql_lexing;  // NOLINT(google-build-using-namespace)

// The first words of a CREATE TABLE element, or of an ALTER TABLE ADD / DROP,
// that make it an index, a key or a constraint rather than a column.
bool not_a_column(const Token& t) {
  return any_word(t, {"PRIMARY", "KEY", "INDEX", "UNIQUE", "CONSTRAINT", "FOREIGN", "FULLTEXT",
                      "SPATIAL", "CHECK", "PARTITION", "VECTOR"});
}

struct Name {
  std::string database, table;
};

// What a column definition says that matters here, and where ALTER puts it.
struct Definition {
  bool auto_increment = false, is_unsigned = false;
  enum class Place : uint8_t { kKeep, kFirst, kAfter } place = Place::kKeep;
  std::string after;
};

class Reader {
 public:
  explicit Reader(std::string_view statement) : lexer_(statement, 0) { advance(); }

  const Token& token() const { return token_; }
  void advance() { token_ = lexer_.next(); }
  bool accept(std::string_view word) {
    if (!token_.word(word)) return false;
    advance();
    return true;
  }
  bool accept(std::initializer_list<std::string_view> words) {
    for (std::string_view w : words) {
      if (!token_.word(w)) return false;
      advance();
    }
    return true;
  }
  // The word after the current token, without moving.
  bool next_is(std::string_view word) const {
    Lexer copy = lexer_;
    return copy.next().word(word);
  }
  // An element (of CREATE TABLE, or after ALTER TABLE ... ADD / DROP) that is an
  // index, a key, a constraint, a period or system versioning, not a column.
  bool at_non_column() const {
    return not_a_column(token_) || (token_.word("PERIOD") && next_is("FOR")) ||
           (token_.word("SYSTEM") && next_is("VERSIONING"));
  }

  bool ident(std::string& out) {
    if (!token_.ident()) return false;
    assign_ident(out, token_);
    advance();
    return true;
  }
  // db.table, or table in `default_database`.
  bool name(std::string_view default_database, Name& out) {
    if (!ident(out.table)) return false;
    if (token_.is('.')) {
      advance();
      out.database = std::move(out.table);
      return ident(out.table);
    }
    out.database.assign(default_database);
    return true;
  }

  // The rest of a column definition, to the ',' or ')' that ends it (not taken).
  // False when the text breaks off or does not lex.
  bool definition(Definition& d, bool ends_statement_ok) {
    int depth = 0;
    for (bool first = true;; first = false) {
      if (token_.kind == Tok::kError) return false;
      if (!token_.present()) return ends_statement_ok && depth == 0;
      if (depth == 0 && (token_.is(',') || token_.is(')'))) return true;
      if (token_.is('(')) ++depth;
      if (token_.is(')')) --depth;
      if (depth == 0 && token_.word("AFTER")) {
        advance();
        if (!ident(d.after)) return false;
        d.place = Definition::Place::kAfter;
        continue;
      }
      if (depth == 0 && token_.word("AUTO_INCREMENT")) {
        d.auto_increment = true;
      } else if (depth == 0 && token_.word("UNSIGNED")) {
        d.is_unsigned = true;
      } else if (depth == 0 && token_.word("SERIAL")) {
        // SERIAL is BIGINT UNSIGNED NOT NULL AUTO_INCREMENT UNIQUE; SERIAL DEFAULT
        // VALUE is NOT NULL AUTO_INCREMENT UNIQUE on the column's own type.
        d.auto_increment = true;
        d.is_unsigned |= first;
      } else if (depth == 0 && token_.word("FIRST")) {
        d.place = Definition::Place::kFirst;
      }
      advance();
    }
  }

  // Skips to the ',' that ends an element at this depth, or the end.
  void skip_element() {
    int depth = 0;
    for (; token_.present() && token_.kind != Tok::kError; advance()) {
      if (depth == 0 && (token_.is(',') || token_.is(')'))) return;
      if (token_.is('(')) ++depth;
      if (token_.is(')')) --depth;
    }
  }

 private:
  Lexer lexer_;
  Token token_;
};

std::vector<ColumnDefinition>::iterator find_column(std::vector<ColumnDefinition>& columns,
                                                    std::string_view name) {
  // Column names compare without letter case on every platform.
  return std::find_if(columns.begin(), columns.end(), [&](const ColumnDefinition& c) {
    return protocol::ascii_iequals(c.name, name);
  });
}

constexpr std::size_t kNew = static_cast<std::size_t>(-1);

// Puts `column` where the definition says: in place of the column at `at`, or
// (kNew) a new column, last unless FIRST / AFTER says otherwise.
bool place(std::vector<ColumnDefinition>& columns, ColumnDefinition column, const Definition& d,
           std::size_t at) {
  if (at != kNew && d.place != Definition::Place::kKeep) {
    columns.erase(columns.begin() + static_cast<std::ptrdiff_t>(at));
    at = kNew;
  }
  if (column.auto_increment) {
    for (auto& c : columns) c.auto_increment = false;
  }
  switch (d.place) {
    case Definition::Place::kKeep:
      if (at != kNew) {
        columns[at] = std::move(column);
      } else {
        columns.push_back(std::move(column));
      }
      return true;
    case Definition::Place::kFirst:
      columns.insert(columns.begin(), std::move(column));
      return true;
    case Definition::Place::kAfter: {
      auto it = find_column(columns, d.after);
      if (it == columns.end()) return false;
      columns.insert(it + 1, std::move(column));
      return true;
    }
  }
  return false;
}

// ALTER TABLE's clauses on `columns`; false when one cannot be followed.
bool alter_columns(Reader& r, std::vector<ColumnDefinition>& columns, std::string_view database,
                   std::optional<Name>& renamed) {
  while (r.token().present()) {
    if (r.token().kind == Tok::kError) return false;
    ColumnDefinition column;
    Definition d;
    std::string old_name;
    if (r.accept("ADD")) {
      r.accept("COLUMN");
      r.accept({"IF", "NOT", "EXISTS"});
      if (r.token().is('(')) return false;  // ADD (a INT, b INT): not followed
      if (r.at_non_column()) {
        r.skip_element();
      } else {
        if (!r.ident(column.name) || !r.definition(d, true)) return false;
        if (find_column(columns, column.name) == columns.end()) {
          column.auto_increment = d.auto_increment;
          column.is_unsigned = d.is_unsigned;
          if (!place(columns, std::move(column), d, kNew)) return false;
        }
      }
    } else if (r.accept("DROP")) {
      r.accept("COLUMN");
      const bool if_exists = r.accept({"IF", "EXISTS"});
      if (r.at_non_column()) {
        r.skip_element();
      } else {
        if (!r.ident(column.name)) return false;
        auto it = find_column(columns, column.name);
        if (it == columns.end() && !if_exists) return false;
        if (it != columns.end()) columns.erase(it);
        r.skip_element();
      }
    } else if (r.token().word("MODIFY") || r.token().word("CHANGE")) {
      const bool change = r.token().word("CHANGE");
      r.advance();
      r.accept("COLUMN");
      const bool if_exists = r.accept({"IF", "EXISTS"});
      if (!r.ident(old_name)) return false;
      if (change && !r.ident(column.name)) return false;
      if (!change) column.name = old_name;
      if (!r.definition(d, true)) return false;
      auto it = find_column(columns, old_name);
      if (it == columns.end()) {
        if (!if_exists) return false;
      } else {
        column.auto_increment = d.auto_increment;
        column.is_unsigned = d.is_unsigned;
        if (!place(columns, std::move(column), d, static_cast<std::size_t>(it - columns.begin()))) {
          return false;
        }
      }
    } else if (r.accept("RENAME")) {
      if (r.accept("COLUMN")) {
        if (!r.ident(old_name) || !r.accept("TO") || !r.ident(column.name)) return false;
        auto it = find_column(columns, old_name);
        if (it == columns.end()) return false;
        it->name = std::move(column.name);
      } else if (r.token().word("INDEX") || r.token().word("KEY")) {
        r.skip_element();
      } else {
        if (!r.accept("TO")) r.accept("AS");
        Name to;
        if (!r.name(database, to)) return false;
        renamed = std::move(to);
      }
    } else {
      r.skip_element();  // ENGINE=, AUTO_INCREMENT=, ALGORITHM=, ADD INDEX, ...
    }
    if (r.token().is(',')) {
      r.advance();
    } else if (r.token().present()) {
      return false;
    }
  }
  return true;
}

}  // namespace

std::optional<uint32_t> TableColumns::auto_increment() const {
  for (std::size_t i = 0; i < columns.size(); ++i) {
    if (columns[i].auto_increment) return static_cast<uint32_t>(i);
  }
  return std::nullopt;
}

std::string& TableSchemas::key(std::string_view database, std::string_view table) const {
  // A NUL between the names: either may hold a '.' when quoted.
  key_.assign(database).push_back('\0');
  key_.append(table);
  return key_;
}

const TableColumns* TableSchemas::find(std::string_view database, std::string_view table) const {
  auto it = tables_.find(key(database, table));
  if (it == tables_.end()) it = tables_.find(key({}, table));
  return it == tables_.end() ? nullptr : &it->second;
}

void TableSchemas::create(std::string_view default_database, std::string_view statement) {
  Reader r(statement);
  r.advance();  // CREATE
  r.accept({"OR", "REPLACE"});
  if (r.accept("TEMPORARY")) return;
  if (!r.accept("TABLE")) return;
  const bool if_not_exists = r.accept({"IF", "NOT", "EXISTS"});
  Name name;
  if (!r.name(default_database, name)) return;
  const std::string table_key = key(name.database, name.table);
  if (if_not_exists && tables_.count(table_key)) return;  // the server leaves it as it is
  tables_.erase(table_key);
  const bool parenthesised = r.token().is('(');
  if (parenthesised) r.advance();
  if (r.accept("LIKE")) {
    Name from;
    if (!r.name(default_database, from)) return;
    if (const TableColumns* known = find(from.database, from.table)) {
      TableColumns copy = *known;
      tables_[table_key] = std::move(copy);
    }
    return;
  }
  if (!parenthesised) return;  // CREATE TABLE ... SELECT: the columns come from the query
  TableColumns columns;
  while (!r.token().is(')')) {
    const Token& t = r.token();
    if (t.kind == Tok::kError || !t.present()) return;
    if (r.at_non_column()) {
      r.skip_element();
    } else {
      ColumnDefinition column;
      Definition d;
      if (!r.ident(column.name) || !r.definition(d, false)) return;
      column.auto_increment = d.auto_increment;
      column.is_unsigned = d.is_unsigned;
      columns.columns.push_back(std::move(column));
    }
    if (r.token().is(',')) r.advance();
  }
  // Explicit columns come first even under CREATE TABLE (...) SELECT, which adds
  // the query's other columns after them.
  tables_[table_key] = std::move(columns);
}

void TableSchemas::apply(std::string_view default_database, std::string_view statement) {
  Reader r(statement);
  const Token& first = r.token();
  if (first.word("CREATE")) {
    create(default_database, statement);
    return;
  }
  if (first.word("DROP")) {
    r.advance();
    if (r.accept("TEMPORARY") || !r.accept("TABLE")) return;
    r.accept({"IF", "EXISTS"});
    Name name;
    while (r.name(default_database, name)) {
      tables_.erase(key(name.database, name.table));
      if (!r.token().is(',')) break;
      r.advance();
    }
    return;
  }
  if (first.word("RENAME")) {
    r.advance();
    if (!r.accept("TABLE")) return;
    Name from, to;
    while (r.name(default_database, from) && r.accept("TO") && r.name(default_database, to)) {
      auto node = tables_.extract(key(from.database, from.table));
      tables_.erase(key(to.database, to.table));
      if (node) {
        node.key() = key(to.database, to.table);
        tables_.insert(std::move(node));
      }
      if (!r.token().is(',')) break;
      r.advance();
    }
    return;
  }
  if (!first.word("ALTER")) return;
  r.advance();
  r.accept("ONLINE");
  r.accept("IGNORE");
  if (!r.accept("TABLE")) return;
  r.accept({"IF", "EXISTS"});
  Name name;
  if (!r.name(default_database, name)) return;
  auto it = tables_.find(key(name.database, name.table));
  if (it == tables_.end()) return;
  std::optional<Name> renamed;
  if (!alter_columns(r, it->second.columns, name.database, renamed)) {
    tables_.erase(it);
    return;
  }
  if (renamed) {
    auto node = tables_.extract(it);
    node.key() = key(renamed->database, renamed->table);
    tables_.erase(node.key());
    tables_.insert(std::move(node));
  }
}

void TableSchemas::apply_dump(std::string_view dump) {
  Lexer lexer(dump, 0);
  std::string database;
  std::size_t start = 0;
  for (Token t = lexer.next(); t.kind != Tok::kError; t = lexer.next()) {
    if (t.present() && !t.is(';')) continue;
    const std::string_view statement = dump.substr(start, t.offset - start);
    start = t.offset + 1;
    Reader r(statement);
    if (r.accept("USE")) {
      r.ident(database);
    } else {
      apply(database, statement);
    }
    if (!t.present()) break;
  }
}

}  // namespace twinlog::checks
