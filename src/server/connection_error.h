// What can go wrong reaching or talking to a server, sorted into the causes an
// operator acts on (wrong password, missing privilege, TLS, nothing listening, a
// broken connection), with messages in the server's terms.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

namespace twinlog {

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

// The words describe_connect_error uses when the connector cannot load the
// authentication plugin an account needs (the command line adds its options).
inline constexpr std::string_view kPluginNotLoaded =
    "the connector cannot load the authentication plugin";

// The kind of failure a connector / server error number stands for.
FailureKind classify_error(unsigned code);
// A ConnectionError for `code` and the connector's text, said for `target`
// ("127.0.0.1:3306") and `user`.
ConnectionError describe_connect_error(unsigned code, std::string_view connector_message,
                                       std::string_view target, std::string_view user);

}  // namespace twinlog
