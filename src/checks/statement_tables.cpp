// The statement analysis behind the filter check. A lexer that reads the text as
// the server's sql_lex.cc does (comments, executable comments, quotes) hands out
// string_views; a small recursive reader (statement_reader.h) recognises only the
// statement shapes that decide which tables a replica's tables_ok sees, and says
// "cannot tell" for everything else. Facts from MariaDB's source are noted where
// they decide. This file: the analyzer, the statement's first word and the shapes
// that name their tables plainly (INSERT, LOAD DATA, SET, GRANT, FLUSH, ...);
// statement_ddl.cpp reads CREATE / ALTER / DROP / RENAME, statement_references.cpp
// UPDATE and DELETE.
#include "src/checks/statement_tables.h"

#include "src/checks/statement_reader.h"

namespace twinlog::checks {
namespace statement_reading {

// The lexer (sql_lexer.h) is this file's vocabulary.
using namespace sql_lexing;  // NOLINT(google-build-using-namespace)

bool Reader::statement() {
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

// INSERT / REPLACE [LOW_PRIORITY | DELAYED | HIGH_PRIORITY] [IGNORE] [INTO] t:
// sql_yacc.yy's insert_table adds t as updating; the tables of a SELECT part
// are read only. The rest of the text does not change that, so reading stops.
bool Reader::insert() {
  advance();
  while (any_word(cur_, {"LOW_PRIORITY", "DELAYED", "HIGH_PRIORITY", "IGNORE"})) advance();
  accept("INTO");
  return table_into_updated() && done(StatementKind::kTableChange);
}

// LOAD DATA | XML [LOW_PRIORITY | CONCURRENT] [LOCAL] INFILE '...' [REPLACE |
// IGNORE] INTO TABLE t: t is added as updating.
bool Reader::load() {
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

// CREATE / ALTER / DROP / RENAME USER or ROLE, SET PASSWORD: no table of its
// own; the grant tables come with `account`.
bool Reader::account() {
  out_.account = true;
  return done(StatementKind::kOther);
}

// SET is never put to the table rules (the slave check skips SQLCOM_SET_OPTION).
// SET STATEMENT ... FOR s is the statement s.
bool Reader::set() {
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
bool Reader::grant() {
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
bool Reader::flush() {
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
bool Reader::admin() {
  advance();
  while (any_word(cur_, {"NO_WRITE_TO_BINLOG", "LOCAL"})) advance();
  if (!accept("TABLE") && !accept("TABLES")) return fail("expected TABLE");
  return table_list_into_updated() && done(StatementKind::kOther);
}

}  // namespace statement_reading

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
  statement_reading::Reader(statement, version_, result_).run();
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
