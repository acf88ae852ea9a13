#include "tools/twinlog/client_defaults_cli.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "src/config/option_file.h"
#include "src/server/connection_error.h"
#include "src/server/login_file.h"

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

std::vector<config::OptionLine> client_lines(const po::variables_map& vm) {
  const std::string suffix = value_of(vm, "defaults-group-suffix");
  const std::vector<std::string> groups = {"client", "client-server", "client-mariadb",
                                           suffix.empty() ? "twinlog" : "client" + suffix};
  std::vector<config::OptionLine> out;
  for (const std::string& path : files_read(vm)) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec)) continue;
    try {
      for (config::OptionLine& line : config::read_option_files(path).options) {
        if (std::find(groups.begin(), groups.end(), line.group) != groups.end())
          out.push_back(std::move(line));
      }
    } catch (const config::OptionFileError&) {
      continue;
    }
  }
  return out;
}

// The login path file's options as arguments, after the option files' (MySQL's
// clients read it last and print it so, a password as *****). A file that cannot be
// read is said on stderr: connecting would refuse it.
std::string login_path_arguments(const po::variables_map& vm) {
  LoginPathOptions o;
  try {
    o = read_login_path(login_file_path(), value_of(vm, "login-path"), {"client", "mysqlbinlog"});
  } catch (const ConnectionError& e) {
    std::cerr << "twinlog: " << e.what() << "\n";
    return {};
  }
  std::string out;
  auto add = [&out](const char* name, const std::optional<std::string>& value) {
    if (value) out.append("--").append(name).append("=").append(*value).append(" ");
  };
  add("host", o.host);
  add("user", o.user);
  add("password", o.password ? std::optional<std::string>("*****") : std::nullopt);
  add("port", o.port ? std::optional<std::string>(std::to_string(*o.port)) : std::nullopt);
  add("socket", o.socket);
  return out;
}

}  // namespace

bool option_files_name_a_server(const po::variables_map& vm) {
  // Only host=: Debian's own /etc/mysql/my.cnf names a socket for every client.
  for (const config::OptionLine& line : client_lines(vm))
    if (line.name == "host") return true;
  // MySQL's login path file counts as one of them (read last, as its clients read it).
  try {
    return read_login_path(login_file_path(), value_of(vm, "login-path"), {"client", "mysqlbinlog"})
        .host.has_value();
  } catch (const ConnectionError&) {
    return true;  // connecting says what is wrong with it
  }
}

std::optional<bool> client_bool(std::string_view value) {
  std::string lower(value);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (lower == "1" || lower == "on" || lower == "true") return true;
  if (lower == "0" || lower == "off" || lower == "false") return false;
  return std::nullopt;
}

bool option_files_compress(const po::variables_map& vm) {
  bool on = false;
  for (const config::OptionLine& line : client_lines(vm)) {
    const bool yes = client_bool(line.value.value_or("1")).value_or(false);
    if (line.name == "compress" || line.name == "enable-compress") on = yes;
    if (line.name == "skip-compress" || line.name == "disable-compress") on = false;
  }
  return on;
}

OptionFilesTls option_files_tls(const po::variables_map& vm) {
  static constexpr std::string_view kImplySsl[] = {
      "ssl-ca", "ssl-cert", "ssl-key", "ssl-capath", "ssl-cipher", "ssl-crl", "ssl-crlpath"};
  OptionFilesTls out;
  for (config::OptionLine& line : client_lines(vm)) {
    std::string name = line.name;  // the clients read ssl_verify_server_cert too
    std::replace(name.begin(), name.end(), '_', '-');
    for (auto [option, into] :
         {std::pair{std::string_view("ssl"), &out.ssl},
          std::pair{std::string_view("ssl-verify-server-cert"), &out.verify}}) {
      const std::string_view given = name;
      if (given == option || (given.substr(0, 7) == "enable-" && given.substr(7) == option)) {
        *into = line.value ? client_bool(*line.value) : true;
        if (!*into)
          throw po::error(line.origin.text() + ": " + line.name +
                          " takes 0, 1, on, off, true or false, not '" + *line.value + "'");
      }
      for (std::string_view off : {"skip-", "disable-"})
        if (given.substr(0, off.size()) == off && given.substr(off.size()) == option) *into = false;
    }
    if (std::find(std::begin(kImplySsl), std::end(kImplySsl), name) != std::end(kImplySsl))
      out.ssl = true;
    if (name == "tls-version") out.tls_version = std::move(line);
  }
  return out;
}

std::string option_file_arguments(const po::variables_map& vm) {
  std::string out = "twinlog would have been started with the following arguments:\n";
  for (const config::OptionLine& line : client_lines(vm)) {
    out += "--" + line.name;
    if (line.value) out += "=" + (line.name == "password" ? std::string("*****") : *line.value);
    out += " ";
  }
  return out + login_path_arguments(vm) + "\n";
}

}  // namespace twinlog::cli
