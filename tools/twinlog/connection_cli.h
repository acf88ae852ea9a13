// Command-line options for reaching a live server, shared by every command that
// reads one (capture today; decode and stats when given --host): the mysql client's
// connection options, and where to start and stop reading.
#pragma once

#include <boost/program_options.hpp>

#include "src/server/connection.h"
#include "src/source/live_source.h"
#include "src/stream/event_stream.h"

namespace twinlog::cli {

namespace po = boost::program_options;

// --host, --port, --socket, --user, --password (prompt only), --no-defaults,
// --defaults-file, --defaults-extra-file, --defaults-group-suffix, --login-path, --ssl-mode,
// the MariaDB clients' --ssl and --ssl-verify-server-cert (with their skip-, disable-
// and enable- forms, and from the option files), --ssl-ca, --ssl-cert, --ssl-key, --ssl-capath,
// --ssl-cipher, --ssl-crl,
// --ssl-crlpath, --tls-version, -C/--compress, --default-auth, --plugin-dir,
// --connect-timeout, --protocol.
void add_connection_options(po::options_description& options);
// A lone -p or --password, as parse_command_line (input_options.h) passes it on:
// ask for the password.
inline constexpr const char* kAskPassword = "ask-password";

// Throws po::error for a password given inline (-pSECRET, --password=SECRET), which
// every command refuses, servers or not.
void refuse_inline_password(const po::variables_map& vm);
// Throws po::error for a bad value (an unknown --ssl-mode or TLS version, on the
// command line or in an option file, a password given inline, --skip-ssl with --ssl-ca).
ConnectionOptions connection_options_from(const po::variables_map& vm);

// --start-file/--start-position, --start-oldest, --start-end, --start-gtid,
// --stop-file/--stop-position, --stop-datetime, --follow, --replica-server-id,
// --report-host, --heartbeat, --reconnect-timeout.
void add_live_options(po::options_description& options);
// Connection and live options together. `server_files` are -R's FILE...: the
// server's binlogs to read, from the first to the end of the last (to the server's
// end with --to-last-log). Throws po::error for bad values.
LiveSourceOptions live_source_options_from(const po::variables_map& vm,
                                           const std::vector<std::string>& server_files = {});

// For EventStream: opens one LiveSource (connecting, so that connection errors come
// out here) the first time it is called, and nothing after. decode and stats use it
// in place of files when names_a_server().
SourceOpener live_source_opener(LiveSourceOptions options);

// The error's text, with the options that change what it complains about named
// (the engine's messages say what is wrong in the server's terms only).
std::string with_option_hint(const ConnectionError& e);

// True when the command line names a server (--host, --socket, --port, --protocol
// or -R).
bool names_a_server(const po::variables_map& vm);

}  // namespace twinlog::cli
