#include "src/server/connection.h"

#include <mysql.h>

#include <algorithm>
#include <filesystem>

#include "protocol/ascii_case.h"
#include "src/report/concat.h"
#include "src/server/login_file.h"
#include "src/server/option_files.h"

namespace twinlog {
namespace {

constexpr unsigned long kMaxPacket = (1ul << 30) + 1024;  // a 1 GiB event plus the OK byte

using protocol::ascii_iequals;

std::string describe_target(const ConnectionOptions& o) {
  if (!o.socket.empty() && (o.host.empty() || o.host == "localhost")) return "socket " + o.socket;
  std::string host = o.host.empty() ? "the server named in the option files" : o.host;
  if (o.port != 0) host.append(":").append(std::to_string(o.port));
  return host;
}

// An option file named explicitly must exist: the connector would skip it silently.
void check_named_files_exist(const ConnectionOptions& o) {
  if (!o.defaults_extra_file.empty() && !std::filesystem::is_regular_file(o.defaults_extra_file))
    throw ConnectionError(FailureKind::kClient, 0,
                          "no such option file: " + o.defaults_extra_file + " (the extra file)");
  if (!o.defaults_file.empty() && !std::filesystem::is_regular_file(o.defaults_file))
    throw ConnectionError(FailureKind::kClient, 0,
                          "no such option file: " + o.defaults_file + " (the only file to read)");
}

// Points the connector at the option files; what is returned must live until the
// connect has read them. The connector reads them when it connects, after the
// options set on the handle, so that a file's ssl-cipher would win over the command
// line's; the mysql client lets the command line win. So `overrides` (option lines
// of the command line's values) go after the files, in the group read with them.
std::unique_ptr<IncludeFile> set_option_files(MYSQL* m, const ConnectionOptions& o,
                                              const std::string& overrides, bool without_tls) {
  if (o.no_defaults) return nullptr;
  std::string group =
      o.defaults_group_suffix.empty() ? "twinlog" : "client" + o.defaults_group_suffix;
  mysql_optionsv(m, MYSQL_READ_DEFAULT_GROUP, group.c_str());
  const std::vector<std::string> files = o.defaults_file.empty()
                                             ? option_file_chain(o.defaults_extra_file)
                                             : std::vector<std::string>{o.defaults_file};
  if (without_tls) {
    // The files' TLS options left out, for DISABLED or PREFERRED's attempt without TLS
    // (option_lines_without_tls says why).
    auto copy = std::make_unique<IncludeFile>(
        std::vector<std::string>{},
        report::concat(
            "[", group, "]\n",
            option_lines_without_tls(files, {"client", "client-server", "client-mariadb", group}),
            overrides));
    mysql_optionsv(m, MYSQL_READ_DEFAULT_FILE, copy->path().c_str());
    return copy;
  }
  if (overrides.empty() && !o.defaults_file.empty()) {
    mysql_optionsv(m, MYSQL_READ_DEFAULT_FILE, o.defaults_file.c_str());
    return nullptr;
  }
  if (overrides.empty() && o.defaults_extra_file.empty()) return nullptr;
  auto chain = std::make_unique<IncludeFile>(
      files, overrides.empty() ? std::string() : "[" + group + "]\n" + overrides);
  mysql_optionsv(m, MYSQL_READ_DEFAULT_FILE, chain->path().c_str());
  return chain;
}

void set_limits(MYSQL* m, const ConnectionOptions& o) {
  unsigned connect_timeout = o.connect_timeout_seconds;
  mysql_optionsv(m, MYSQL_OPT_CONNECT_TIMEOUT, &connect_timeout);
  if (o.read_timeout_seconds != 0) {
    unsigned read_timeout = o.read_timeout_seconds;
    mysql_optionsv(m, MYSQL_OPT_READ_TIMEOUT, &read_timeout);
  }
  unsigned long max_packet = kMaxPacket;
  mysql_optionsv(m, MYSQL_OPT_MAX_ALLOWED_PACKET, &max_packet);
}

// Compression and the authentication plugins; the connector takes them as the mysql
// client hands them over, and refuses what it cannot use when connecting.
void set_protocol(MYSQL* m, const ConnectionOptions& o) {
  if (o.compress) mysql_optionsv(m, MYSQL_OPT_COMPRESS, nullptr);
  if (!o.default_auth.empty()) mysql_optionsv(m, MYSQL_DEFAULT_AUTH, o.default_auth.c_str());
  if (!o.plugin_dir.empty()) mysql_optionsv(m, MYSQL_PLUGIN_DIR, o.plugin_dir.c_str());
}

bool tls_options_given(const ConnectionOptions& o) {
  if (o.ssl) return true;
  for (const std::string* s : {&o.ssl_ca, &o.ssl_cert, &o.ssl_key, &o.ssl_capath, &o.ssl_cipher,
                               &o.ssl_crl, &o.ssl_crlpath, &o.tls_version})
    if (!s->empty()) return true;
  return false;
}

void set_tls_string(MYSQL* m, mysql_option option, const std::string& value) {
  if (!value.empty()) mysql_optionsv(m, option, value.c_str());
}

// Whether this attempt asks for TLS with the TLS options given. `plain_fallback`:
// PREFERRED's second attempt, without TLS, at a server that has none.
bool tls_attempt(const ConnectionOptions& o, bool plain_fallback) {
  if (o.ssl_mode == SslMode::kDefault) return tls_options_given(o);
  return o.ssl_mode != SslMode::kDisabled && !(o.ssl_mode == SslMode::kPreferred && plain_fallback);
}

// Whether the server's certificate is to be verified, when the mode says so either
// way: the connector would take a file's ssl-verify-server-cert over the handle's
// (and reads a bare one as off, unlike the clients).
std::optional<bool> verify_by_mode(const ConnectionOptions& o) {
  switch (o.ssl_mode) {
    case SslMode::kDefault:
      return o.no_verify_server_cert ? std::optional<bool>(false) : std::nullopt;
    case SslMode::kDisabled:
    case SslMode::kPreferred:
    case SslMode::kRequired:
      return false;
    case SslMode::kVerifyCa:
    case SslMode::kVerifyIdentity:
      return true;
  }
  return std::nullopt;
}

// The command line's values of the options the option files may also set, as option
// file lines (set_option_files).
std::string option_file_overrides(const ConnectionOptions& o, bool tls) {
  std::string lines;
  if (auto verify = verify_by_mode(o))
    lines.append("ssl-verify-server-cert=").append(*verify && tls ? "1\n" : "0\n");
  auto add = [&lines](std::string_view name, const std::string& value) {
    if (!value.empty()) lines += option_line(name, value);
  };
  if (tls) {
    add("ssl-ca", o.ssl_ca);
    add("ssl-cert", o.ssl_cert);
    add("ssl-key", o.ssl_key);
    add("ssl-capath", o.ssl_capath);
    add("ssl-cipher", o.ssl_cipher);
    add("ssl-crl", o.ssl_crl);
    add("ssl-crlpath", o.ssl_crlpath);
    add("tls-version", o.tls_version);
  }
  add("default-auth", o.default_auth);
  add("plugin-dir", o.plugin_dir);
  return lines;
}

void set_tls(MYSQL* m, const ConnectionOptions& o, bool plain_fallback) {
  if (o.ssl_mode == SslMode::kDisabled) {
    my_bool off = 0;
    mysql_optionsv(m, MYSQL_OPT_SSL_ENFORCE, &off);
  }
  if (!tls_attempt(o, plain_fallback)) return;
  set_tls_string(m, MYSQL_OPT_SSL_CA, o.ssl_ca);
  set_tls_string(m, MYSQL_OPT_SSL_CERT, o.ssl_cert);
  set_tls_string(m, MYSQL_OPT_SSL_KEY, o.ssl_key);
  set_tls_string(m, MYSQL_OPT_SSL_CAPATH, o.ssl_capath);
  set_tls_string(m, MYSQL_OPT_SSL_CIPHER, o.ssl_cipher);
  set_tls_string(m, MYSQL_OPT_SSL_CRL, o.ssl_crl);
  set_tls_string(m, MYSQL_OPT_SSL_CRLPATH, o.ssl_crlpath);
  set_tls_string(m, MARIADB_OPT_TLS_VERSION, o.tls_version);
  my_bool on = 1;
  mysql_optionsv(m, MYSQL_OPT_SSL_ENFORCE, &on);
  my_bool verify =
      o.ssl_mode == SslMode::kVerifyCa || o.ssl_mode == SslMode::kVerifyIdentity ? 1 : 0;
  mysql_optionsv(m, MYSQL_OPT_SSL_VERIFY_SERVER_CERT, &verify);
}

// A user from an option file is gone from the handle after a failed connect; the
// server's refusal names it.
std::string refused_user(const std::string& message, const std::string& given) {
  auto at = message.find("for user '");
  if (!given.empty() || at == std::string::npos) return given;
  auto from = at + 10;
  return message.substr(from, message.find('\'', from) - from);
}

std::optional<std::string> ask(const ConnectionOptions& o) {
  return o.ask_password ? o.ask_password() : std::nullopt;
}

// The options with the login path file's host, user, port and socket where the
// command line gave none; its password goes into `password_cache` unless one was
// asked for already or is to be asked for. Read also under no_defaults and with a
// defaults file, as MySQL's clients read it ("so that a password need not be on the
// command line even then").
ConnectionOptions with_login_path(const ConnectionOptions& given, std::string& password_cache) {
  ConnectionOptions o = given;
  const LoginPathOptions login =
      read_login_path(login_file_path(), o.login_path, {"client", "mysqlbinlog"});
  if (o.host.empty() && login.host) o.host = *login.host;
  if (o.user.empty() && login.user) o.user = *login.user;
  if (o.socket.empty() && login.socket) o.socket = *login.socket;
  if (o.port == 0 && login.port) o.port = *login.port;
  if (login.password && password_cache.empty() && !o.password_first)
    password_cache = *login.password;
  return o;
}

}  // namespace

std::optional<SslMode> parse_ssl_mode(std::string_view text) {
  static constexpr std::pair<std::string_view, SslMode> kModes[] = {
      {"DISABLED", SslMode::kDisabled},
      {"PREFERRED", SslMode::kPreferred},
      {"REQUIRED", SslMode::kRequired},
      {"VERIFY_CA", SslMode::kVerifyCa},
      {"VERIFY_IDENTITY", SslMode::kVerifyIdentity}};
  for (const auto& [name, mode] : kModes) {
    if (ascii_iequals(name, text)) return mode;
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

std::unique_ptr<Connection> Connection::open(const ConnectionOptions& given,
                                             std::shared_ptr<std::string> password_cache) {
  if (!password_cache) password_cache = std::make_shared<std::string>();
  check_named_files_exist(given);
  const ConnectionOptions o = with_login_path(given, *password_cache);
  // An empty password that was asked for is sent as one; no password at all is not.
  bool have_password = !password_cache->empty();
  if (o.password_first && !have_password) {
    auto pw = ask(o);
    if (!pw)
      throw ConnectionError(FailureKind::kClient, 0,
                            "a password is to be asked for, but there is no terminal to ask on");
    *password_cache = *pw;
    have_password = true;
  }
  bool plain_fallback = false;
  bool asked_after_refusal = false;
  for (;;) {
    std::unique_ptr<Connection> conn(new Connection());
    if (conn->try_connect(o, plain_fallback, have_password ? password_cache.get() : nullptr))
      return conn;
    unsigned code = mysql_errno(conn->mysql_);
    std::string message = mysql_error(conn->mysql_);
    FailureKind kind = classify_error(code);
    if (o.ssl_mode == SslMode::kPreferred && !plain_fallback && kind == FailureKind::kTls) {
      plain_fallback = true;
      continue;
    }
    // No password came from anywhere and the server wants one: ask, once.
    if (kind == FailureKind::kAccessDenied && !have_password && !asked_after_refusal &&
        message.find("using password: NO") != std::string::npos) {
      asked_after_refusal = true;
      if (auto pw = ask(o)) {
        *password_cache = *pw;
        have_password = true;
        continue;
      }
    }
    throw describe_connect_error(code, message, describe_target(o), refused_user(message, o.user));
  }
}

bool Connection::try_connect(const ConnectionOptions& o, bool plain_fallback,
                             const std::string* password) {
  mysql_ = mysql_init(nullptr);
  if (mysql_ == nullptr) throw ConnectionError(FailureKind::kClient, 0, "out of memory");
  const bool tls = tls_attempt(o, plain_fallback);
  auto chain = set_option_files(mysql_, o, option_file_overrides(o, tls),
                                !tls && o.ssl_mode != SslMode::kDefault);
  set_limits(mysql_, o);
  set_protocol(mysql_, o);
  set_tls(mysql_, o, plain_fallback);
  MYSQL* ok = mysql_real_connect(mysql_, o.host.empty() ? nullptr : o.host.c_str(),
                                 o.user.empty() ? nullptr : o.user.c_str(),
                                 password != nullptr ? password->c_str() : nullptr, nullptr, o.port,
                                 o.socket.empty() ? nullptr : o.socket.c_str(), 0);
  if (ok == nullptr) return false;
  const char* host_info = mysql_get_host_info(mysql_);
  target_ = host_info != nullptr ? host_info : describe_target(o);
  user_ = mysql_->user != nullptr ? mysql_->user : o.user;
  check_tls_required(o.ssl_mode);
  return true;
}

void Connection::check_tls_required(SslMode mode) const {
  if (mode >= SslMode::kRequired && tls_cipher().empty())
    throw ConnectionError(FailureKind::kTls, 0,
                          "TLS mode " + std::string(ssl_mode_name(mode)) + " but " + target_ +
                              " did not encrypt the connection");
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
    if (ascii_iequals(columns[i], name)) return static_cast<int>(i);
  }
  return -1;
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
