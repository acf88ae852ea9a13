// What CREATE / ALTER / DROP / RENAME / TRUNCATE TABLE (and their DATABASE and
// INDEX forms) update, as a replica's tables_ok sees it: the members of the
// statement reader (statement_reader.h) for data definition.
#include "src/checks/statement_reader.h"

namespace twinlog::checks::statement_reading {

// The lexer (sql_lexer.h) is this file's vocabulary.
using namespace sql_lexing;  // NOLINT(google-build-using-namespace)

bool Reader::if_exists() {
  if (!accept("IF")) return true;
  if (!expect("EXISTS")) return false;
  out_.if_exists = true;
  return true;
}

bool Reader::if_not_exists() {
  return !accept("IF") || (expect("NOT") && expect("EXISTS"));
}

// CREATE [OR REPLACE] [TEMPORARY] TABLE | SEQUENCE [IF NOT EXISTS] t ...: only t
// is updating (LIKE u and the SELECT part's tables are read: sql_yacc.yy adds
// them without TL_OPTION_UPDATING). CREATE DATABASE, CREATE INDEX, CREATE USER /
// ROLE; views, triggers, routines and events are not read.
bool Reader::create() {
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
bool Reader::create_index() {
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
bool Reader::alter() {
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
bool Reader::drop() {
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
bool Reader::rename() {
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

}  // namespace twinlog::checks::statement_reading
