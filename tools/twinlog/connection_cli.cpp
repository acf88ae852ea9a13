#include "tools/twinlog/connection_cli.h"

#include <termios.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <iostream>
#include <memory>

#include "src/report/concat.h"
#include "tools/twinlog/client_defaults_cli.h"
#include "tools/twinlog/datetime_cli.h"

namespace twinlog::cli {
namespace {

// Reads a password from the terminal without echo; nullopt when stdin is not a
// terminal.
std::optional<std::string> prompt_password() {
  if (!isatty(STDIN_FILENO)) return std::nullopt;
  std::cerr << "Enter password: " << std::flush;
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

// The mysql client's --protocol: TCP connects over TCP even to localhost (whose
// name alone means the socket to the connector), SOCKET to localhost's socket.
void apply_protocol(const std::string& given, ConnectionOptions& o) {
  std::string name;
  for (char c : given) name += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (name == "TCP") {
    if (!o.socket.empty()) throw po::error("--protocol=TCP and --socket contradict each other");
    if (o.host.empty() || o.host == "localhost") o.host = "127.0.0.1";
  } else if (name == "SOCKET") {
    if (!o.host.empty() && o.host != "localhost")
      throw po::error("--protocol=SOCKET reaches localhost only, not '" + o.host + "'");
    o.host = "localhost";
  } else if (name == "PIPE" || name == "MEMORY") {
    throw po::error("--protocol=" + name + " is for servers on Windows: use TCP or SOCKET");
  } else {
    throw po::error("--protocol must be TCP or SOCKET, not '" + given + "'");
  }
}

// The connector picks the versions it knows out of the text and ignores the rest,
// connecting with its defaults when none is left: a typo (TLSv1.9) would go unseen.
void check_tls_versions(const std::string& given, const std::string& where = "--tls-version") {
  static constexpr std::string_view kKnown[] = {"TLSv1.0", "TLSv1.1", "TLSv1.2", "TLSv1.3"};
  std::string_view rest = given;
  while (true) {
    const std::size_t comma = rest.find(',');
    std::string_view item = rest.substr(0, comma);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    if (std::find(std::begin(kKnown), std::end(kKnown), item) == std::end(kKnown))
      throw po::error(where +
                      " takes TLSv1.0, TLSv1.1, TLSv1.2 or TLSv1.3 (several separated by "
                      "commas), not '" +
                      std::string(item) + "'");
    if (comma == std::string_view::npos) return;
    rest.remove_prefix(comma + 1);
  }
}

// The MariaDB clients' boolean switches NAME[=BOOL], enable-NAME, skip-NAME and
// disable-NAME from the command line; nullopt when none is given. Throws po::error
// when they disagree or a value is not a boolean.
std::optional<bool> client_switch(const po::variables_map& vm, const std::string& name) {
  std::optional<bool> said;
  auto say = [&](bool value, const std::string& as) {
    if (said && *said != value)
      throw po::error(
          report::concat("--", as, " contradicts another --", name, " option: give one"));
    said = value;
  };
  if (vm.count(name)) {
    const std::string value = vm[name].as<std::string>();
    const std::optional<bool> b = client_bool(value);
    if (!b)
      throw po::error(
          report::concat("--", name, " takes 0, 1, on, off, true or false, not '", value, "'"));
    say(*b, name);
  }
  for (const char* prefix : {"enable-", "skip-", "disable-"}) {
    const std::string form = report::concat(prefix, name);
    if (vm.count(form) && vm[form].as<bool>()) say(std::string_view(prefix) == "enable-", form);
  }
  return said;
}

// The MariaDB clients' --ssl and --ssl-verify-server-cert, from the command line and
// then the option files (the command line wins), as the installed mariadb 10.11
// client gives them against a real server: --ssl uses TLS when the server offers
// it (plain to one without); --skip-ssl none; --ssl-verify-server-cert insists on
// TLS and checks the server's certificate against the CA and the host name
// (VERIFY_IDENTITY). --ssl-mode, MySQL's name, says it all when given.
void apply_client_tls_switches(const po::variables_map& vm, ConnectionOptions& o) {
  const std::optional<bool> ssl = client_switch(vm, "ssl");
  const std::optional<bool> verify = client_switch(vm, "ssl-verify-server-cert");
  if (vm.count("ssl-mode")) {
    if (ssl || verify)
      throw po::error(
          "give --ssl-mode or the MariaDB clients' --ssl / --ssl-verify-server-cert, not both");
    return;
  }
  bool tls_options = false;
  for (const std::string* s : {&o.ssl_ca, &o.ssl_cert, &o.ssl_key, &o.ssl_capath, &o.ssl_cipher,
                               &o.ssl_crl, &o.ssl_crlpath})
    tls_options = tls_options || !s->empty();
  // The mariadb client takes whichever of --skip-ssl and --ssl-ca comes last.
  if (ssl == false && (tls_options || verify == true))
    throw po::error(
        "--skip-ssl contradicts the TLS options given with it (the mariadb client takes "
        "whichever comes last): give one");
  const OptionFilesTls files = option_files_tls(vm);
  if (verify.value_or(files.verify.value_or(false))) {
    o.ssl_mode = SslMode::kVerifyIdentity;
    return;
  }
  // Off as said here, whatever the connector would make of a file's line.
  o.no_verify_server_cert = verify.has_value() || files.verify.has_value();
  if (ssl == false || (!ssl && !tls_options && files.ssl == false)) {
    o.ssl_mode = SslMode::kDisabled;
  } else if (ssl == true || files.ssl == true) {
    o.ssl = true;
  }
}

}  // namespace

void add_connection_options(po::options_description& options) {
  options.add_options()("host,h", po::value<std::string>(),
                        "server host (default: option files, else localhost)")(
      "port,P", po::value<unsigned>(), "TCP port (default: option files, else 3306)")(
      "socket,S", po::value<std::string>(), "Unix socket, for localhost")(
      "user,u", po::value<std::string>(), "user (default: option files, else the login name)")(
      "password,p", po::value<std::string>()->implicit_value(""),
      "ask for the password on the terminal (-p FILE: FILE is an input, not the password). "
      "The password itself is never taken from the command line: put it in an option file "
      "([client] password=...) or MYSQL_PWD")("no-defaults", po::bool_switch(),
                                              "read no option file")(
      "print-defaults", po::bool_switch(),
      "print the options the option files give and exit (a password as *****)")(
      "defaults-file", po::value<std::string>(), "read only this option file")(
      "defaults-extra-file", po::value<std::string>(),
      "read this option file after the global ones, before ~/.my.cnf")(
      "defaults-group-suffix", po::value<std::string>(), "also read the [client<SUFFIX>] group")(
      "login-path", po::value<std::string>()->value_name("NAME"),
      "also read [NAME] of MySQL's login path file (~/.mylogin.cnf, or "
      "$MYSQL_TEST_LOGIN_FILE, as mysql_config_editor writes it); its [client] and "
      "[mysqlbinlog] are read whenever it exists, after the option files, as MySQL's clients "
      "read them")(
      "ssl-mode", po::value<std::string>(),
      "DISABLED, PREFERRED, REQUIRED, VERIFY_CA or VERIFY_IDENTITY (twinlog's VERIFY_CA "
      "checks the host name too, as VERIFY_IDENTITY does; MySQL's checks the CA only)")(
      "ssl", po::value<std::string>()->implicit_value("1")->value_name("BOOL"),
      "TLS whenever the server offers it (plain to one without), as the MariaDB clients' "
      "--ssl; twinlog's default is no TLS unless an --ssl-* option or option file asks")(
      "skip-ssl", po::bool_switch(), "no TLS, as --ssl=0 and --disable-ssl")(
      "disable-ssl", po::bool_switch(), "")("enable-ssl", po::bool_switch(), "")(
      "ssl-verify-server-cert", po::value<std::string>()->implicit_value("1")->value_name("BOOL"),
      "insist on TLS and check the server's certificate and host name, as the MariaDB "
      "clients do (--ssl-mode VERIFY_IDENTITY)")("skip-ssl-verify-server-cert", po::bool_switch(),
                                                 "")("disable-ssl-verify-server-cert",
                                                     po::bool_switch(), "")(
      "enable-ssl-verify-server-cert", po::bool_switch(), "")("ssl-ca", po::value<std::string>(),
                                                              "CA certificate file (PEM)")(
      "ssl-cert", po::value<std::string>(), "client certificate file (PEM)")(
      "ssl-key", po::value<std::string>(), "client key file (PEM)")(
      "ssl-capath", po::value<std::string>(), "directory of CA certificates (hashed names)")(
      "ssl-cipher", po::value<std::string>(), "TLS ciphers allowed (OpenSSL's cipher list)")(
      "ssl-crl", po::value<std::string>(), "certificate revocation list file (PEM)")(
      "ssl-crlpath", po::value<std::string>(), "directory of certificate revocation lists")(
      "tls-version", po::value<std::string>(),
      "TLS versions allowed, e.g. TLSv1.2,TLSv1.3 (any --ssl-* or --tls-version asks for "
      "TLS, as in the MariaDB clients)")("compress,C", po::bool_switch(),
                                         "compress the protocol (binlogs: less on the network)")(
      "default-auth", po::value<std::string>(), "authentication plugin to try first")(
      "plugin-dir", po::value<std::string>(), "directory of client authentication plugins")(
      "connect-timeout", po::value<unsigned>()->default_value(10),
      "seconds to wait for a connection")(
      "protocol", po::value<std::string>(),
      "TCP (also for localhost: 127.0.0.1) or SOCKET (localhost's Unix socket)");
}

void refuse_inline_password(const po::variables_map& vm) {
  if (vm.count("password") && !vm["password"].as<std::string>().empty())
    throw po::error(
        "twinlog does not take a password on the command line (it would show in the process "
        "list and shell history): use an option file, MYSQL_PWD, or -p alone to be asked");
}

ConnectionOptions connection_options_from(const po::variables_map& vm) {
  ConnectionOptions o;
  auto str = [&](const char* name, std::string& out) {
    if (vm.count(name)) out = vm[name].as<std::string>();
  };
  str("host", o.host);
  str("socket", o.socket);
  str("user", o.user);
  str("defaults-file", o.defaults_file);
  str("defaults-extra-file", o.defaults_extra_file);
  str("defaults-group-suffix", o.defaults_group_suffix);
  str("login-path", o.login_path);
  str("ssl-ca", o.ssl_ca);
  str("ssl-cert", o.ssl_cert);
  str("ssl-key", o.ssl_key);
  str("ssl-capath", o.ssl_capath);
  str("ssl-cipher", o.ssl_cipher);
  str("ssl-crl", o.ssl_crl);
  str("ssl-crlpath", o.ssl_crlpath);
  str("tls-version", o.tls_version);
  if (vm.count("tls-version")) {
    check_tls_versions(o.tls_version);
  } else if (auto line = option_files_tls(vm).tls_version) {
    // The connector reads it from the file itself, and would skip an unknown version.
    check_tls_versions(line->value.value_or(""),
                       report::concat("tls-version (", line->origin.text(), ")"));
  }
  str("default-auth", o.default_auth);
  str("plugin-dir", o.plugin_dir);
  o.compress = (vm.count("compress") && vm["compress"].as<bool>()) || option_files_compress(vm);
  if (vm.count("port")) o.port = vm["port"].as<unsigned>();
  refuse_inline_password(vm);
  if (vm.count("password") || (vm.count(kAskPassword) && vm[kAskPassword].as<bool>()))
    o.password_first = true;
  o.ask_password = prompt_password;
  o.no_defaults = vm.count("no-defaults") && vm["no-defaults"].as<bool>();
  if (vm.count("ssl-mode")) {
    auto mode = parse_ssl_mode(vm["ssl-mode"].as<std::string>());
    if (!mode)
      throw po::error(
          "--ssl-mode must be DISABLED, PREFERRED, REQUIRED, VERIFY_CA or "
          "VERIFY_IDENTITY, not '" +
          vm["ssl-mode"].as<std::string>() + "'");
    o.ssl_mode = *mode;
  }
  apply_client_tls_switches(vm, o);
  if (vm.count("connect-timeout")) o.connect_timeout_seconds = vm["connect-timeout"].as<unsigned>();
  if (vm.count("protocol")) apply_protocol(vm["protocol"].as<std::string>(), o);
  return o;
}

void add_live_options(po::options_description& options) {
  options.add_options()("start-file", po::value<std::string>(),
                        "start in this binlog file (at --start-position)")(
      "start-position,j", po::value<uint64_t>(),
      "start at this offset (default 4); a GTID position is --start-gtid")(
      "start-oldest", po::bool_switch(), "start at the oldest binlog the server has (default)")(
      "start-end", po::bool_switch(), "start at the server's current end (SHOW MASTER STATUS)")(
      "start-gtid", po::value<std::string>(),
      "start after this MariaDB GTID position, e.g. 0-1-100")(
      "stop-file", po::value<std::string>(), "stop in this binlog file (at --stop-position)")(
      "stop-position", po::value<uint64_t>(),
      "stop once an event ends at or past this offset; a GTID position is --stop-gtid")(
      "stop-datetime", po::value<std::string>(),
      "stop at the first transaction at or after this time ('YYYY-MM-DD HH:MM:SS' in the "
      "local time zone (TZ), as mysqlbinlog reads it, or seconds since the epoch)")(
      "follow", po::bool_switch(),
      "keep reading as the server writes (default: stop at the "
      "end the server had when twinlog connected)")("stop-never", po::bool_switch(),
                                                    "mysqlbinlog's name for --follow")(
      "read-from-remote-server,R", po::bool_switch(),
      "read from the server (as -h/-P/-S do): FILE... are then the server's binlogs, read "
      "from the first (at --start-position) to the end of the last")(
      "to-last-log,t", po::bool_switch(),
      "with -R FILE...: read on past the last FILE named, to the server's current end")(
      "replica-server-id", po::value<uint32_t>(),
      "server_id to read with (default: a free one; one in use by the server or its replicas "
      "is refused)")("stop-never-slave-server-id", po::value<uint32_t>(),
                     "mysqlbinlog's name for --replica-server-id")("connection-server-id",
                                                                   po::value<uint32_t>(),
                                                                   "MySQL mysqlbinlog's name for "
                                                                   "--replica-server-id")(
      "avoid-server-id", po::value<std::vector<uint32_t>>()->composing(),
      "a server_id not to use besides those the server shows (e.g. the other master's)")(
      "report-host", po::value<std::string>(),
      "register as a replica under this name, to be seen in SHOW SLAVE HOSTS")(
      "heartbeat", po::value<unsigned>()->default_value(5),
      "seconds between heartbeats from an idle server (0: none)")(
      "reconnect-timeout", po::value<unsigned>()->default_value(60),
      "seconds to keep reconnecting after a lost connection before giving up");
}

LiveSourceOptions live_source_options_from(const po::variables_map& vm,
                                           const std::vector<std::string>& server_files) {
  LiveSourceOptions o;
  o.connection = connection_options_from(vm);
  auto flag = [&](const char* name) { return vm.count(name) && vm[name].as<bool>(); };
  std::optional<std::string> start_file;
  if (vm.count("start-file")) start_file = vm["start-file"].as<std::string>();
  if (!server_files.empty()) {
    if (start_file) throw po::error("give the first binlog as --start-file or as FILE, not both");
    start_file = server_files.front();
  }
  int starts = (start_file ? 1 : 0) + (flag("start-oldest") ? 1 : 0) + (flag("start-end") ? 1 : 0) +
               (vm.count("start-gtid") ? 1 : 0);
  if (starts > 1)
    throw po::error(
        "give one of --start-file (or -R FILE), --start-oldest, --start-end, "
        "--start-gtid");
  if (vm.count("start-position") && !start_file)
    throw po::error("--start-position needs --start-file");
  if (start_file) {
    o.start.kind = StartPoint::Kind::kPosition;
    o.start.position.file = *start_file;
    o.start.position.offset = vm.count("start-position") ? vm["start-position"].as<uint64_t>() : 4;
    if (o.start.position.offset < 4) throw po::error("--start-position is at least 4");
  } else if (flag("start-end")) {
    o.start.kind = StartPoint::Kind::kCurrentEnd;
  } else if (vm.count("start-gtid")) {
    o.start.kind = StartPoint::Kind::kGtid;
    auto gtids = protocol::GtidSet::parse(vm["start-gtid"].as<std::string>());
    if (!gtids) throw po::error("--start-gtid: " + gtids.error().message);
    o.start.gtid_state = std::move(*gtids);
  }

  const bool follow = flag("follow") || flag("stop-never");
  int stops =
      (vm.count("stop-file") ? 1 : 0) + (vm.count("stop-datetime") ? 1 : 0) + (follow ? 1 : 0);
  if (stops > 1) throw po::error("give one of --stop-file, --stop-datetime, --follow");
  if (vm.count("stop-position") && !vm.count("stop-file"))
    throw po::error("--stop-position needs --stop-file");
  if (vm.count("stop-file")) {
    o.stop.kind = StopPoint::Kind::kPosition;
    o.stop.position.file = vm["stop-file"].as<std::string>();
    o.stop.position.offset =
        vm.count("stop-position") ? vm["stop-position"].as<uint64_t>() : ~uint64_t{0};
  } else if (vm.count("stop-datetime")) {
    auto t = parse_datetime(vm["stop-datetime"].as<std::string>());
    if (!t)
      throw po::error("--stop-datetime: not a time: '" + vm["stop-datetime"].as<std::string>() +
                      "'");
    o.stop.kind = StopPoint::Kind::kTime;
    o.stop.timestamp = *t;
  } else if (follow) {
    o.stop.kind = StopPoint::Kind::kNever;
  } else if (!server_files.empty() && !flag("to-last-log")) {
    // mysqlbinlog -R FILE...: the files named, to the end of the last one.
    o.stop.kind = StopPoint::Kind::kPosition;
    o.stop.position.file = server_files.back();
    o.stop.position.offset = ~uint64_t{0};
  }
  for (const char* name :
       {"replica-server-id", "stop-never-slave-server-id", "connection-server-id"}) {
    if (!vm.count(name)) continue;
    const uint32_t id = vm[name].as<uint32_t>();
    if (o.replica_server_id && *o.replica_server_id != id)
      throw po::error("two different server_ids to read with: give one --replica-server-id");
    o.replica_server_id = id;
  }
  if (vm.count("avoid-server-id"))
    o.other_server_ids = vm["avoid-server-id"].as<std::vector<uint32_t>>();
  if (vm.count("report-host")) o.report_host = vm["report-host"].as<std::string>();
  if (vm.count("heartbeat")) o.heartbeat_seconds = vm["heartbeat"].as<unsigned>();
  if (vm.count("reconnect-timeout")) o.give_up_seconds = vm["reconnect-timeout"].as<unsigned>();
  return o;
}

SourceOpener live_source_opener(LiveSourceOptions options) {
  auto opened = std::make_shared<bool>(false);
  return [options = std::move(options), opened]() -> std::unique_ptr<EventSource> {
    if (*opened) return nullptr;
    *opened = true;
    auto source = std::make_unique<LiveSource>(options);
    try {
      source->open();
    } catch (const ConnectionError& e) {
      throw ConnectionError(e.kind(), e.code(), with_option_hint(e));
    }
    return source;
  };
}

std::string with_option_hint(const ConnectionError& e) {
  std::string text = e.what();
  if (e.kind() == FailureKind::kTls)
    text +=
        " (see --ssl-mode, --ssl-verify-server-cert, --ssl-ca, --ssl-capath, --ssl-cert, "
        "--ssl-key, --ssl-cipher, "
        "--ssl-crl and --tls-version)";
  if (text.find(kPluginNotLoaded) != std::string::npos)
    text += " (see --plugin-dir and --default-auth)";
  return text;
}

bool names_a_server(const po::variables_map& vm) {
  return vm.count("host") || vm.count("socket") || vm.count("port") || vm.count("protocol") ||
         (vm.count("read-from-remote-server") && vm["read-from-remote-server"].as<bool>());
}

}  // namespace twinlog::cli
