#include "src/config/option_file.h"

#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string_view>

namespace twinlog::config {
namespace {

namespace fs = std::filesystem;

constexpr int kMaxIncludeDepth = 10;
// The server reads with fgets into a 4096-byte buffer less one: a longer line is
// read as several lines.
constexpr std::size_t kLineChunk = 4094;

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

std::string_view trim_right(std::string_view s) {
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}
std::string_view trim_left(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  return s;
}

// The line up to an unquoted '#' (quotes may hold '#', a backslash inside quotes
// protects a quote character).
std::string_view without_end_comment(std::string_view line) {
  char quote = 0;
  bool escape = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if ((c == '\'' || c == '"') && !escape) {
      if (!quote) {
        quote = c;
      } else if (quote == c) {
        quote = 0;
      }
    }
    if (!quote && c == '#') return line.substr(0, i);
    escape = quote && c == '\\' && !escape;
  }
  return line;
}

std::string unescape(std::string_view v) {
  std::string out;
  out.reserve(v.size());
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (v[i] != '\\' || i + 1 == v.size()) {
      out += v[i];
      continue;
    }
    char c = v[++i];
    switch (c) {
      case 'n':
        out += '\n';
        break;
      case 't':
        out += '\t';
        break;
      case 'r':
        out += '\r';
        break;
      case 'b':
        out += '\b';
        break;
      case 's':
        out += ' ';
        break;
      case '"':
      case '\'':
      case '\\':
        out += c;
        break;
      default:  // unknown: the backslash stays
        out += '\\';
        out += c;
    }
  }
  return out;
}

// `!include` / `!includedir` followed by white space, then its argument trimmed.
std::optional<std::string_view> directive_argument(std::string_view rest,
                                                   std::string_view keyword) {
  if (!rest.starts_with(keyword) || rest.size() == keyword.size() ||
      !is_space(rest[keyword.size()])) {
    return std::nullopt;
  }
  return trim_right(trim_left(rest.substr(keyword.size())));
}

class Reader {
 public:
  explicit Reader(OptionFiles& out) : out_(out) {}

  void read_file(const std::string& path, int depth) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) {
      if (depth == 0) throw OptionFileError(path + ": cannot read the option file (no such file)");
      return;  // a missing !include is skipped, as the server skips it
    }
    if (S_ISREG(st.st_mode) && (st.st_mode & S_IWOTH)) {
      out_.warnings.push_back(path +
                              ": world-writable option file ignored, as the server ignores it");
      return;
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) {
      if (depth == 0) throw OptionFileError(path + ": cannot open the option file");
      return;
    }
    std::stringstream text;
    text << in.rdbuf();
    read_text(text.str(), path, depth);
  }

  void read_text(const std::string& text, const std::string& name, int depth) {
    out_.files.push_back(name);
    std::string group;
    bool found_group = false;
    unsigned line_no = 0;
    std::size_t pos = 0;
    while (pos < text.size()) {
      std::size_t nl = text.find('\n', pos);
      std::size_t end = nl == std::string::npos ? text.size() : nl + 1;
      end = std::min(end, pos + kLineChunk);
      std::string_view line(text.data() + pos, end - pos);
      pos = end;
      ++line_no;
      read_line(line, name, line_no, depth, group, found_group);
    }
  }

 private:
  void read_line(std::string_view raw, const std::string& file, unsigned line_no, int depth,
                 std::string& group, bool& found_group) {
    std::string_view line = trim_left(raw);
    if (line.empty() || line.front() == '#' || line.front() == ';') return;
    OptionOrigin origin{file, line_no};
    if (line.front() == '!') {
      directive(line, origin, depth);
      return;
    }
    if (line.front() == '[') {
      std::size_t close = line.find(']');
      if (close == std::string_view::npos) {
        throw OptionFileError(origin.text() + ": a group name without its closing ']'" +
                              " (the server refuses to start)");
      }
      group = std::string(trim_right(line.substr(1, close - 1)));
      found_group = true;
      return;
    }
    if (!found_group) {
      throw OptionFileError(origin.text() + ": an option before any [group]" +
                            " (the server refuses to start)");
    }
    std::string_view body = without_end_comment(line);
    OptionLine option{group, {}, std::nullopt, origin};
    std::size_t eq = body.find('=');
    if (eq == std::string_view::npos) {
      option.name = std::string(trim_right(body));
    } else {
      option.name = std::string(trim_right(body.substr(0, eq)));
      std::string_view value = trim_right(trim_left(body.substr(eq + 1)));
      if (value.size() > 1 && (value.front() == '"' || value.front() == '\'') &&
          value.front() == value.back()) {
        value = value.substr(1, value.size() - 2);
      }
      option.value = unescape(value);
    }
    out_.options.push_back(std::move(option));
  }

  void directive(std::string_view line, const OptionOrigin& origin, int depth) {
    if (depth + 1 > kMaxIncludeDepth) {
      out_.warnings.push_back(origin.text() + ": '" + std::string(trim_right(line)) +
                              "' skipped: includes nest at most " +
                              std::to_string(kMaxIncludeDepth) + " levels");
      return;
    }
    std::string_view rest = trim_left(line.substr(1));
    for (std::string_view keyword : {std::string_view("includedir"), std::string_view("include")}) {
      if (!rest.starts_with(keyword)) continue;
      auto arg = directive_argument(rest, keyword);
      if (!arg) continue;  // "!includes x": not this keyword
      if (arg->empty()) {
        throw OptionFileError(origin.text() + ": '!" + std::string(keyword) +
                              "' without a file name (the server refuses to start)");
      }
      std::string target(*arg);
      if (keyword == "include") {
        read_file(target, depth + 1);
      } else {
        include_dir(target, origin, depth + 1);
      }
      return;
    }
    // Any other '!' line is ignored by the server.
  }

  void include_dir(const std::string& dir, const OptionOrigin& origin, int depth) {
    std::error_code ec;
    fs::directory_iterator it(dir, ec);
    if (ec) {
      throw OptionFileError(origin.text() + ": cannot read the directory '" + dir +
                            "' of !includedir: " + ec.message() + " (the server refuses to start)");
    }
    std::vector<std::string> names;
    for (const auto& entry : it) {
      // The server compares the text from the last '.' of the name ("x.cnf", and
      // also a file called ".cnf").
      std::string name = entry.path().filename().string();
      std::size_t dot = name.rfind('.');
      if (dot != std::string::npos && name.compare(dot, std::string::npos, ".cnf") == 0) {
        names.push_back(std::move(name));
      }
    }
    std::sort(names.begin(), names.end());
    for (const auto& n : names) read_file((fs::path(dir) / n).string(), depth);
  }

  OptionFiles& out_;
};

}  // namespace

OptionFiles read_option_files(const std::string& path) {
  OptionFiles out;
  Reader(out).read_file(path, 0);
  return out;
}

OptionFiles read_option_text(const std::string& text, const std::string& name) {
  OptionFiles out;
  Reader(out).read_text(text, name, 0);
  return out;
}

}  // namespace twinlog::config
