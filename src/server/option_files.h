// The option files the connector reads, in the mysql client's order: the global
// files, an extra file, then the user's own.
#pragma once

#include <string>
#include <vector>

namespace twinlog {

// The option file lines twinlog hands the connector so that it reads the usual
// files in the mysql client's order with the extra file in the middle:
// /etc/my.cnf, /etc/mysql/my.cnf, $MARIADB_HOME (or $MYSQL_HOME)/my.cnf, the extra
// file (when given), ~/.my.cnf. Only files that exist are listed.
std::vector<std::string> option_file_chain(const std::string& extra_file);

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
