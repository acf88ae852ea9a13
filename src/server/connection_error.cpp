#include "src/server/connection_error.h"

namespace twinlog {

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
  // Not the password: the plugin the server's account asks for is not among the
  // connector's built-in ones nor in its plugin directory (the connector says so as
  // 2059, or as 1045 with its own "could not be loaded" text).
  if (code == 2059 || connector_message.find("could not be loaded") != std::string_view::npos) {
    return ConnectionError(kind, code,
                           std::string(target).append(": ").append(kPluginNotLoaded) + detail);
  }
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
            " failed: the TLS mode, CA, certificate or key does not fit the server, or the "
            "server has TLS disabled" +
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

}  // namespace twinlog
