#include "tools/twinlog/client_defaults_cli.h"

#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "src/config/option_file.h"

namespace twinlog::cli {
namespace {

std::string value_of(const po::variables_map& vm, const char* name) {
  return vm.count(name) ? vm[name].as<std::string>() : std::string();
}

std::vector<std::string> files_read(const po::variables_map& vm) {
  if (vm.count("no-defaults") && vm["no-defaults"].as<bool>()) return {};
  if (vm.count("defaults-file")) return {vm["defaults-file"].as<std::string>()};
  std::vector<std::string> files = {"/etc/my.cnf", "/etc/mysql/my.cnf"};
  for (const char* home : {"MARIADB_HOME", "MYSQL_HOME"}) {
    if (const char* dir = std::getenv(home)) {
      files.push_back(std::string(dir) + "/my.cnf");
      break;
    }
  }
  if (vm.count("defaults-extra-file")) files.push_back(vm["defaults-extra-file"].as<std::string>());
  if (const char* home = std::getenv("HOME")) files.push_back(std::string(home) + "/.my.cnf");
  return files;
}

}  // namespace

bool option_files_name_a_server(const po::variables_map& vm) {
  const std::string suffix = value_of(vm, "defaults-group-suffix");
  const std::vector<std::string> groups = {"client", "client-server", "client-mariadb",
                                           suffix.empty() ? "twinlog" : "client" + suffix};
  for (const std::string& path : files_read(vm)) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec)) continue;
    try {
      for (const config::OptionLine& line : config::read_option_files(path).options) {
        bool in_group = false;
        for (const std::string& g : groups) in_group = in_group || line.group == g;
        // Only host=: Debian's own /etc/mysql/my.cnf names a socket for every client.
        if (in_group && line.name == "host") return true;
      }
    } catch (const config::OptionFileError&) {
      continue;
    }
  }
  return false;
}

}  // namespace twinlog::cli
