// Which server reads an option file decides the groups it reads ([mysqld-10.11],
// [mariadb-10.11], ...) and how a line reads (MySQL vs MariaDB). When the operator
// does not say, the binlogs do: every binlog file of v4 starts with a
// FORMAT_DESCRIPTION event carrying the version of the server that wrote it.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "src/config/server_config.h"

namespace twinlog::config {

// From a server's version text ("10.11.6-MariaDB-log", "8.0.36", a handshake's
// "5.5.5-10.11.6-MariaDB"); nullopt when it does not start with a version number.
std::optional<ServerIdentity> identity_from_version(std::string_view version_text);

// The server that wrote the binlog file at `path` (plain or .zst), from its first
// event; only that event is read. nullopt when the file does not start with a
// FORMAT_DESCRIPTION event (a v3 file of MySQL 4) or it does not decode. Throws
// SourceError when the file cannot be opened or is not a binlog file.
std::optional<ServerIdentity> identity_from_binlog(const std::string& path);

// "MariaDB 10.11.6", "MySQL 8.0.36", "MariaDB (version unknown)".
std::string identity_text(const ServerIdentity& identity);

}  // namespace twinlog::config
