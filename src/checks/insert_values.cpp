#include "src/checks/insert_values.h"

#include <charconv>

#include "src/checks/sql_lexer.h"

namespace twinlog::checks {
namespace {

using namespace sql_lexing;  // NOLINT(google-build-using-namespace): the lexer's vocabulary

class Reader {
 public:
  Reader(std::string_view text, const TableColumns& table, uint32_t auto_increment,
         bool zero_generates, uint32_t version, InsertValues& out)
      : lex_(text, version),
        table_(table),
        column_(auto_increment),
        zero_generates_(zero_generates),
        out_(out) {
    advance();
  }

  void read() {
    if (!prefix()) return;
    if (cur_.word("SET")) {
      set_list();
      return;
    }
    if (!columns()) return;
    if (cur_.word("VALUES") || cur_.word("VALUE")) {
      values();
      return;
    }
    stop(cur_.ident()
             ? std::string("INSERT ... ").append(cur_.text) + ": the rows are not in the statement"
             : "expected VALUES, SET or SELECT");
  }

 private:
  void advance() { cur_ = lex_.next(); }
  bool stop(std::string why) {
    if (out_.stopped.empty()) out_.stopped = std::move(why);
    return false;
  }
  bool accept(std::string_view keyword) {
    if (!cur_.word(keyword)) return false;
    advance();
    return true;
  }

  // INSERT | REPLACE [LOW_PRIORITY | DELAYED | HIGH_PRIORITY] [IGNORE] [INTO]
  // [db.]t [PARTITION (p, ...)].
  bool prefix() {
    if (!cur_.word("INSERT") && !cur_.word("REPLACE")) return stop("not an INSERT or REPLACE");
    advance();
    while (any_word(cur_, {"LOW_PRIORITY", "DELAYED", "HIGH_PRIORITY", "IGNORE"})) {
      if (cur_.word("IGNORE")) ignore_ = true;
      advance();
    }
    accept("INTO");
    if (!cur_.ident()) return stop("expected the table name");
    advance();
    if (cur_.is('.')) {
      advance();
      if (!cur_.ident()) return stop("expected the table name after the database");
      advance();
    }
    if (cur_.word("PARTITION")) {
      advance();
      if (!skip_group()) return false;
    }
    return true;
  }

  // The optional column list: where the auto-increment column sits in each row.
  bool columns() {
    position_ = column_;
    if (!cur_.is('(')) return true;
    const Token next = lex_peek();
    if (any_word(next, {"SELECT", "WITH", "VALUES", "TABLE"})) {
      return stop("INSERT ... (SELECT ...): the rows are not in the statement");
    }
    advance();
    position_ = kNotNamed;
    if (cur_.is(')')) {  // INSERT INTO t () VALUES (): every column its default
      advance();
      return true;
    }
    for (uint32_t i = 0;; ++i) {
      bool ours = false;
      if (!column_name(ours)) return false;
      if (ours) position_ = i;
      if (cur_.is(')')) break;
      if (!cur_.is(',')) return stop("expected , or ) in the column list");
      advance();
    }
    advance();
    return true;
  }

  // A column name, qualified or not (A.B.c, t.c: the last name is the column's),
  // and whether it names the auto-increment column: names compare without regard
  // to case (the server's my_strcasecmp on system_charset_info). False, with the
  // reading stopped, when no name is there.
  bool column_name(bool& ours) {
    if (!cur_.ident()) return stop("expected a column name");
    Token name = cur_;
    advance();
    while (cur_.is('.')) {
      advance();
      if (!cur_.ident()) return stop("expected a column name");
      name = cur_;
      advance();
    }
    assign_ident(name_, name);
    const std::string& wanted = table_.columns[column_].name;
    ours = name_.size() == wanted.size() && ascii_iequals(name_, wanted);
    return true;
  }

  // VALUES (...), (...) [AS alias] [ON DUPLICATE KEY UPDATE ...] [RETURNING ...]
  void values() {
    advance();
    while (true) {
      if (!cur_.is('(')) {
        stop("expected ( to open a row");
        return;
      }
      advance();
      InsertRow row{true, 0};  // the column not named: it gets no value
      bool known = position_ == kNotNamed;
      for (uint32_t i = 0; !cur_.is(')'); ++i) {
        if (i == position_) {
          if (!value(row)) return;
          known = true;
        } else if (!skip_expression()) {
          return;
        }
        if (cur_.is(')')) break;
        if (!cur_.is(',')) {
          stop("expected , or ) in a row");
          return;
        }
        advance();
      }
      advance();
      // VALUES () and rows shorter than the column list are the server's error:
      // no row was inserted, so none is counted.
      if (!known) {
        stop("a row without the auto-increment column's value");
        return;
      }
      out_.rows.push_back(row);
      if (!cur_.is(',')) break;
      advance();
    }
    tail();
  }

  // INSERT ... SET a = 1, b = 2
  void set_list() {
    advance();
    InsertRow found{true, 0};  // the column not named: it gets no value
    while (true) {
      bool ours = false;
      if (!column_name(ours)) return;
      if (!cur_.is('=')) {
        stop("expected = after a column name");
        return;
      }
      advance();
      if (ours) {
        if (!value(found)) return;
      } else if (!skip_expression(/*set_list=*/true)) {
        return;
      }
      if (!cur_.is(',')) break;
      advance();
    }
    out_.rows.push_back(found);
    tail();
  }

  // What follows the rows. IGNORE and ON DUPLICATE KEY UPDATE make the ids of the
  // rows after the first uncertain (see the header): they are dropped.
  void tail() {
    if (ignore_ || cur_.word("ON")) {
      if (out_.rows.size() > 1) out_.rows.resize(1);
      stop(ignore_ ? "INSERT IGNORE: a row it does not insert still consumes its id"
                   : "ON DUPLICATE KEY UPDATE: a row it updates still consumes its id");
    }
  }

  // The auto-increment column's value in one row: NULL, DEFAULT, 0 (unless
  // NO_AUTO_VALUE_ON_ZERO) or an unsigned integer literal. Anything else stops the
  // reading: the server evaluates it.
  bool value(InsertRow& row) {
    const uint32_t at = cur_.offset;
    if (cur_.word("NULL") || cur_.word("DEFAULT")) {
      row = InsertRow{true, 0};
    } else if (cur_.kind == Tok::kNumber && cur_.text.find('.') == std::string_view::npos) {
      uint64_t v = 0;
      const auto [end, ec] =
          std::from_chars(cur_.text.data(), cur_.text.data() + cur_.text.size(), v);
      if (ec != std::errc() || end != cur_.text.data() + cur_.text.size()) {
        return stop(std::string("an id out of range: ").append(cur_.text));
      }
      row = (v == 0 && zero_generates_) ? InsertRow{true, 0} : InsertRow{false, v};
    } else {
      return stop("an auto-increment value the server computes at byte " + std::to_string(at));
    }
    advance();
    const bool ends = cur_.is(',') || cur_.is(')') || cur_.kind == Tok::kEnd || cur_.is(';') ||
                      cur_.word("ON") || cur_.word("RETURNING");
    if (!ends) {
      return stop("an auto-increment value the server computes at byte " + std::to_string(at));
    }
    return true;
  }

  // One expression of a row: up to the , or ) that ends it at depth 0. In a SET
  // list the statement's end, ON DUPLICATE KEY UPDATE or RETURNING end it too.
  bool skip_expression(bool set_list = false) {
    int depth = 0;
    while (true) {
      if (cur_.kind == Tok::kError) return stop(std::string(cur_.text));
      if (set_list && depth == 0 &&
          (cur_.kind == Tok::kEnd || cur_.is(';') || cur_.word("ON") || cur_.word("RETURNING"))) {
        return true;
      }
      if (cur_.kind == Tok::kEnd) return stop("the statement ends inside a row");
      if (depth == 0 && (cur_.is(',') || cur_.is(')'))) return true;
      if (cur_.word("SELECT")) return stop("a subquery in a row");
      if (cur_.is('(')) ++depth;
      if (cur_.is(')')) --depth;
      advance();
    }
  }

  bool skip_group() {
    if (!cur_.is('(')) return stop("expected (");
    int depth = 0;
    do {
      if (cur_.kind == Tok::kError) return stop(std::string(cur_.text));
      if (cur_.kind == Tok::kEnd) return stop("unbalanced parenthesis");
      if (cur_.is('(')) ++depth;
      if (cur_.is(')')) --depth;
      advance();
    } while (depth > 0);
    return true;
  }

  // The token after the current one, without consuming it.
  Token lex_peek() {
    Lexer copy = lex_;
    return copy.next();
  }

  static constexpr uint32_t kNotNamed = UINT32_MAX;
  Lexer lex_;
  Token cur_;
  const TableColumns& table_;
  uint32_t column_;
  uint32_t position_ = 0;
  bool zero_generates_;
  bool ignore_ = false;
  std::string name_;
  InsertValues& out_;
};

}  // namespace

void read_insert_values(std::string_view statement, const TableColumns& table,
                        uint32_t auto_increment, bool zero_generates, uint32_t version,
                        InsertValues& out) {
  out.rows.clear();
  out.stopped.clear();
  if (auto_increment >= table.columns.size()) {
    out.stopped = "the table's auto-increment column is not known";
    return;
  }
  Reader(statement, table, auto_increment, zero_generates, version, out).read();
}

}  // namespace twinlog::checks
