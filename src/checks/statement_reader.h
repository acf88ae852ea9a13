// The reader behind StatementAnalyzer (statement_tables.h): a cursor over the
// lexer's tokens (sql_lexer.h), kept here with the reads every statement shape
// shares (a table name, a balanced group), and one member per statement shape.
// The shapes live in three files, by what they read:
//   - statement_tables.cpp: the statement's first word, transaction control,
//     INSERT / REPLACE / LOAD DATA, SET, accounts, GRANT / REVOKE, FLUSH,
//     ANALYZE / OPTIMIZE / REPAIR;
//   - statement_ddl.cpp: CREATE / ALTER / DROP / RENAME / TRUNCATE;
//   - statement_references.cpp: UPDATE and DELETE, whose table references
//     (joins, aliases, derived tables) decide which tables they update.
// Internal to those files: nothing else includes it.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "src/checks/sql_lexer.h"
#include "src/checks/statement_tables.h"

namespace twinlog::checks::statement_reading {

using sql_lexing::Lexer;
using sql_lexing::Tok;
using sql_lexing::Token;

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
  // ------------------------------------------------------------ the cursor
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

  // ------------------------------------------- reads every shape shares
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
    if (db.present()) sql_lexing::assign_ident(t.database, db);
    sql_lexing::assign_ident(t.table, table);
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

  // -------------------------------------------- statement_tables.cpp
  bool statement();
  bool insert();
  bool load();
  bool account();
  bool set();
  bool grant();
  bool flush();
  bool admin();

  // ----------------------------------------------- statement_ddl.cpp
  bool if_exists();
  bool if_not_exists();
  bool create();
  bool create_index();
  bool alter();
  bool drop();
  bool rename();

  // ---------------------------------------- statement_references.cpp
  bool references(std::array<Factor, kMaxFactors>& factors, std::size_t& count, bool& joined);
  enum class Join : uint8_t { kNone, kJoin, kFailed };
  Join join_keyword();
  static bool starts_join(const Token& after_left);
  bool skip_condition();
  bool update();
  bool assigned_table(std::array<Factor, kMaxFactors>& factors, std::size_t count, const Token& db,
                      const Token& table);
  bool mark_updated(Factor* match, std::string_view none, std::string_view derived);
  bool skip_value();
  bool remove();
  bool target(Name& n, bool& starred);
  bool delete_target(std::array<Factor, kMaxFactors>& factors, std::size_t count,
                     const Name& target);

  Lexer lex_;
  StatementTables& out_;
  Token cur_;
};

}  // namespace twinlog::checks::statement_reading
