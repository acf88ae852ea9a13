// How twinlog connects to a server, the way the mysql client does: host, port,
// socket, user, option files ([client] groups, ~/.my.cnf, a defaults file, an extra
// file, a group suffix), TLS (mode, CA file or directory, certificate, key, cipher,
// revocation lists, versions), protocol compression and the authentication plugin
// to start with. The password comes
// from an option file, MYSQL_PWD or whoever `ask_password` asks (the command line
// tool asks on the terminal; the engine never reads it); it is never printed or
// logged. Connecting goes through libmariadb; its errors become ConnectionErrors
// (connection_error.h) that say what went wrong in words an operator can act on.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "src/server/connection_error.h"

struct st_mysql;  // libmariadb's MYSQL, kept out of this header

namespace twinlog {

enum class SslMode { kDefault, kDisabled, kPreferred, kRequired, kVerifyCa, kVerifyIdentity };

// "DISABLED", "preferred", ... (case-insensitive) or nullopt.
std::optional<SslMode> parse_ssl_mode(std::string_view text);
std::string_view ssl_mode_name(SslMode mode);

struct ConnectionOptions {
  std::string host;                   // empty: from option files, else localhost
  unsigned port = 0;                  // 0: from option files, else 3306
  std::string socket;                 // empty: from option files
  std::string user;                   // empty: from option files, else the login name
  bool no_defaults = false;           // read no option file at all
  std::string defaults_file;          // read only this option file
  std::string defaults_extra_file;    // read this after the global files, before ~/.my.cnf
  std::string defaults_group_suffix;  // also read [client<suffix>]
  SslMode ssl_mode = SslMode::kDefault;
  std::string ssl_ca, ssl_cert, ssl_key;
  // The mysql client's --ssl-capath, --ssl-cipher, --ssl-crl, --ssl-crlpath and
  // --tls-version, handed to the connector as given (it checks them). Any of them,
  // like a CA, certificate or key, asks for TLS when no --ssl-mode says otherwise,
  // as the MariaDB clients' --ssl-* options do.
  std::string ssl_capath, ssl_cipher, ssl_crl, ssl_crlpath, tls_version;
  // The MariaDB clients' --ssl (their default since 10.11's clients turned it on):
  // TLS whenever the server offers it, plain to a server without TLS, and a TLS
  // connection that fails (an unknown CA given with it) is an error, not plain.
  // With ssl_mode kDefault only; like a CA, it asks for TLS.
  bool ssl = false;
  // The clients' --skip-ssl-verify-server-cert (or an option file's, read by the
  // command line): an option file's ssl-verify-server-cert, which the connector
  // reads itself, does not turn verification on. With ssl_mode kDefault only.
  bool no_verify_server_cert = false;
  // MySQL's login path file (login_file.h), read whenever it exists (even under
  // no_defaults, as in MySQL's clients): its [client] and [mysqlbinlog] groups, and
  // [login_path] when given. What it gives fills what these options leave empty, and
  // wins over the option files.
  std::string login_path;
  bool compress = false;     // compress the protocol (the clients' --compress)
  std::string default_auth;  // the authentication plugin to try first
  std::string plugin_dir;    // where the connector loads client plugins from
  unsigned connect_timeout_seconds = 10;
  unsigned read_timeout_seconds = 0;  // 0: the connector's default
  // Asks someone for the password; nullopt when there is no one to ask. Unset:
  // never ask. Asked once when the server refuses a connection made without one.
  std::function<std::optional<std::string>()> ask_password;
  bool password_first = false;  // ask before connecting, even if an option file has one
};

// One connection to a server. Not copyable; closes on destruction.
class Connection {
 public:
  // Connects or throws ConnectionError. The password, once asked for, is kept in
  // `password_cache` so that reconnects do not ask again.
  static std::unique_ptr<Connection> open(const ConnectionOptions& options,
                                          std::shared_ptr<std::string> password_cache = {});
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  st_mysql* handle() { return mysql_; }
  // "127.0.0.1:3306" or the socket path, for messages.
  const std::string& target() const { return target_; }
  const std::string& user() const { return user_; }
  std::string server_version() const;
  // The TLS cipher in use, empty when the connection is not encrypted.
  std::string tls_cipher() const;

  // Runs a statement whose result is not needed. Throws ConnectionError.
  void execute(std::string_view sql);
  using Row = std::vector<std::optional<std::string>>;
  struct Rows {
    std::vector<std::string> columns;
    std::vector<Row> rows;
    // Index of a column by name (case-insensitive), or -1.
    int column(std::string_view name) const;
  };
  Rows query(std::string_view sql);
  // A ConnectionError from the connection's current error state.
  ConnectionError last_error(std::string_view doing) const;

 private:
  Connection() = default;
  // One connection attempt; false (with the handle's error set) when it failed.
  bool try_connect(const ConnectionOptions& options, bool plain_fallback,
                   const std::string* password);
  void check_tls_required(SslMode mode) const;

  st_mysql* mysql_ = nullptr;
  std::string target_;
  std::string user_;
};

}  // namespace twinlog
