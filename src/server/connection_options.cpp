#include "src/server/connection_options.h"

#include <mysql.h>
#include <termios.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>

namespace twinlog {
namespace {

constexpr unsigned long kMaxPacket = (1ul << 30) + 1024;  // a 1 GiB event plus the OK byte

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

std::string describe_target(const ConnectionOptions& o) {
  if (!o.socket.empty() && (o.host.empty() || o.host == "localhost")) return "socket " + o.socket;
  std::string host = o.host.empty() ? "the server named in the option files" : o.host;
  if (o.port != 0) host += ":" + std::to_string(o.port);
  return host;
}

// A temporary option file of !include lines, removed when it goes out of scope:
// the connector reads one file or the default set, never the default set plus one.
class IncludeFile {
 public:
  explicit IncludeFile(const std::vector<std::string>& files) {
    char name[] = "/tmp/twinlog-cnf-XXXXXX";
    int fd = mkstemp(name);
    if (fd < 0) throw ConnectionError(FailureKind::kClient, 0, "cannot create a temporary file");
    path_ = name;
    std::string text;
    for (const auto& f : files) text += "!include " + f + "\n";
    bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
    ::close(fd);
    if (!ok) throw ConnectionError(FailureKind::kClient, 0, "cannot write " + path_);
  }
  ~IncludeFile() { std::remove(path_.c_str()); }
  IncludeFile(const IncludeFile&) = delete;
  IncludeFile& operator=(const IncludeFile&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace

std::optional<SslMode> parse_ssl_mode(std::string_view text) {
  static constexpr std::pair<std::string_view, SslMode> kModes[] = {
      {"DISABLED", SslMode::kDisabled},
      {"PREFERRED", SslMode::kPreferred},
      {"REQUIRED", SslMode::kRequired},
      {"VERIFY_CA", SslMode::kVerifyCa},
      {"VERIFY_IDENTITY", SslMode::kVerifyIdentity}};
  for (const auto& [name, mode] : kModes) {
    if (iequals(name, text)) return mode;
  }
  return std::nullopt;
}

std::string_view ssl_mode_name(SslMode mode) {
  switch (mode) {
    case SslMode::kDefault:
      return "DEFAULT";
    case SslMode::kDisabled:
      return "DISABLED";
    case SslMode::kPreferred:
      return "PREFERRED";
    case SslMode::kRequired:
      return "REQUIRED";
    case SslMode::kVerifyCa:
      return "VERIFY_CA";
    case SslMode::kVerifyIdentity:
      return "VERIFY_IDENTITY";
  }
  return "?";
}

FailureKind classify_error(unsigned code) {
  switch (code) {
    case 1045:  // ER_ACCESS_DENIED_ERROR
    case 1698:  // ER_ACCESS_DENIED_NO_PASSWORD_ERROR
    case 1129:  // ER_HOST_IS_BLOCKED
    case 1130:  // ER_HOST_NOT_PRIVILEGED
    case 1251:  // ER_NOT_SUPPORTED_AUTH_MODE
    case 2059:  // CR_AUTH_PLUGIN_CANNOT_LOAD
      return FailureKind::kAccessDenied;
    case 1044:  // ER_DBACCESS_DENIED_ERROR
    case 1142:  // ER_TABLEACCESS_DENIED_ERROR
    case 1227:  // ER_SPECIFIC_ACCESS_DENIED_ERROR
    case 1370:  // ER_PROCACCESS_DENIED_ERROR
      return FailureKind::kPrivileges;
    case 2026:  // CR_SSL_CONNECTION_ERROR
      return FailureKind::kTls;
    case 2002:  // CR_CONNECTION_ERROR (socket)
    case 2003:  // CR_CONN_HOST_ERROR
    case 2004:  // CR_IPSOCK_ERROR
    case 2005:  // CR_UNKNOWN_HOST
      return FailureKind::kUnreachable;
    case 2006:  // CR_SERVER_GONE_ERROR
    case 2013:  // CR_SERVER_LOST
    case 2055:  // CR_SERVER_LOST_EXTENDED
    case 1927:  // ER_CONNECTION_KILLED
    case 1053:  // ER_SERVER_SHUTDOWN
    case 1152:  // ER_ABORTING_CONNECTION
      return FailureKind::kLost;
    default:
      return code >= 2000 && code < 3000 ? FailureKind::kClient : FailureKind::kServer;
  }
}

ConnectionError describe_connect_error(unsigned code, std::string_view connector_message,
                                       std::string_view target, std::string_view user) {
  FailureKind kind = classify_error(code);
  std::string msg;
  std::string who =
      user.empty() ? std::string("the default user") : "user '" + std::string(user) + "'";
  std::string detail = " (" + std::to_string(code) + ": " + std::string(connector_message) + ")";
  switch (kind) {
    case FailureKind::kAccessDenied:
      msg = "access denied to " + who + " on " + std::string(target) +
            ": wrong user or password, or the user may not connect from this host" + detail;
      break;
    case FailureKind::kPrivileges:
      msg = who + " on " + std::string(target) +
            " lacks a privilege twinlog needs (REPLICATION SLAVE to read binlogs; BINLOG "
            "MONITOR or REPLICATION CLIENT for SHOW BINARY LOGS / SHOW MASTER STATUS)" +
            detail;
      break;
    case FailureKind::kTls:
      msg = "TLS connection to " + std::string(target) +
            " failed: check --ssl-mode, --ssl-ca, --ssl-cert and --ssl-key, and that the server "
            "has TLS enabled" +
            detail;
      break;
    case FailureKind::kUnreachable:
      msg = "cannot reach " + std::string(target) +
            ": no server listening there, or the host or socket is wrong" + detail;
      break;
    case FailureKind::kLost:
      msg = "lost the connection to " + std::string(target) + detail;
      break;
    case FailureKind::kServer:
    case FailureKind::kClient:
      msg = std::string(target) + ": " + std::string(connector_message) + " (error " +
            std::to_string(code) + ")";
      break;
  }
  return ConnectionError(kind, code, msg);
}

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
  files.push_back(extra_file);  // named explicitly: a missing one is an error
  if (const char* home = std::getenv("HOME")) add(std::string(home) + "/.my.cnf");
  return files;
}

std::optional<std::string> prompt_password(std::string_view prompt) {
  if (!isatty(STDIN_FILENO)) return std::nullopt;
  std::cerr << prompt << std::flush;
  termios old_mode{};
  bool restore = tcgetattr(STDIN_FILENO, &old_mode) == 0;
  if (restore) {
    termios quiet = old_mode;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
  }
  std::string line;
  std::getline(std::cin, line);
  if (restore) tcsetattr(STDIN_FILENO, TCSAFLUSH, &old_mode);
  std::cerr << "\n";
  return line;
}

std::unique_ptr<Connection> Connection::open(const ConnectionOptions& o,
                                             std::shared_ptr<std::string> password_cache) {
  if (!password_cache) password_cache = std::make_shared<std::string>();
  std::string target = describe_target(o);
  if (!o.defaults_extra_file.empty() && !std::filesystem::is_regular_file(o.defaults_extra_file))
    throw ConnectionError(FailureKind::kClient, 0,
                          "--defaults-extra-file: no such file: " + o.defaults_extra_file);
  if (!o.defaults_file.empty() && !std::filesystem::is_regular_file(o.defaults_file))
    throw ConnectionError(FailureKind::kClient, 0,
                          "--defaults-file: no such file: " + o.defaults_file);
  bool asked = false;
  if (o.prompt_password && password_cache->empty()) {
    auto pw = prompt_password("Enter password: ");
    if (!pw)
      throw ConnectionError(FailureKind::kClient, 0, "--password needs a terminal to ask on");
    *password_cache = *pw;
    asked = true;
  }

  for (int attempt = 0;; ++attempt) {
    std::unique_ptr<Connection> conn(new Connection());
    MYSQL* m = mysql_init(nullptr);
    if (m == nullptr) throw ConnectionError(FailureKind::kClient, 0, "out of memory");
    conn->mysql_ = m;

    std::unique_ptr<IncludeFile> chain;
    if (!o.no_defaults) {
      std::string group =
          o.defaults_group_suffix.empty() ? "twinlog" : "client" + o.defaults_group_suffix;
      mysql_optionsv(m, MYSQL_READ_DEFAULT_GROUP, group.c_str());
      if (!o.defaults_file.empty()) {
        mysql_optionsv(m, MYSQL_READ_DEFAULT_FILE, o.defaults_file.c_str());
      } else if (!o.defaults_extra_file.empty()) {
        chain = std::make_unique<IncludeFile>(option_file_chain(o.defaults_extra_file));
        mysql_optionsv(m, MYSQL_READ_DEFAULT_FILE, chain->path().c_str());
      }
    }
    unsigned connect_timeout = o.connect_timeout_seconds;
    mysql_optionsv(m, MYSQL_OPT_CONNECT_TIMEOUT, &connect_timeout);
    if (o.read_timeout_seconds != 0) {
      unsigned read_timeout = o.read_timeout_seconds;
      mysql_optionsv(m, MYSQL_OPT_READ_TIMEOUT, &read_timeout);
    }
    unsigned long max_packet = kMaxPacket;
    mysql_optionsv(m, MYSQL_OPT_MAX_ALLOWED_PACKET, &max_packet);

    bool want_tls = o.ssl_mode != SslMode::kDefault && o.ssl_mode != SslMode::kDisabled;
    // PREFERRED falls back to plain on the second attempt when the server has no TLS.
    if (o.ssl_mode == SslMode::kPreferred && attempt > 0) want_tls = false;
    if (o.ssl_mode == SslMode::kDisabled) {
      my_bool off = 0;
      mysql_optionsv(m, MYSQL_OPT_SSL_ENFORCE, &off);
    }
    if (want_tls || (o.ssl_mode == SslMode::kDefault &&
                     !(o.ssl_ca.empty() && o.ssl_cert.empty() && o.ssl_key.empty()))) {
      if (!o.ssl_ca.empty()) mysql_optionsv(m, MYSQL_OPT_SSL_CA, o.ssl_ca.c_str());
      if (!o.ssl_cert.empty()) mysql_optionsv(m, MYSQL_OPT_SSL_CERT, o.ssl_cert.c_str());
      if (!o.ssl_key.empty()) mysql_optionsv(m, MYSQL_OPT_SSL_KEY, o.ssl_key.c_str());
      my_bool on = 1;
      mysql_optionsv(m, MYSQL_OPT_SSL_ENFORCE, &on);
      my_bool verify =
          o.ssl_mode == SslMode::kVerifyCa || o.ssl_mode == SslMode::kVerifyIdentity ? 1 : 0;
      mysql_optionsv(m, MYSQL_OPT_SSL_VERIFY_SERVER_CERT, &verify);
    }

    const char* password = password_cache->empty() && !asked ? nullptr : password_cache->c_str();
    MYSQL* ok = mysql_real_connect(m, o.host.empty() ? nullptr : o.host.c_str(),
                                   o.user.empty() ? nullptr : o.user.c_str(), password, nullptr,
                                   o.port, o.socket.empty() ? nullptr : o.socket.c_str(), 0);
    chain.reset();
    if (ok != nullptr) {
      conn->target_ = mysql_get_host_info(m) != nullptr ? mysql_get_host_info(m) : target;
      conn->user_ = m->user != nullptr ? m->user : o.user;
      if (o.ssl_mode >= SslMode::kRequired && conn->tls_cipher().empty())
        throw ConnectionError(FailureKind::kTls, 0,
                              "--ssl-mode=" + std::string(ssl_mode_name(o.ssl_mode)) + " but " +
                                  conn->target_ + " did not encrypt the connection");
      return conn;
    }
    unsigned code = mysql_errno(m);
    std::string message = mysql_error(m);
    std::string user = o.user;
    // A user from an option file is gone from the handle after a failed connect;
    // the server's refusal names it.
    if (auto at = message.find("for user '"); user.empty() && at != std::string::npos) {
      auto from = at + 10;
      user = message.substr(from, message.find('\'', from) - from);
    }
    if (o.ssl_mode == SslMode::kPreferred && attempt == 0 &&
        classify_error(code) == FailureKind::kTls)
      continue;
    // No password came from anywhere and the server wants one: ask, once.
    if (classify_error(code) == FailureKind::kAccessDenied && attempt == 0 && !asked &&
        password_cache->empty() && message.find("using password: NO") != std::string::npos &&
        isatty(STDIN_FILENO)) {
      if (auto pw = prompt_password("Enter password: ")) {
        *password_cache = *pw;
        asked = true;
        continue;
      }
    }
    throw describe_connect_error(code, message, target, user);
  }
}

Connection::~Connection() {
  if (mysql_ != nullptr) mysql_close(mysql_);
}

std::string Connection::server_version() const {
  const char* v = mysql_get_server_info(mysql_);
  return v != nullptr ? v : "";
}

std::string Connection::tls_cipher() const {
  const char* c = mysql_get_ssl_cipher(mysql_);
  return c != nullptr ? c : "";
}

ConnectionError Connection::last_error(std::string_view doing) const {
  unsigned code = mysql_errno(mysql_);
  ConnectionError base = describe_connect_error(code, mysql_error(mysql_), target_, user_);
  return ConnectionError(base.kind(), code, std::string(doing) + ": " + base.what());
}

void Connection::execute(std::string_view sql) {
  if (mysql_real_query(mysql_, sql.data(), sql.size()) != 0) throw last_error(sql);
  if (MYSQL_RES* r = mysql_store_result(mysql_)) mysql_free_result(r);
}

int Connection::Rows::column(std::string_view name) const {
  for (std::size_t i = 0; i < columns.size(); ++i) {
    if (iequals(columns[i], name)) return static_cast<int>(i);
  }
  return -1;
}

Connection::Rows Connection::query_first_parsed(std::initializer_list<std::string_view> forms) {
  constexpr unsigned kParseError = 1064;
  std::size_t left = forms.size();
  for (std::string_view sql : forms) {
    try {
      return query(sql);
    } catch (const ConnectionError& e) {
      if (e.code() != kParseError || --left == 0) throw;
    }
  }
  throw ConnectionError(FailureKind::kClient, 0, "no statement to run");
}

Connection::Rows Connection::query(std::string_view sql) {
  if (mysql_real_query(mysql_, sql.data(), sql.size()) != 0) throw last_error(sql);
  Rows out;
  MYSQL_RES* r = mysql_store_result(mysql_);
  if (r == nullptr) {
    if (mysql_field_count(mysql_) != 0) throw last_error(sql);
    return out;
  }
  unsigned n = mysql_num_fields(r);
  MYSQL_FIELD* fields = mysql_fetch_fields(r);
  for (unsigned i = 0; i < n; ++i) out.columns.emplace_back(fields[i].name);
  while (MYSQL_ROW row = mysql_fetch_row(r)) {
    unsigned long* lengths = mysql_fetch_lengths(r);
    Row values;
    for (unsigned i = 0; i < n; ++i) {
      if (row[i] == nullptr)
        values.emplace_back(std::nullopt);
      else
        values.emplace_back(std::string(row[i], lengths[i]));
    }
    out.rows.push_back(std::move(values));
  }
  mysql_free_result(r);
  return out;
}

}  // namespace twinlog
