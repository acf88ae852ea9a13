// Reads a server's option files line by line exactly as the servers' mysys
// (my_default.c, search_default_file_with_ext) reads them, checked against what a
// real mariadbd --print-defaults prints for the same file:
//   - leading white space is skipped; a line starting with '#' or ';' is a comment;
//   - `[group]` opens a group (trailing space inside the brackets dropped, leading
//     space kept: `[ mysqld ]` is a group called " mysqld"); a missing `]` is fatal;
//   - `!include FILE` reads FILE (a missing file is silently skipped);
//     `!includedir DIR` reads DIR's *.cnf files in name order (a missing DIR is
//     fatal); both nest at most 10 levels, deeper ones are skipped with a warning;
//   - an option before any group is fatal;
//   - `#` ends the line outside quotes; `name = value` is split at the first `=`,
//     both sides trimmed; one pair of matching outer quotes is removed; then the
//     escapes \n \t \r \b \s (space) \" \' \\ are replaced and any other
//     backslash is kept with the character after it;
//   - a world-writable file is ignored with a warning, as the server does.
// What an option means is the job of server_config.*; this file keeps every line,
// with its group, file and line number, so a finding can quote it.
#pragma once

#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace twinlog::config {

// Where a setting was written: "file:line".
struct OptionOrigin {
  std::string file;
  unsigned line = 0;
  std::string text() const { return file + ":" + std::to_string(line); }
};

struct OptionLine {
  std::string group;                 // as written between the brackets
  std::string name;                  // as written, without the leading "--"
  std::optional<std::string> value;  // after `=`, unquoted and unescaped; none for a bare name
  OptionOrigin origin;
};

struct OptionFiles {
  std::vector<OptionLine> options;    // in the order the server reads them
  std::vector<std::string> files;     // every file read, in order
  std::vector<std::string> warnings;  // skipped includes, ignored world-writable files
};

// A file the server would refuse to start with (it prints "Fatal error in defaults
// handling"): the message names the file and line.
class OptionFileError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Reads `path` and everything it includes. A missing top-level file is an error
// (the server refuses a --defaults-file that does not exist).
OptionFiles read_option_files(const std::string& path);

// The same from text already in memory, named `name` in origins and messages
// (includes are still read from disk, relative paths as the server does: from the
// working directory).
OptionFiles read_option_text(const std::string& text, const std::string& name);

}  // namespace twinlog::config
