#include "tools/twinlog/pair_options.h"

#include <algorithm>
#include <charconv>
#include <iostream>
#include <memory>
#include <stdexcept>
#include <tuple>

#include "src/config/live_config.h"
#include "src/config/server_identity.h"
#include "src/source/file_source.h"
#include "src/source/live_source.h"
#include "tools/twinlog/connection_cli.h"
#include "tools/twinlog/datetime_cli.h"

namespace twinlog::cli {
namespace {

// A problem with the options or an input that ends pair_input_from; its text
// follows "twinlog <command>: ".
class PairError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// One master's options as given.
struct MasterOptions {
  std::string letter;  // "a", "b": the option prefix
  std::string name;    // "A", "B"
  std::optional<std::string> cnf;
  std::vector<std::string> binlogs;
  std::optional<std::string> live;
  std::optional<std::string> server_version;

  std::string option(const char* suffix) const { return "--" + letter + suffix; }
};

template <class T>
std::optional<T> value_of(const po::variables_map& vm, const std::string& name) {
  if (!vm.count(name)) return std::nullopt;
  return vm[name].as<T>();
}

MasterOptions master_options(const po::variables_map& vm, const std::string& letter) {
  MasterOptions m;
  m.letter = letter;
  m.name = letter == "a" ? "A" : "B";
  m.cnf = value_of<std::string>(vm, letter + "-cnf");
  m.binlogs = value_of<std::vector<std::string>>(vm, letter + "-binlogs")
                  .value_or(std::vector<std::string>{});
  m.live = value_of<std::string>(vm, letter);
  m.server_version = value_of<std::string>(vm, letter + "-server-version");
  return m;
}

// --a HOST[:PORT], [IPV6]:PORT, a bare IPv6 address, or a socket path ('/...').
void set_target(const MasterOptions& m, ConnectionOptions& o) {
  const std::string& text = *m.live;
  const std::string wants =
      m.option("") + " wants HOST[:PORT] or a socket path, not '" + text + "'";
  if (text.starts_with('/')) {
    o.socket = text;
    o.host = "localhost";  // a socket is used for localhost only
    return;
  }
  std::string host = text;
  std::string port;
  if (text.starts_with('[')) {
    const auto close = text.find(']');
    if (close == std::string::npos) throw PairError(wants);
    host = text.substr(1, close - 1);
    if (close + 1 < text.size()) {
      if (text[close + 1] != ':') throw PairError(wants);
      port = text.substr(close + 2);
      if (port.empty()) throw PairError(wants);
    }
  } else if (const auto colon = text.find(':');
             colon != std::string::npos && text.find(':', colon + 1) == std::string::npos) {
    host = text.substr(0, colon);
    port = text.substr(colon + 1);
    if (port.empty()) throw PairError(wants);
  }
  if (host.empty()) throw PairError(wants);
  o.host = host;
  if (port.empty()) return;
  unsigned number = 0;
  const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), number);
  if (ec != std::errc() || end != port.data() + port.size() || number == 0 || number > 65535)
    throw PairError(wants);
  o.port = number;
}

// The usage problems, before any file or server is read.
void check_usage(const po::variables_map& vm, const MasterOptions& a, const MasterOptions& b,
                 const PairNeeds& needs) {
  if (vm.count("file") && vm.count("a-binlogs"))
    throw PairError(
        "give master A's binlogs as FILE... or with --a-binlogs, not both (FILE... is "
        "--a-binlogs)");
  int stdin_inputs = 0;
  for (const MasterOptions* m : {&a, &b}) {
    if (m->server_version && !m->cnf)
      throw PairError(m->option("-server-version") + " says how to read " + m->option("-cnf") +
                      ": give it with " + m->option("-cnf") + " FILE");
    if (m->server_version && !config::identity_from_version(*m->server_version))
      throw PairError(m->option("-server-version") +
                      " wants a server version such as 10.11.6-MariaDB or 8.0.36, not '" +
                      *m->server_version + "'");
    for (const std::string& f : m->binlogs) stdin_inputs += f == "-" ? 1 : 0;
  }
  if (stdin_inputs > 1) throw PairError("stdin ('-') can be only one binlog input");

  for (const MasterOptions* m : {&a, &b}) {
    if (needs.configs && !m->cnf && !m->live)
      throw PairError("no configuration for master " + m->name + ": give " + m->option("-cnf") +
                      " FILE or " + m->option("") + " HOST[:PORT]");
  }
  auto has_binlogs = [&](const MasterOptions& m) {
    return !m.binlogs.empty() || (needs.live_binlogs && m.live);
  };
  auto ways = [&](const MasterOptions& m) {
    std::string text =
        m.letter == "a" ? "FILE... (or --a-binlogs FILE...)" : m.option("-binlogs") + " FILE...";
    if (needs.live_binlogs) text += " or " + m.option("") + " HOST[:PORT]";
    return text;
  };
  if (needs.binlogs_of_both) {
    for (const MasterOptions* m : {&a, &b})
      if (!has_binlogs(*m))
        throw PairError("no binlogs of master " + m->name + ": give " + ways(*m));
  }
  if (needs.binlogs_of_one && !has_binlogs(a) && !has_binlogs(b))
    throw PairError("no binlogs: give master A's as " + ways(a) + ", or master B's as " + ways(b));
}

// Each file opens as a binlog file (what the command reads later opens them again).
void check_binlog_files(const MasterOptions& m) {
  for (const std::string& f : m.binlogs) {
    if (f == "-") continue;  // stdin cannot be read twice
    try {
      open_binlog_file(f);
    } catch (const SourceError& e) {
      throw PairError("master " + m.name + "'s binlogs: " + e.what());
    }
  }
}

std::string files_text(const std::vector<std::string>& files) {
  if (files.size() == 1) return files.front();
  return files.front() + " to " + files.back() + " (" + std::to_string(files.size()) + " files)";
}

// Which server reads m's option file, and why that one.
config::ServerIdentity cnf_identity(const MasterOptions& m, const Connection* live,
                                    std::string& why) {
  if (m.server_version) {
    auto id = *config::identity_from_version(*m.server_version);
    why = config::identity_text(id) + ", from " + m.option("-server-version");
    return id;
  }
  if (live) {
    if (auto id = config::identity_from_version(live->server_version())) {
      why = config::identity_text(*id) + ", the VERSION() of " + *m.live;
      return *id;
    }
  }
  if (!m.binlogs.empty() && m.binlogs.front() != "-") {
    try {
      if (auto id = config::identity_from_binlog(m.binlogs.front())) {
        why = config::identity_text(*id) + ", from the FORMAT_DESCRIPTION of " + m.binlogs.front();
        return *id;
      }
    } catch (const SourceError& e) {
      throw PairError("master " + m.name + "'s binlogs: " + e.what());
    }
  }
  config::ServerIdentity unknown;
  why = config::identity_text(unknown) + ": no " + m.option("-server-version") + ", no " +
        m.option("") + " and no binlog file of master " + m.name + " to tell";
  return unknown;
}

// The configuration (and where it came from) of one master. Returns the live
// master's name for messages ("127.0.0.1:3306", the socket), empty without one.
std::string read_config(const MasterOptions& m, const ConnectionOptions* connection,
                        MasterInput& out) {
  std::unique_ptr<Connection> live;
  if (m.live) {
    try {
      live = Connection::open(*connection);
    } catch (const ConnectionError& e) {
      throw PairError("master " + m.name + " (" + m.option("") + " " + *m.live +
                      "): " + with_option_hint(e));
    }
  }
  // As the operator wrote it: the connector's own description ("127.0.0.1 via
  // TCP/IP") has no port.
  std::string target = live ? *m.live : std::string();
  if (m.cnf) {
    const config::ServerIdentity identity = cnf_identity(m, live.get(), out.identity_source);
    try {
      out.config = config::read_server_config(*m.cnf, identity);
    } catch (const config::OptionFileError& e) {
      throw PairError(m.option("-cnf") + ": " + e.what());
    }
    out.config_source = *m.cnf;
    // The file is the configuration; the running server still tells the state of
    // its replica channels (a stopped one, a third source), which no file holds.
    if (live) config::read_replica_channels(*live, *out.config);
    return target;
  }
  if (!live) return target;
  try {
    out.config = config::read_live_config(*live);
  } catch (const ConnectionError& e) {
    throw PairError("master " + m.name + " (" + target +
                    "): reading its configuration: " + with_option_hint(e));
  } catch (const std::exception& e) {
    throw PairError("master " + m.name + " (" + target +
                    "): reading its configuration: " + e.what());
  }
  out.config_source = target;
  return target;
}

// The live master's binlogs, from its oldest to its end when first read.
SourceOpener live_binlogs(const MasterOptions& m, const ConnectionOptions& connection,
                          const MasterInput& other, const std::string& command,
                          const TransactionStart& start) {
  LiveSourceOptions o;
  o.connection = connection;
  o.start.kind = StartPoint::Kind::kOldest;
  if (start.position) {
    o.start.kind = StartPoint::Kind::kPosition;
    o.start.position = *start.position;
  } else if (start.gtids) {
    o.start.kind = StartPoint::Kind::kGtid;
    o.start.gtid_state = *start.gtids;
  }
  o.stop.kind = StopPoint::Kind::kEndAtConnect;
  // The master's own replicas and masters are avoided by LiveSource; the other
  // master of the pair too, even when it does not replicate from this one now.
  if (other.config && other.config->server_id.value != 0 &&
      other.config->server_id.value <= UINT32_MAX)
    o.other_server_ids.push_back(static_cast<uint32_t>(other.config->server_id.value));
  o.note = [prefix = command + ": master " + m.name + ": "](const std::string& text) {
    std::cerr << prefix << text << "\n";
  };
  return live_source_opener(std::move(o));
}

// The connection options both masters share, with m's target; the password asked
// for once serves every connection to either master.
ConnectionOptions connection_for(const MasterOptions& m, const ConnectionOptions& shared) {
  ConnectionOptions o = shared;
  set_target(m, o);
  return o;
}

ConnectionOptions shared_connection_options(const po::variables_map& vm) {
  ConnectionOptions o;
  try {
    o = connection_options_from(vm);
  } catch (const po::error& e) {
    throw PairError(e.what());
  }
  auto asked = std::make_shared<std::optional<std::string>>();
  o.ask_password = [ask = o.ask_password, asked]() -> std::optional<std::string> {
    if (!*asked && ask) *asked = ask();
    return *asked;
  };
  return o;
}

// --X-start FILE:POS or GTID_SET, and --since, for master m.
TransactionStart start_of(const po::variables_map& vm, const MasterOptions& m) {
  TransactionStart start;
  if (auto since = value_of<std::string>(vm, "since")) {
    start.since = parse_datetime(*since);
    if (!start.since) {
      throw PairError(
          "--since wants 'YYYY-MM-DD HH:MM:SS' (local time, as --start-datetime) or seconds "
          "since the epoch, not '" +
          *since + "'");
    }
  }
  const auto text = value_of<std::string>(vm, m.option("-start").substr(2));
  if (!text) return start;
  // FILE:POS, unless FILE is a MySQL server uuid (then uuid:N is a GTID set).
  const std::size_t colon = text->rfind(':');
  if (colon != std::string::npos && colon > 0 && colon + 1 < text->size() &&
      text->find_first_not_of("0123456789", colon + 1) == std::string::npos &&
      text->find(':') == colon &&
      !(colon == 36 && std::count(text->begin(), text->begin() + 36, '-') == 4)) {
    BinlogPosition p;
    p.file = text->substr(0, colon);
    const char* digits = text->data() + colon + 1;
    std::from_chars(digits, text->data() + text->size(), p.offset);
    start.position = std::move(p);
    return start;
  }
  auto gtids = protocol::GtidSet::parse(*text);
  if (!gtids || gtids->empty()) {
    throw PairError(m.option("-start") + " wants FILE:POS or a GTID set, not '" + *text + "'");
  }
  start.gtids = std::move(*gtids);
  return start;
}

}  // namespace

bool TransactionStart::before(const TransactionSummary& t) const {
  if (since && t.first_timestamp < *since) return true;
  if (gtids && t.gtid && gtids->contains(*t.gtid)) return true;
  if (position) {
    const std::size_t slash = t.file.rfind('/');
    const std::string_view name = slash == std::string::npos
                                      ? std::string_view(t.file)
                                      : std::string_view(t.file).substr(slash + 1);
    const int order = compare_binlog_names(name, position->file);
    if (order < 0 || (order == 0 && t.start < position->offset)) return true;
  }
  return false;
}

void add_start_options(po::options_description& options) {
  po::options_description start("where to start in the binlogs");
  start.add_options()("a-start", po::value<std::string>()->value_name("FILE:POS|GTID_SET"),
                      "start in A's binlogs at this position (a transaction's first event), or "
                      "after the transactions of this GTID set")(
      "b-start", po::value<std::string>()->value_name("FILE:POS|GTID_SET"),
      "start in B's binlogs there")(
      "since", po::value<std::string>()->value_name("TIME"),
      "only the transactions that began at or after TIME ('YYYY-MM-DD HH:MM:SS' in the local "
      "time zone as --start-datetime reads it, TZ honoured, or seconds since the epoch) in "
      "both masters' binlogs");
  options.add(start);
}

void add_pair_options(po::options_description& options,
                      po::positional_options_description& positional) {
  po::options_description pair("the pair");
  pair.add_options()("a-cnf", po::value<std::string>()->value_name("FILE"),
                     "master A's option file, read as A's server reads it (groups, version)")(
      "b-cnf", po::value<std::string>()->value_name("FILE"), "master B's option file")(
      "a-binlogs",
      po::value<std::vector<std::string>>()->multitoken()->composing()->value_name("FILE..."),
      "master A's binlog files in order (plain or .zst, '-' stdin)")(
      "b-binlogs",
      po::value<std::vector<std::string>>()->multitoken()->composing()->value_name("FILE..."),
      "master B's binlog files in order")(
      "file", po::value<std::vector<std::string>>()->multitoken()->value_name("FILE..."),
      "positional FILE...: shorthand for --a-binlogs")(
      "a", po::value<std::string>()->value_name("HOST[:PORT]"),
      "master A live, read-only ('/path': a socket): its configuration unless --a-cnf, its "
      "binlogs (oldest to current end) unless --a-binlogs")(
      "b", po::value<std::string>()->value_name("HOST[:PORT]"), "master B live, read-only")(
      "a-server-version", po::value<std::string>()->value_name("VERSION"),
      "the server reading --a-cnf, e.g. 10.11.6-MariaDB or 8.0.36 (default: --a's VERSION(), "
      "else A's first binlog file's FORMAT_DESCRIPTION, else MariaDB of unknown version)")(
      "b-server-version", po::value<std::string>()->value_name("VERSION"),
      "the server reading --b-cnf (defaults as for A)");
  positional.add("file", -1);
  options.add(pair);

  // The client's connection options, but the target: --a and --b name it.
  po::options_description all_connection;
  add_connection_options(all_connection);
  po::options_description connection("connecting to --a and --b (shared by both)");
  for (const auto& o : all_connection.options()) {
    const std::string& name = o->long_name();
    if (name != "host" && name != "port" && name != "socket") connection.add(o);
  }
  options.add(connection);
}

std::optional<PairInput> pair_input_from(const po::variables_map& vm, const char* command,
                                         const PairNeeds& needs) {
  MasterOptions a = master_options(vm, "a");
  MasterOptions b = master_options(vm, "b");
  if (vm.count("file")) a.binlogs = vm["file"].as<std::vector<std::string>>();
  PairInput pair;
  pair.a.name = a.name;
  pair.b.name = b.name;
  try {
    check_usage(vm, a, b, needs);
    std::optional<ConnectionOptions> shared;
    if (a.live || b.live) shared = shared_connection_options(vm);
    std::optional<ConnectionOptions> a_connection, b_connection;
    if (a.live) a_connection = connection_for(a, *shared);
    if (b.live) b_connection = connection_for(b, *shared);
    check_binlog_files(a);
    check_binlog_files(b);
    if (needs.start_points) {
      pair.a.start = start_of(vm, a);
      pair.b.start = start_of(vm, b);
    }
    const std::string a_target = read_config(a, a_connection ? &*a_connection : nullptr, pair.a);
    const std::string b_target = read_config(b, b_connection ? &*b_connection : nullptr, pair.b);
    for (auto [m, in, connection, other, target] :
         {std::tuple{&a, &pair.a, &a_connection, &pair.b, &a_target},
          std::tuple{&b, &pair.b, &b_connection, &pair.a, &b_target}}) {
      if (m->live) {
        in->connect = [options = **connection]() { return Connection::open(options); };
      }
      if (!m->binlogs.empty()) {
        in->binlogs = binlog_files_opener(m->binlogs);
        in->binlogs_source = files_text(m->binlogs);
      } else if (m->live && needs.live_binlogs) {
        in->binlogs = live_binlogs(*m, **connection, *other, command, in->start);
        in->binlogs_source = *target;
      }
    }
  } catch (const PairError& e) {
    std::cerr << command << ": " << e.what() << "\n";
    return std::nullopt;
  }
  return pair;
}

}  // namespace twinlog::cli
