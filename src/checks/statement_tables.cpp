// The statement analysis behind the filter check. A lexer that reads the text as
// the server's sql_lex.cc does (comments, executable comments, quotes) hands out
// string_views; a small recursive reader recognises only the statement shapes
// that decide which tables a replica's tables_ok sees, and says "cannot tell" for
// everything else. Facts from MariaDB's source are noted where they decide.
#include "src/checks/statement_tables.h"

#include <array>
#include <cstddef>
#include <initializer_list>
#include <optional>

#include "protocol/ascii_case.h"
#include "src/checks/sql_lexer.h"

namespace twinlog::checks {
namespace {

// The lexer (sql_lexer.h) is this file's vocabulary.
using namespace sql_lexing;  // NOLINT(google-build-using-namespace)

// Words that may follow a table name and are not its alias.
bool not_an_alias(const Token& t) {
  return any_word(t,
                  {"ON",        "USING",         "JOIN",  "INNER", "CROSS",     "LEFT",   "RIGHT",
                   "NATURAL",   "STRAIGHT_JOIN", "SET",   "WHERE", "USE",       "IGNORE", "FORCE",
                   "PARTITION", "ORDER",         "LIMIT", "FOR",   "RETURNING", "AS",     "WINDOW",
                   "GROUP",     "HAVING",        "UNION", "LOCK",  "FROM",      "OUTER"});
}

// Where the table references of UPDATE / DELETE end.
bool ends_references(const Token& t) {
  return t.kind == Tok::kEnd || t.is(';') ||
         any_word(t, {"SET", "WHERE", "ORDER", "LIMIT", "RETURNING"});
}

// A table (or derived table) in an UPDATE / DELETE's table references.
struct Factor {
  Token db, table, alias;  // absent: kind kEnd
  bool derived = false;
  bool updated = false;
};

// Table references beyond this many are "cannot tell" (no allocation per statement).
constexpr std::size_t kMaxFactors = 64;

struct Name {
  Token db, table;
};

// The table lists of UPDATE and DELETE, kept from one statement to the next:
// 64 factors are 7 KB, and constructing them for every statement was most of
// the analyzer's time on ordinary single-table statements. Every slot is
// assigned before it is read (references() and target() fill what they count).
struct Scratch {
  std::array<Factor, kMaxFactors> factors;
  std::array<Name, kMaxFactors> targets;
};
Scratch& scratch() {
  static thread_local Scratch s;
  return s;
}

class Reader {
 public:
  Reader(std::string_view text, uint32_t version, StatementTables& out)
      : lex_(text, version), out_(out) {}

  void run() {
    advance();
    if (!statement()) {
      out_.kind = StatementKind::kCannotTell;
      out_.updated.clear();
      out_.renamed_to = TableRef{};
      out_.database.clear();
    }
  }

 private:
  void advance() { cur_ = lex_.next(); }
  Token peek() const {
    Lexer copy = lex_;
    return copy.next();
  }
  bool accept(std::string_view keyword) {
    if (!cur_.word(keyword)) return false;
    advance();
    return true;
  }
  bool fail(std::string_view what) {
    out_.reason = "cannot tell: ";
    out_.reason += cur_.kind == Tok::kError ? cur_.text : what;
    out_.reason += " at byte ";
    out_.reason += std::to_string(cur_.offset);
    return false;
  }
  bool expect(std::string_view keyword) {
    if (accept(keyword)) return true;
    std::string what = "expected ";
    what += keyword;
    return fail(what);
  }
  bool at_end() const { return cur_.kind == Tok::kEnd || cur_.is(';'); }
  // A lexing error in the token that ends a reading still makes it unreadable.
  bool done(StatementKind kind) {
    if (!lexed_ok()) return false;
    out_.kind = kind;
    return true;
  }

  // An error token already met ends every reading with its own reason.
  bool lexed_ok() { return cur_.kind != Tok::kError || fail(""); }

  bool statement() {
    if (!lexed_ok()) return false;
    if (cur_.is('(')) return fail("a statement in parentheses");
    if (cur_.kind != Tok::kWord)
      return fail(cur_.kind == Tok::kEnd ? "empty statement" : "not a statement");
    const Token first = cur_;
    if (any_word(first, {"COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE", "XA"})) {
      return done(StatementKind::kTransactionControl);
    }
    if (first.word("BEGIN")) {
      advance();
      // BEGIN NOT ATOMIC opens a compound statement, not a transaction.
      if (cur_.word("NOT")) return fail("compound statement (BEGIN NOT ATOMIC)");
      return done(StatementKind::kTransactionControl);
    }
    if (first.word("START")) {
      advance();
      if (!cur_.word("TRANSACTION")) return fail("START other than START TRANSACTION");
      return done(StatementKind::kTransactionControl);
    }
    if (first.word("INSERT") || first.word("REPLACE")) return insert();
    if (first.word("UPDATE")) return update();
    if (first.word("DELETE")) return remove();
    if (first.word("LOAD")) return load();
    if (first.word("CREATE")) return create();
    if (first.word("ALTER")) return alter();
    if (first.word("DROP")) return drop();
    if (first.word("RENAME")) return rename();
    if (first.word("TRUNCATE")) {
      advance();
      accept("TABLE");
      return table_into_updated() && done(StatementKind::kTableDdl);
    }
    if (first.word("SET")) return set();
    if (first.word("GRANT") || first.word("REVOKE")) return grant();
    if (first.word("FLUSH")) return flush();
    if (any_word(first, {"ANALYZE", "OPTIMIZE", "REPAIR"})) return admin();
    if (any_word(first, {"INSTALL", "UNINSTALL"})) return done(StatementKind::kOther);
    if (first.word("WITH")) return fail("WITH (common table expression)");
    return fail("a statement twinlog does not read");
  }

  // db.t, `db` . `t`, t.
  bool name(Name& n) {
    if (!lexed_ok()) return false;
    if (!cur_.ident()) return fail("expected a table name");
    n.db = Token{};
    n.table = cur_;
    advance();
    if (cur_.is('.')) {
      advance();
      if (!cur_.ident()) return fail("expected a table name after the dot");
      n.db = n.table;
      n.table = cur_;
      advance();
    }
    return true;
  }

  void push(const Token& db, const Token& table) {
    TableRef& t = out_.updated.emplace_back();
    if (db.present()) assign_ident(t.database, db);
    assign_ident(t.table, table);
  }

  bool table_into_updated() {
    Name n;
    if (!name(n)) return false;
    push(n.db, n.table);
    return true;
  }

  bool table_list_into_updated() {
    do {
      if (!table_into_updated()) return false;
    } while (cur_.is(',') && (advance(), true));
    return true;
  }

  bool if_exists() {
    if (!accept("IF")) return true;
    if (!expect("EXISTS")) return false;
    out_.if_exists = true;
    return true;
  }

  bool if_not_exists() { return !accept("IF") || (expect("NOT") && expect("EXISTS")); }

  // Skips a balanced ( ... ) starting at the current '('.
  bool skip_group() {
    if (!cur_.is('(')) return fail("expected (");
    int depth = 0;
    do {
      if (cur_.is('(')) ++depth;
      if (cur_.is(')')) --depth;
      advance();
      if (!lexed_ok()) return false;
      if (cur_.kind == Tok::kEnd && depth > 0) return fail("unbalanced parenthesis");
    } while (depth > 0);
    return true;
  }

  // INSERT / REPLACE [LOW_PRIORITY | DELAYED | HIGH_PRIORITY] [IGNORE] [INTO] t:
  // sql_yacc.yy's insert_table adds t as updating; the tables of a SELECT part
  // are read only. The rest of the text does not change that, so reading stops.
  bool insert() {
    advance();
    while (any_word(cur_, {"LOW_PRIORITY", "DELAYED", "HIGH_PRIORITY", "IGNORE"})) advance();
    accept("INTO");
    return table_into_updated() && done(StatementKind::kTableChange);
  }

  // LOAD DATA | XML [LOW_PRIORITY | CONCURRENT] [LOCAL] INFILE '...' [REPLACE |
  // IGNORE] INTO TABLE t: t is added as updating.
  bool load() {
    advance();
    if (!accept("DATA") && !accept("XML")) return fail("expected DATA or XML");
    while (any_word(cur_, {"LOW_PRIORITY", "CONCURRENT", "LOCAL"})) advance();
    if (!expect("INFILE")) return false;
    if (cur_.kind != Tok::kString) return fail("expected the file name");
    advance();
    while (any_word(cur_, {"REPLACE", "IGNORE"})) advance();
    return expect("INTO") && expect("TABLE") && table_into_updated() &&
           done(StatementKind::kTableChange);
  }

  // UPDATE's and DELETE's table references: tables with [AS] alias, PARTITION
  // (...), index hints, derived tables, joins with ON / USING, nested in
  // parentheses. Stops at SET / WHERE / ORDER / LIMIT / RETURNING or the end.
  bool references(std::array<Factor, kMaxFactors>& factors, std::size_t& count, bool& joined) {
    count = 0;
    joined = false;
    int nest = 0;
    while (true) {
      // A table factor.
      while (cur_.is('(')) {
        const Token next = peek();
        if (any_word(next, {"SELECT", "WITH", "VALUES"})) break;
        ++nest;
        advance();
      }
      if (count == kMaxFactors) return fail("too many tables");
      Factor& f = factors[count++];
      f = Factor{};
      if (cur_.is('(')) {
        f.derived = true;
        if (!skip_group()) return false;
      } else {
        Name n;
        if (!name(n)) return false;
        f.db = n.db;
        f.table = n.table;
        if (accept("PARTITION") && !skip_group()) return false;
      }
      if (accept("AS")) {
        if (!cur_.ident()) return fail("expected an alias");
        f.alias = cur_;
        advance();
      } else if (cur_.kind == Tok::kQuoted || (cur_.kind == Tok::kWord && !not_an_alias(cur_))) {
        f.alias = cur_;
        advance();
      }
      while (any_word(cur_, {"USE", "IGNORE", "FORCE"})) {
        advance();
        if (!accept("INDEX") && !accept("KEY")) return fail("expected INDEX or KEY");
        if (accept("FOR")) {
          if (!accept("JOIN") && !((accept("ORDER") || accept("GROUP")) && accept("BY"))) {
            return fail("expected JOIN, ORDER BY or GROUP BY");
          }
        }
        if (!skip_group()) return false;
      }
      // What follows a factor.
      while (true) {
        if (!lexed_ok()) return false;
        if (cur_.is(')') && nest > 0) {
          --nest;
          advance();
          continue;
        }
        if (accept("ON")) {
          if (!skip_condition()) return false;
          continue;
        }
        if (accept("USING")) {
          if (!skip_group()) return false;
          continue;
        }
        break;
      }
      if (cur_.is(',')) {
        joined = true;
        advance();
        continue;
      }
      const Join join = join_keyword();
      if (join == Join::kFailed) return false;
      if (join == Join::kJoin) {
        joined = true;
        continue;
      }
      if (!lexed_ok()) return false;
      if (ends_references(cur_) && nest == 0) return true;
      return fail("unexpected text in the table references");
    }
  }

  // [INNER | CROSS] JOIN, STRAIGHT_JOIN, {LEFT | RIGHT} [OUTER] JOIN, NATURAL
  // [{LEFT | RIGHT} [OUTER]] JOIN: consumed when present. A join begun and not
  // finished (LEFT OUTER SET) is a failure, not "no join": the reading must stop.
  enum class Join : uint8_t { kNone, kJoin, kFailed };
  Join join_keyword() {
    auto join_or_fail = [this](bool ok) {
      return ok || fail("expected JOIN") ? Join::kJoin : Join::kFailed;
    };
    if (accept("JOIN") || accept("STRAIGHT_JOIN")) return Join::kJoin;
    if (cur_.word("INNER") || cur_.word("CROSS")) {
      advance();
      return join_or_fail(accept("JOIN") || accept("STRAIGHT_JOIN"));
    }
    if (cur_.word("NATURAL"))
      advance();
    else if (!((cur_.word("LEFT") || cur_.word("RIGHT")) && starts_join(peek())))
      return Join::kNone;
    if (cur_.word("LEFT") || cur_.word("RIGHT")) advance();
    accept("OUTER");
    return join_or_fail(accept("JOIN"));
  }

  static bool starts_join(const Token& after_left) {
    return after_left.word("JOIN") || after_left.word("OUTER");
  }

  // An ON condition: up to a join, a comma, the end of the references or the ')'
  // closing a nested join. LEFT( / RIGHT( are functions there.
  bool skip_condition() {
    int depth = 0;
    while (true) {
      if (!lexed_ok()) return false;
      if (cur_.kind == Tok::kEnd) return depth == 0 || fail("unbalanced parenthesis");
      if (cur_.is('(')) {
        ++depth;
      } else if (cur_.is(')')) {
        if (depth == 0) return true;
        --depth;
      } else if (depth == 0) {
        if (cur_.is(',') || ends_references(cur_) ||
            any_word(cur_, {"JOIN", "INNER", "CROSS", "STRAIGHT_JOIN", "NATURAL"})) {
          return true;
        }
        if ((cur_.word("LEFT") || cur_.word("RIGHT")) && starts_join(peek())) return true;
      }
      advance();
    }
  }

  // UPDATE [LOW_PRIORITY] [IGNORE] refs SET ...: one table is single-table UPDATE
  // (that table updates). Several: sql_update.cc's multi-update marks updating
  // only the tables whose columns are assigned in SET (tables_for_update, also
  // sent to the replica as the table map for update of the QUERY event).
  bool update() {
    advance();
    while (any_word(cur_, {"LOW_PRIORITY", "IGNORE"})) advance();
    std::array<Factor, kMaxFactors>& factors = scratch().factors;
    std::size_t count = 0;
    bool joined = false;
    if (!references(factors, count, joined)) return false;
    if (!cur_.word("SET")) return fail("expected SET");
    advance();
    if (count == 1 && !joined) {
      if (factors[0].derived) return fail("UPDATE of a derived table");
      push(factors[0].db, factors[0].table);
      return done(StatementKind::kTableChange);
    }
    while (true) {
      // [[db.]t.]column = expression
      std::array<Token, 3> parts;
      std::size_t n = 0;
      while (true) {
        if (!lexed_ok()) return false;
        if (!cur_.ident()) return fail("expected a column");
        if (n == parts.size()) return fail("too many dots in a column name");
        parts[n++] = cur_;
        advance();
        if (!cur_.is('.')) break;
        advance();
      }
      if (n == 1) {
        return fail(
            "a column without its table in a multi-table UPDATE (the server knows the columns)");
      }
      if (!assigned_table(factors, count, n == 3 ? parts[0] : Token{}, parts[n - 2])) return false;
      if (!cur_.is('=')) return fail("expected =");
      advance();
      if (!skip_value()) return false;
      if (!cur_.is(',')) break;
      advance();
    }
    for (std::size_t i = 0; i < count; ++i) {
      if (factors[i].updated) push(factors[i].db, factors[i].table);
    }
    return done(StatementKind::kTableChange);
  }

  // The factor a SET column's qualifier names (sql_base.cc find_field_in_table_ref:
  // the qualifier is the alias, or the table name of a table without one; db.t.col
  // also needs the table's database).
  bool assigned_table(std::array<Factor, kMaxFactors>& factors, std::size_t count, const Token& db,
                      const Token& table) {
    Factor* match = nullptr;
    for (std::size_t i = 0; i < count; ++i) {
      Factor& f = factors[i];
      const Token& known_as = f.alias.present() ? f.alias : f.table;
      if (!known_as.present() || !ident_equals(known_as, table, true)) continue;
      if (db.present()) {
        if (f.alias.present()) continue;
        if (!f.db.present()) return fail("db.table.column against a table of the default database");
        if (!ident_equals(f.db, db, false)) continue;
      }
      if (match != nullptr) return fail("a column qualifier that names two tables");
      match = &f;
    }
    return mark_updated(match, "a column qualifier that names no table of the statement",
                        "an assignment to a derived table");
  }

  bool mark_updated(Factor* match, std::string_view none, std::string_view derived) {
    if (match == nullptr) return fail(none);
    if (match->derived) return fail(derived);
    match->updated = true;
    return true;
  }

  // An assigned value: up to a ',' or WHERE / ORDER / LIMIT / the end outside
  // parentheses.
  bool skip_value() {
    int depth = 0;
    while (true) {
      if (!lexed_ok()) return false;
      if (cur_.kind == Tok::kEnd) return depth == 0 || fail("unbalanced parenthesis");
      if (cur_.is('('))
        ++depth;
      else if (cur_.is(')')) {
        if (depth == 0) return fail("unbalanced parenthesis");
        --depth;
      } else if (depth == 0 && (cur_.is(',') || ends_references(cur_))) {
        return true;
      }
      advance();
    }
  }

  // DELETE [LOW_PRIORITY] [QUICK] [IGNORE] FROM t ... (single table), or the two
  // multi-table forms `DELETE t1[.*], ... FROM refs` and `DELETE FROM t1[.*], ...
  // USING refs`. sql_yacc.yy puts the targets in the auxiliary table list and
  // multi_delete_set_locks_and_link_aux_tables marks updating the table of the
  // references each target matches (multi_delete_table_match), which is what
  // tables_ok then walks: the references' order, aliases resolved.
  bool remove() {
    advance();
    while (any_word(cur_, {"LOW_PRIORITY", "QUICK", "IGNORE"})) advance();
    std::array<Name, kMaxFactors>& targets = scratch().targets;
    std::size_t target_count = 0;
    bool starred = false;
    const bool from_first = accept("FROM");
    do {
      if (target_count == kMaxFactors) return fail("too many tables");
      if (!target(targets[target_count++], starred)) return false;
    } while (cur_.is(',') && (advance(), true));
    if (from_first && !cur_.word("USING")) {
      if (target_count != 1 || starred) return fail("expected USING");
      push(targets[0].db, targets[0].table);
      return done(StatementKind::kTableChange);
    }
    if (!accept(from_first ? "USING" : "FROM"))
      return fail(from_first ? "expected USING" : "expected FROM");
    std::array<Factor, kMaxFactors>& factors = scratch().factors;
    std::size_t count = 0;
    bool joined = false;
    if (!references(factors, count, joined)) return false;
    for (std::size_t t = 0; t < target_count; ++t) {
      if (!delete_target(factors, count, targets[t])) return false;
    }
    for (std::size_t i = 0; i < count; ++i) {
      if (factors[i].updated) push(factors[i].db, factors[i].table);
    }
    return done(StatementKind::kTableChange);
  }

  // A DELETE target: t, db.t, t.*, db.t.*.
  bool target(Name& n, bool& starred) {
    if (!lexed_ok()) return false;
    if (!cur_.ident()) return fail("expected a table name");
    n.db = Token{};
    n.table = cur_;
    advance();
    if (!cur_.is('.')) return true;
    advance();
    if (cur_.is('*')) {
      starred = true;
      advance();
      return true;
    }
    if (!cur_.ident()) return fail("expected a table name after the dot");
    n.db = n.table;
    n.table = cur_;
    advance();
    if (!cur_.is('.')) return true;
    advance();
    if (!cur_.is('*')) return fail("expected *");
    starred = true;
    advance();
    return true;
  }

  // sql_parse.cc multi_delete_table_match: a db-qualified target never matches an
  // aliased table; an aliased table is matched by its alias; otherwise table name
  // and database must agree (an unqualified name means the default database, which
  // this reader does not know: cannot tell when only one side is qualified).
  bool delete_target(std::array<Factor, kMaxFactors>& factors, std::size_t count,
                     const Name& target) {
    Factor* match = nullptr;
    for (std::size_t i = 0; i < count; ++i) {
      Factor& f = factors[i];
      bool same = false;
      if (f.alias.present()) {
        if (target.db.present()) continue;
        same = ident_equals(f.alias, target.table, true);
      } else {
        if (f.derived || !ident_equals(f.table, target.table, true)) continue;
        if (f.db.present() != target.db.present()) {
          return fail("a DELETE target and a table, one with its database and one without");
        }
        same = !f.db.present() || ident_equals(f.db, target.db, false);
      }
      if (!same) continue;
      if (match != nullptr) return fail("a DELETE target that names two tables");
      match = &f;
    }
    return mark_updated(match, "a DELETE target that names no table of the statement",
                        "a DELETE from a derived table");
  }

  // CREATE [OR REPLACE] [TEMPORARY] TABLE | SEQUENCE [IF NOT EXISTS] t ...: only t
  // is updating (LIKE u and the SELECT part's tables are read: sql_yacc.yy adds
  // them without TL_OPTION_UPDATING). CREATE DATABASE, CREATE INDEX, CREATE USER /
  // ROLE; views, triggers, routines and events are not read.
  bool create() {
    advance();
    if (accept("OR") && !expect("REPLACE")) return false;
    out_.temporary = accept("TEMPORARY");
    if (accept("TABLE") || accept("SEQUENCE")) {
      return if_not_exists() && table_into_updated() && done(StatementKind::kTableDdl);
    }
    if (out_.temporary) return fail("expected TABLE");
    if (accept("DATABASE") || accept("SCHEMA")) {
      if (!if_not_exists()) return false;
      if (!cur_.ident()) return fail("expected a database name");
      assign_ident(out_.database, cur_);
      return done(StatementKind::kCreateDatabase);
    }
    if (any_word(cur_, {"UNIQUE", "FULLTEXT", "SPATIAL", "INDEX"})) return create_index();
    if (any_word(cur_, {"USER", "ROLE"})) return account();
    return fail("a CREATE twinlog does not read (view, trigger, routine, event, ...)");
  }

  // CREATE [UNIQUE | FULLTEXT | SPATIAL] INDEX [IF NOT EXISTS] i [USING ...] ON t:
  // sql_lex.cc add_create_index_prepare adds t as updating.
  bool create_index() {
    if (!cur_.word("INDEX")) advance();
    if (!expect("INDEX") || !if_not_exists()) return false;
    if (!cur_.ident()) return fail("expected an index name");
    advance();
    while (!cur_.word("ON")) {
      if (!lexed_ok()) return false;
      if (at_end()) return fail("expected ON");
      advance();
    }
    advance();
    return table_into_updated() && done(StatementKind::kTableDdl);
  }

  // ALTER [ONLINE] [IGNORE] TABLE [IF EXISTS] t ...: t is updating. RENAME [TO |
  // AS | =] u keeps u out of the table list (lex->name). ALTER DATABASE [name].
  bool alter() {
    advance();
    if (accept("DATABASE") || accept("SCHEMA")) {
      const bool named =
          cur_.kind == Tok::kQuoted ||
          (cur_.kind == Tok::kWord &&
           !any_word(cur_, {"DEFAULT", "CHARACTER", "CHAR", "CHARSET", "COLLATE", "COMMENT"}));
      if (named) assign_ident(out_.database, cur_);
      return lexed_ok() && done(StatementKind::kAlterDatabase);
    }
    if (any_word(cur_, {"USER", "ROLE"})) return account();
    while (any_word(cur_, {"ONLINE", "IGNORE"})) advance();
    if (!expect("TABLE") || !if_exists() || !table_into_updated()) return false;
    out_.if_exists = false;
    int depth = 0;
    while (!at_end()) {
      if (!lexed_ok()) return false;
      if (cur_.is('(')) ++depth;
      if (cur_.is(')')) --depth;
      if (depth == 0 && cur_.word("EXCHANGE")) {
        return fail("ALTER TABLE ... EXCHANGE PARTITION (a second table)");
      }
      if (depth == 0 && cur_.word("RENAME")) {
        advance();
        if (any_word(cur_, {"COLUMN", "INDEX", "KEY"})) continue;
        if (!accept("TO") && !accept("AS") && cur_.is('=')) advance();
        Name n;
        if (!name(n)) return false;
        if (n.db.present()) assign_ident(out_.renamed_to.database, n.db);
        assign_ident(out_.renamed_to.table, n.table);
        continue;
      }
      advance();
    }
    return lexed_ok() && done(StatementKind::kTableDdl);
  }

  // DROP [TEMPORARY] TABLE | TABLES | SEQUENCE | VIEW [IF EXISTS] t1, t2: the
  // table list adds each as updating (sql_yacc.yy table_list / table_name).
  bool drop() {
    advance();
    out_.temporary = accept("TEMPORARY");
    if (accept("TABLE") || accept("TABLES") || accept("SEQUENCE") ||
        (!out_.temporary && accept("VIEW"))) {
      return if_exists() && table_list_into_updated() && done(StatementKind::kTableDdl);
    }
    if (out_.temporary) return fail("expected TABLE");
    if (accept("DATABASE") || accept("SCHEMA")) {
      if (!if_exists()) return false;
      if (!cur_.ident()) return fail("expected a database name");
      assign_ident(out_.database, cur_);
      return done(StatementKind::kDropDatabase);
    }
    if (accept("INDEX")) {
      if (!if_exists()) return false;
      out_.if_exists = false;
      if (!cur_.ident()) return fail("expected an index name");
      advance();
      return expect("ON") && table_into_updated() && done(StatementKind::kTableDdl);
    }
    if (any_word(cur_, {"USER", "ROLE"})) return account();
    // A routine or event name is no table (sql_yacc.yy sp_name adds none).
    if (any_word(cur_, {"PROCEDURE", "FUNCTION", "EVENT", "SERVER", "PACKAGE"})) {
      return done(StatementKind::kOther);
    }
    // DROP TRIGGER: the replica loads the trigger's table and filters on it.
    return fail("a DROP twinlog does not read (trigger, ...)");
  }

  // RENAME TABLE [IF EXISTS] a TO b, c TO d: every name is updating (sql_yacc.yy
  // table_to_table adds both sides with TL_OPTION_UPDATING).
  bool rename() {
    advance();
    if (any_word(cur_, {"USER"})) return account();
    if (!accept("TABLE") && !accept("TABLES")) return fail("expected TABLE");
    if (!if_exists()) return false;
    out_.if_exists = false;
    do {
      if (!table_into_updated() || !expect("TO") || !table_into_updated()) return false;
    } while (cur_.is(',') && (advance(), true));
    return done(StatementKind::kTableDdl);
  }

  // CREATE / ALTER / DROP / RENAME USER or ROLE, SET PASSWORD: no table of its
  // own; the grant tables come with `account`.
  bool account() {
    out_.account = true;
    return done(StatementKind::kOther);
  }

  // SET is never put to the table rules (the slave check skips SQLCOM_SET_OPTION).
  // SET STATEMENT ... FOR s is the statement s.
  bool set() {
    advance();
    if (cur_.word("PASSWORD")) return account();
    if (!cur_.word("STATEMENT")) return done(StatementKind::kOther);
    int depth = 0;
    while (!(depth == 0 && cur_.word("FOR"))) {
      if (!lexed_ok()) return false;
      if (at_end()) return fail("expected FOR");
      if (cur_.is('(')) ++depth;
      if (cur_.is(')')) --depth;
      advance();
    }
    advance();
    return statement();
  }

  // GRANT / REVOKE privileges ON [TABLE] db.t: the table is added as updating
  // (sql_grant.cc Grant_privilege::set_object_name); ON db.* / *.*, role grants
  // and PROXY name none. ON FUNCTION / PROCEDURE / PACKAGE: not read.
  bool grant() {
    out_.account = true;
    advance();
    if (cur_.word("PROXY")) return done(StatementKind::kOther);
    int depth = 0;
    while (!(depth == 0 && cur_.word("ON"))) {
      if (!lexed_ok()) return false;
      if (at_end() || (depth == 0 && any_word(cur_, {"TO", "FROM"}))) {
        return done(StatementKind::kOther);
      }
      if (cur_.is('(')) ++depth;
      if (cur_.is(')')) --depth;
      advance();
    }
    advance();
    if (any_word(cur_, {"FUNCTION", "PROCEDURE", "PACKAGE"})) {
      return fail("a routine privilege (GRANT / REVOKE ON a routine)");
    }
    accept("TABLE");
    if (cur_.is('*')) return done(StatementKind::kOther);
    if (!cur_.ident()) return fail("expected a table or database name");
    const Token first = cur_;
    advance();
    if (!cur_.is('.')) {
      push(Token{}, first);
      return done(StatementKind::kOther);
    }
    advance();
    if (cur_.is('*')) return done(StatementKind::kOther);
    if (!cur_.ident()) return fail("expected a table name");
    push(first, cur_);
    advance();
    return done(StatementKind::kOther);
  }

  // FLUSH ...: no table unless TABLE(S) is followed by a list, which this reader
  // leaves to "cannot tell".
  bool flush() {
    advance();
    while (!at_end()) {
      if (!lexed_ok()) return false;
      if (cur_.word("TABLE") || cur_.word("TABLES")) {
        advance();
        if (cur_.ident() && !any_word(cur_, {"WITH", "FOR"}))
          return fail("FLUSH TABLES with a table list");
        continue;
      }
      advance();
    }
    return lexed_ok() && done(StatementKind::kOther);
  }

  // ANALYZE / OPTIMIZE / REPAIR [NO_WRITE_TO_BINLOG | LOCAL] TABLE t1, t2: the
  // tables come through sql_yacc.yy table_name, as updating.
  bool admin() {
    advance();
    while (any_word(cur_, {"NO_WRITE_TO_BINLOG", "LOCAL"})) advance();
    if (!accept("TABLE") && !accept("TABLES")) return fail("expected TABLE");
    return table_list_into_updated() && done(StatementKind::kOther);
  }

  Lexer lex_;
  StatementTables& out_;
  Token cur_;
};

}  // namespace

const StatementTables& StatementAnalyzer::analyze(std::string_view statement) {
  result_.kind = StatementKind::kCannotTell;
  result_.updated.clear();
  result_.renamed_to.database.clear();
  result_.renamed_to.table.clear();
  result_.database.clear();
  result_.temporary = false;
  result_.if_exists = false;
  result_.account = false;
  result_.reason.clear();
  Reader(statement, version_, result_).run();
  return result_;
}

std::string_view statement_kind_name(StatementKind kind) {
  switch (kind) {
    case StatementKind::kTransactionControl:
      return "transaction control";
    case StatementKind::kTableChange:
      return "table change";
    case StatementKind::kTableDdl:
      return "table DDL";
    case StatementKind::kCreateDatabase:
      return "create database";
    case StatementKind::kAlterDatabase:
      return "alter database";
    case StatementKind::kDropDatabase:
      return "drop database";
    case StatementKind::kOther:
      return "other";
    case StatementKind::kCannotTell:
      return "cannot tell";
  }
  return "cannot tell";
}

}  // namespace twinlog::checks
