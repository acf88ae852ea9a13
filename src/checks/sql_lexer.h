// The SQL lexer the statement readers of src/checks share: it reads the text as
// the server's sql_lex.cc does (comments, executable comments, quotes) and hands
// out string_views, with no allocation per token. statement_tables.cpp (which
// tables a statement updates) and create_table_columns.cpp (a table's columns and
// its AUTO_INCREMENT one) read statements through it.
#pragma once

#include <array>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include "protocol/ascii_case.h"

namespace twinlog::checks::sql_lexing {

using protocol::ascii_iequals;
using protocol::ascii_lower;

enum class Tok : uint8_t { kWord, kQuoted, kString, kNumber, kPunct, kEnd, kError };

struct Token {
  Tok kind = Tok::kEnd;
  // kQuoted: between the backquotes, `` not yet undone; kString: with its quotes;
  // kError: what is wrong.
  std::string_view text;
  uint32_t offset = 0;

  bool is(char c) const { return kind == Tok::kPunct && text[0] == c; }
  bool word(std::string_view keyword) const {
    return kind == Tok::kWord && ascii_iequals(text, keyword);
  }
  bool ident() const { return kind == Tok::kWord || kind == Tok::kQuoted; }
  bool present() const { return kind != Tok::kEnd; }
};

// A character of a bare name: a letter, digit, _, $ or any byte of a multi-byte
// character. A table, so that the lexer's loops stay a load per byte.
inline constexpr std::array<bool, 256> kIdentChar = [] {
  std::array<bool, 256> t{};
  for (int u = 0; u < 256; ++u) {
    t[u] = (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9') || u == '_' ||
           u == '$' || u >= 0x80;
  }
  return t;
}();
inline bool ident_char(char c) {
  return kIdentChar[static_cast<unsigned char>(c)];
}

inline bool digit(char c) {
  return c >= '0' && c <= '9';
}

inline bool space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

// sql_lex.cc: `--` starts a comment only when a space or a control character (or
// the end of the text) follows.
inline bool comment_dash_follower(char c) {
  const auto u = static_cast<unsigned char>(c);
  return u <= ' ' || u == 0x7f;
}

class Lexer {
 public:
  Lexer(std::string_view text, uint32_t version) : s_(text), version_(version) {}

  Token next() {
    while (true) {
      while (pos_ < s_.size() && space(s_[pos_])) ++pos_;
      const auto at = static_cast<uint32_t>(pos_);
      if (pos_ >= s_.size()) {
        if (in_executable_) return error("unterminated executable comment", at);
        return Token{Tok::kEnd, {}, at};
      }
      const char c = s_[pos_];
      const char c1 = pos_ + 1 < s_.size() ? s_[pos_ + 1] : '\0';
      if (c == '#' || (c == '-' && c1 == '-' &&
                       (pos_ + 2 >= s_.size() || comment_dash_follower(s_[pos_ + 2])))) {
        while (pos_ < s_.size() && s_[pos_] != '\n') ++pos_;
        continue;
      }
      if (c == '/' && c1 == '*') {
        if (auto err = comment(at)) return *err;
        continue;
      }
      if (c == '*' && c1 == '/' && in_executable_) {
        in_executable_ = false;
        pos_ += 2;
        continue;
      }
      if (c == '`') return quoted(at);
      if (c == '\'' || c == '"') return string(c, at);
      if (ident_char(c)) return word(at);
      ++pos_;
      return Token{Tok::kPunct, s_.substr(at, 1), at};
    }
  }

 private:
  Token error(std::string_view what, uint32_t at) {
    pos_ = s_.size();
    in_executable_ = false;
    return Token{Tok::kError, what, at};
  }

  // `/* ... */`, or an executable comment `/*!NNNNN ... */` / `/*M!NNNNNN ... */`:
  // sql_lex.cc reads five digits (a sixth if present) as the version; the text is
  // code when that version is not above the server's, or when no digits follow.
  std::optional<Token> comment(uint32_t at) {
    std::size_t p = pos_ + 2;
    const bool maria = p + 1 < s_.size() && s_[p] == 'M' && s_[p + 1] == '!';
    if ((p < s_.size() && s_[p] == '!') || maria) {
      if (in_executable_) return error("nested executable comment", at);
      p += maria ? 2 : 1;
      std::size_t digits = 0;
      while (digits < 6 && p + digits < s_.size() && digit(s_[p + digits])) ++digits;
      if (digits < 5) {
        in_executable_ = true;
        pos_ = p;
        return std::nullopt;
      }
      uint32_t version = 0;
      for (std::size_t i = 0; i < digits; ++i) version = version * 10 + (s_[p + i] - '0');
      if (version_ == 0 || version <= version_) {
        in_executable_ = true;
        pos_ = p + digits;
        return std::nullopt;
      }
    }
    const std::size_t end = s_.find("*/", p);
    if (end == std::string_view::npos) return error("unterminated comment", at);
    pos_ = end + 2;
    return std::nullopt;
  }

  // `ident`, where `` stands for one backquote.
  Token quoted(uint32_t at) {
    std::size_t p = pos_ + 1;
    while (true) {
      const std::size_t q = s_.find('`', p);
      if (q == std::string_view::npos) return error("unterminated backquoted name", at);
      if (q + 1 < s_.size() && s_[q + 1] == '`') {
        p = q + 2;
        continue;
      }
      pos_ = q + 1;
      return Token{Tok::kQuoted, s_.substr(at + 1, q - at - 1), at};
    }
  }

  // '...' or "..." (no ANSI_QUOTES): backslash escapes, a doubled quote is one.
  Token string(char quote, uint32_t at) {
    std::size_t p = pos_ + 1;
    while (p < s_.size()) {
      const char c = s_[p];
      if (c == '\\') {
        p += 2;
      } else if (c == quote) {
        if (p + 1 < s_.size() && s_[p + 1] == quote) {
          p += 2;
        } else {
          pos_ = p + 1;
          return Token{Tok::kString, s_.substr(at, pos_ - at), at};
        }
      } else {
        ++p;
      }
    }
    return error("unterminated string", at);
  }

  // A bare word. A run that starts with a digit is a number unless a letter
  // follows (1abc is a name to the server; 0x1F, 1e5 are literals, which is the
  // same to this reader: a token that is not a keyword).
  Token word(uint32_t at) {
    std::size_t p = pos_;
    bool all_digits = true;
    while (p < s_.size() && ident_char(s_[p])) all_digits &= digit(s_[p++]);
    if (all_digits && p + 1 < s_.size() && s_[p] == '.' && digit(s_[p + 1])) {
      ++p;
      while (p < s_.size() && ident_char(s_[p])) ++p;
    }
    pos_ = p;
    return Token{all_digits ? Tok::kNumber : Tok::kWord, s_.substr(at, p - at), at};
  }

  std::string_view s_;
  std::size_t pos_ = 0;
  uint32_t version_;
  bool in_executable_ = false;
};

inline void assign_ident(std::string& out, const Token& t) {
  out.clear();
  if (t.kind != Tok::kQuoted) {
    out.assign(t.text);
    return;
  }
  for (std::size_t i = 0; i < t.text.size(); ++i) {
    out.push_back(t.text[i]);
    if (t.text[i] == '`') ++i;  // `` is one backquote
  }
}

// Names compared as the statement wrote them, `` undone; letter case per `fold`.
inline bool ident_equals(const Token& a, const Token& b, bool fold) {
  std::size_t i = 0, j = 0;
  while (i < a.text.size() && j < b.text.size()) {
    char x = a.text[i], y = b.text[j];
    if (fold) x = ascii_lower(x), y = ascii_lower(y);
    if (x != y) return false;
    i += (a.kind == Tok::kQuoted && a.text[i] == '`') ? 2 : 1;
    j += (b.kind == Tok::kQuoted && b.text[j] == '`') ? 2 : 1;
  }
  return i >= a.text.size() && j >= b.text.size();
}

inline bool any_word(const Token& t, std::initializer_list<std::string_view> words) {
  if (t.kind != Tok::kWord) return false;
  for (std::string_view w : words) {
    if (ascii_iequals(t.text, w)) return true;
  }
  return false;
}

}  // namespace twinlog::checks::sql_lexing
