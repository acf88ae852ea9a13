// What UPDATE and DELETE update, as a replica's tables_ok sees it: their table
// references (aliases, PARTITION, index hints, derived tables, joins), and for
// the multi-table forms the tables SET assigns to or the DELETE targets name.
// The members of the statement reader (statement_reader.h) for those two.
#include <array>
#include <cstddef>

#include "src/checks/statement_reader.h"

namespace twinlog::checks::statement_reading {

// The lexer (sql_lexer.h) is this file's vocabulary.
using namespace sql_lexing;  // NOLINT(google-build-using-namespace)

namespace {

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

}  // namespace

// UPDATE's and DELETE's table references: tables with [AS] alias, PARTITION
// (...), index hints, derived tables, joins with ON / USING, nested in
// parentheses. Stops at SET / WHERE / ORDER / LIMIT / RETURNING or the end.
bool Reader::references(std::array<Factor, kMaxFactors>& factors, std::size_t& count,
                        bool& joined) {
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
Reader::Join Reader::join_keyword() {
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

bool Reader::starts_join(const Token& after_left) {
  return after_left.word("JOIN") || after_left.word("OUTER");
}

// An ON condition: up to a join, a comma, the end of the references or the ')'
// closing a nested join. LEFT( / RIGHT( are functions there.
bool Reader::skip_condition() {
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
bool Reader::update() {
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
bool Reader::assigned_table(std::array<Factor, kMaxFactors>& factors, std::size_t count,
                            const Token& db, const Token& table) {
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

bool Reader::mark_updated(Factor* match, std::string_view none, std::string_view derived) {
  if (match == nullptr) return fail(none);
  if (match->derived) return fail(derived);
  match->updated = true;
  return true;
}

// An assigned value: up to a ',' or WHERE / ORDER / LIMIT / the end outside
// parentheses.
bool Reader::skip_value() {
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
bool Reader::remove() {
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
bool Reader::target(Name& n, bool& starred) {
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
bool Reader::delete_target(std::array<Factor, kMaxFactors>& factors, std::size_t count,
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

}  // namespace twinlog::checks::statement_reading
