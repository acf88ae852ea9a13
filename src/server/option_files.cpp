#include "src/server/option_files.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "src/config/option_file.h"
#include "src/server/connection_error.h"

namespace twinlog {

std::vector<std::string> option_file_chain(const std::string& extra_file) {
  namespace fs = std::filesystem;
  std::vector<std::string> files;
  auto add = [&](const std::string& f) {
    std::error_code ec;
    if (!f.empty() && fs::is_regular_file(f, ec) &&
        std::find(files.begin(), files.end(), f) == files.end())
      files.push_back(f);
  };
  add("/etc/my.cnf");
  add("/etc/mysql/my.cnf");
  const char* home_dir = std::getenv("MARIADB_HOME");
  if (home_dir == nullptr) home_dir = std::getenv("MYSQL_HOME");
  if (home_dir != nullptr) add(std::string(home_dir) + "/my.cnf");
  if (!extra_file.empty()) files.push_back(extra_file);  // named: a missing one is an error
  if (const char* home = std::getenv("HOME")) add(std::string(home) + "/.my.cnf");
  return files;
}

std::string option_line(std::string_view name, const std::optional<std::string>& value) {
  std::string line(name);
  if (value) {
    // The connector takes a value in double quotes whole, with \\ and \" inside.
    line.append("=\"");
    for (char c : *value) {
      if (c == '\\' || c == '"') line += '\\';
      line += c;
    }
    line += '"';
  }
  return line += '\n';
}

std::string option_lines_without_tls(const std::vector<std::string>& files,
                                     const std::vector<std::string>& groups) {
  std::string text;
  for (const std::string& file : files) {
    config::OptionFiles read;
    try {
      read = config::read_option_files(file);
    } catch (const config::OptionFileError&) {
      continue;
    }
    for (const config::OptionLine& line : read.options) {
      if (std::find(groups.begin(), groups.end(), line.group) == groups.end()) continue;
      std::string name = line.name;
      std::replace(name.begin(), name.end(), '_', '-');
      if (name.rfind("ssl", 0) == 0 || name.rfind("tls-", 0) == 0) continue;
      text += option_line(line.name, line.value);
    }
  }
  return text;
}

IncludeFile::IncludeFile(const std::vector<std::string>& files, const std::string& tail) {
  char name[] = "/tmp/twinlog-cnf-XXXXXX";
  int fd = mkstemp(name);
  if (fd < 0) throw ConnectionError(FailureKind::kClient, 0, "cannot create a temporary file");
  path_ = name;
  std::string text;
  for (const auto& f : files) text += "!include " + f + "\n";
  text += tail;
  bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  ::close(fd);
  if (!ok) throw ConnectionError(FailureKind::kClient, 0, "cannot write " + path_);
}

IncludeFile::~IncludeFile() {
  std::remove(path_.c_str());
}

}  // namespace twinlog
