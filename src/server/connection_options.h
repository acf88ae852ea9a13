// How twinlog connects to a server, the way the mysql client does: host, port,
// socket, user, option files ([client] groups, ~/.my.cnf, --defaults-file,
// --defaults-extra-file, --defaults-group-suffix) and TLS (--ssl-mode, --ssl-ca,
// --ssl-cert, --ssl-key). The password comes from an option file, MYSQL_PWD or a
// prompt on the terminal; it is never taken from the command line, printed or
// logged. Connecting goes through libmariadb; its errors become ConnectionErrors
// that say what went wrong in words an operator can act on.
#pragma once

#include <initializer_list>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

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
  bool prompt_password = false;       // ask on the terminal even if an option file has one
  bool no_defaults = false;           // read no option file at all
  std::string defaults_file;          // read only this option file
  std::string defaults_extra_file;    // read this after the global files, before ~/.my.cnf
  std::string defaults_group_suffix;  // also read [client<suffix>]
  SslMode ssl_mode = SslMode::kDefault;
  std::string ssl_ca, ssl_cert, ssl_key;
  unsigned connect_timeout_seconds = 10;
  unsigned read_timeout_seconds = 0;  // 0: the connector's default
};

// Where a connection or a statement failed, in the terms an operator acts on.
enum class FailureKind {
  kAccessDenied,  // wrong user or password
  kPrivileges,    // connected, but the user lacks a privilege
  kTls,           // TLS handshake, certificate or ssl-mode requirement
  kUnreachable,   // nothing listening, host unknown, socket missing
  kLost,          // the connection broke after it was made
  kServer,        // any other error the server reported
  kClient,        // anything else on the client side
};

class ConnectionError : public std::runtime_error {
 public:
  ConnectionError(FailureKind kind, unsigned code, const std::string& message)
      : std::runtime_error(message), kind_(kind), code_(code) {}
  FailureKind kind() const { return kind_; }
  unsigned code() const { return code_; }  // server or connector error number, 0 if none

 private:
  FailureKind kind_;
  unsigned code_;
};

// The kind of failure a connector / server error number stands for.
FailureKind classify_error(unsigned code);
// A ConnectionError for `code` and the connector's text, said for `target`
// ("127.0.0.1:3306") and `user`.
ConnectionError describe_connect_error(unsigned code, std::string_view connector_message,
                                       std::string_view target, std::string_view user);

// The option file lines twinlog hands the connector so that it reads the usual
// files in the mysql client's order with the extra file in the middle:
// /etc/my.cnf, /etc/mysql/my.cnf, $MARIADB_HOME (or $MYSQL_HOME)/my.cnf, the extra
// file, ~/.my.cnf. Only files that exist are listed.
std::vector<std::string> option_file_chain(const std::string& extra_file);

// One connection to a server. Not copyable; closes on destruction.
class Connection {
 public:
  // Connects or throws ConnectionError. The password, once prompted for, is kept
  // in `password_cache` so that reconnects do not ask again.
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
  // Runs the first of `forms` the server parses: the others are tried in turn
  // while the server answers ER_PARSE_ERROR (1064). For statements MySQL 8.4
  // renamed (SHOW MASTER STATUS -> SHOW BINARY LOG STATUS, SHOW SLAVE HOSTS ->
  // SHOW REPLICAS) while MariaDB keeps the old names.
  Rows query_first_parsed(std::initializer_list<std::string_view> forms);
  // A ConnectionError from the connection's current error state.
  ConnectionError last_error(std::string_view doing) const;

 private:
  Connection() = default;
  st_mysql* mysql_ = nullptr;
  std::string target_;
  std::string user_;
};

// Reads a password from the terminal without echo; nullopt when stdin is not a
// terminal.
std::optional<std::string> prompt_password(std::string_view prompt);

}  // namespace twinlog
