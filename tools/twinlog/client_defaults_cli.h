// Whether the option files the connector reads name a server: a host= in their
// client groups makes decode and stats without a FILE read from that server, as
// mysqlbinlog -R does with the same files. (Not socket=: Debian's own
// /etc/mysql/my.cnf names one for every client.)
#pragma once

#include <boost/program_options.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "src/config/option_file.h"

namespace twinlog::cli {

namespace po = boost::program_options;

// The files the connector reads for these options (none under --no-defaults, only
// --defaults-file when given, else /etc/my.cnf, /etc/mysql/my.cnf,
// $MARIADB_HOME/my.cnf or $MYSQL_HOME/my.cnf, --defaults-extra-file, ~/.my.cnf) and
// the groups it reads ([client], [client-server], [client-mariadb], [twinlog] or
// [client<SUFFIX>]), then MySQL's login path file. An option file that cannot be
// read names no server here; a login path file that cannot be read (or a
// --login-path it lacks) does, so that connecting reports it.
bool option_files_name_a_server(const po::variables_map& vm);

// Whether the option files' client groups turn protocol compression on, as the mysql
// client reads them: a bare `compress` is on (the connector itself skips it and
// takes only compress=1), compress=0 / skip-compress off, the last line winning.
bool option_files_compress(const po::variables_map& vm);

// A boolean option's value as the clients' my_getopt reads it: 1 / on / true, 0 /
// off / false, in any case; nullopt for anything else.
std::optional<bool> client_bool(std::string_view value);

// What the option files' client groups say about TLS, as the mariadb client reads
// them, each the last line's word. `ssl`: ssl / ssl=BOOL / enable-ssl on,
// skip-ssl / disable-ssl off, and any ssl-ca, ssl-cert, ssl-key, ssl-capath,
// ssl-cipher, ssl-crl or ssl-crlpath on again ("implies --ssl"). `verify`: the same
// for ssl-verify-server-cert (bare: on; the connector would read it as off).
// `tls_version`: the last tls-version line, with where it is written.
struct OptionFilesTls {
  std::optional<bool> ssl;
  std::optional<bool> verify;
  std::optional<config::OptionLine> tls_version;
};
// Throws po::error for an ssl or ssl-verify-server-cert value that is not a
// boolean, naming the file and line.
OptionFilesTls option_files_tls(const po::variables_map& vm);

// --print-defaults as the clients print it ("twinlog would have been started with
// the following arguments:" and a line of --name=value), from those files and
// groups, then MySQL's login path file's (login_file.h) as MySQL's clients print
// it; a password shown as *****.
std::string option_file_arguments(const po::variables_map& vm);

}  // namespace twinlog::cli
