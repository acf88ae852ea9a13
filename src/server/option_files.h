// The option files the connector reads, in the mysql client's order: the global
// files, an extra file, then the user's own.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace twinlog {

// The option file lines twinlog hands the connector so that it reads the usual
// files in the mysql client's order with the extra file in the middle:
// /etc/my.cnf, /etc/mysql/my.cnf, $MARIADB_HOME (or $MYSQL_HOME)/my.cnf, the extra
// file (when given), ~/.my.cnf. Only files that exist are listed.
std::vector<std::string> option_file_chain(const std::string& extra_file);

// `name="value"` (quoted and escaped as the connector reads it) or a bare `name`,
// and a newline.
std::string option_line(std::string_view name, const std::optional<std::string>& value);

// The lines of `files` (and what they include) in `groups`, without any TLS option
// (ssl..., tls-...), as one option file's lines for the connector, in the order
// read. The connector takes a file's ssl-ca as a request for TLS that nothing set
// on the handle takes back, so a connection without TLS reads the files through
// this copy. A file that the reader refuses is left out (the connector stops at
// the same faults).
std::string option_lines_without_tls(const std::vector<std::string>& files,
                                     const std::vector<std::string>& groups);

// A temporary option file of !include lines, removed when it goes out of scope:
// the connector reads one file or the default set, never the default set plus one.
// `tail` (option file lines) follows the !include lines, so that it wins over them.
// Throws ConnectionError when it cannot be written.
class IncludeFile {
 public:
  explicit IncludeFile(const std::vector<std::string>& files, const std::string& tail = {});
  ~IncludeFile();
  IncludeFile(const IncludeFile&) = delete;
  IncludeFile& operator=(const IncludeFile&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace twinlog
