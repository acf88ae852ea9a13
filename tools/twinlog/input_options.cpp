#include "tools/twinlog/input_options.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iostream>

#include "tools/twinlog/client_defaults_cli.h"
#include "tools/twinlog/commands.h"
#include "tools/twinlog/connection_cli.h"
#include "tools/twinlog/datetime_cli.h"
#include "tools/twinlog/refused_cli.h"
#include "tools/twinlog/selection_cli.h"

namespace twinlog::cli {

void add_input_options(po::options_description& options,
                       po::positional_options_description& positional) {
  options.add_options()(
      "file", po::value<std::vector<std::string>>()->multitoken(),
      "binlog files, in order ('-' is stdin; zstd-compressed ones are known by their content)")(
      "verify-checksum", "verify CRC32 of every event (default)")(
      "verify-binlog-checksum,c", po::bool_switch(),
      "mysqlbinlog's name for --verify-checksum (twinlog's default)")(
      "no-verify-checksum", "do not verify CRC32 (read past checksum mismatches)")(
      "strict", "an unknown event type is an error, not a warning")(
      "force-read,f", po::bool_switch(),
      "read on past an unknown event type (twinlog's default, with a warning; --strict "
      "stops there) and start at a --start-position inside an event")(
      "result-file,r", po::value<std::string>(), "write the output to this file, not stdout");
  positional.add("file", -1);
  po::options_description live("reading from a server (instead of files)");
  add_connection_options(live);
  add_live_options(live);
  options.add(live);
}

InputOptions input_options_from(const po::variables_map& vm) {
  InputOptions in;
  if (vm.count("file")) in.files = vm["file"].as<std::vector<std::string>>();
  in.stream.verify_checksum = !vm.count("no-verify-checksum");
  in.stream.strict = vm.count("strict") > 0;
  return in;
}

bool redirect_output(const po::variables_map& vm, const char* command) {
  if (!vm.count("result-file")) return true;
  const std::string path = vm["result-file"].as<std::string>();
  if (std::freopen(path.c_str(), "w", stdout) != nullptr) return true;
  std::cerr << command << ": cannot write " << path << ": " << std::strerror(errno) << "\n";
  return false;
}

namespace {

template <class T>
bool has_type(const po::value_semantic* s) {
  return dynamic_cast<const po::typed_value<T>*>(s) != nullptr;
}

// boost::program_options reads "-5" into an unsigned option as 2^64 - 5 (its
// lexical_cast wraps a negative), so a minus sign on one is refused here. Returns
// the option given a negative value, or nullptr.
const po::option* negative_unsigned(const po::parsed_options& parsed,
                                    const po::options_description& options) {
  for (const po::option& o : parsed.options) {
    const po::option_description* d = options.find_nothrow(o.string_key, false);
    if (!d) continue;
    const po::value_semantic* s = d->semantic().get();
    if (!has_type<unsigned long>(s) && !has_type<unsigned>(s) && !has_type<unsigned short>(s) &&
        !has_type<std::vector<unsigned>>(s) && !has_type<std::vector<unsigned long>>(s)) {
      continue;
    }
    for (const std::string& v : o.value) {
      if (v.find('-') != std::string::npos) return &o;
    }
  }
  return nullptr;
}

// A command that names its servers otherwise (the check commands' --a / --b) still
// takes the clients' -h, -P and -S, to refuse them with what to give instead,
// rather than reading -h as help or a host as a file name.
constexpr const char* kHostForms[][2] = {
    {"host,h", "host"}, {"port,P", "port"}, {"socket,S", "socket"}};

// The options that are there to be refused, for parsing (--help does not list them).
po::options_description host_refusals(const po::options_description& options) {
  po::options_description hidden;
  if (options.find_nothrow("host", false) != nullptr) return hidden;
  for (const auto& form : kHostForms) hidden.add_options()(form[0], po::value<std::string>(), "");
  return hidden;
}

void refuse_host_options(const po::options_description& options, const po::variables_map& vm) {
  if (options.find_nothrow("host", false) != nullptr) return;
  for (const auto& form : kHostForms) {
    if (vm.count(form[1]))
      throw po::error(std::string("--") + form[1] +
                      " is not an option of this command: it reads two masters, named with "
                      "--a HOST[:PORT] and --b HOST[:PORT] ('/path' for a socket)");
  }
}

// The clients' -p and --password take a password only attached (-pSECRET,
// --password=SECRET): alone they ask for it, and the next word is not the password
// but what it is anyway (a file name). boost reads "-p FILE" as the password FILE,
// so a lone -p / --password is given as --ask-password (connection_cli.h). The
// same for the clients' switches --ssl and --ssl-verify-server-cert, which take a
// value only attached (--ssl=0): boost would read "--ssl FILE" as --ssl=FILE.
std::vector<std::string> with_lone_password_marked(const std::vector<std::string>& args) {
  std::vector<std::string> out = args;
  for (std::string& a : out) {
    if (a == "--") break;
    if (a == "-p" || a == "--password") a = "--" + std::string(kAskPassword);
    if (a == "--ssl" || a == "--ssl-verify-server-cert") a += "=1";
  }
  return out;
}

}  // namespace

std::string version_line() {
  return std::string("twinlog ") + TWINLOG_VERSION;
}

bool parse_command_line(const std::vector<std::string>& args, const char* usage_line,
                        const po::options_description& options,
                        const po::positional_options_description& positional, po::variables_map& vm,
                        int& exit_code) {
  po::options_description all(options);
  // -? and -V as in the mysql client and mysqlbinlog, where -h is the host.
  all.add_options()("help,?", "show this help")("version,V", "print twinlog's version");
  po::options_description parsing(all);
  parsing.add(host_refusals(options));
  parsing.add(refused_options(options));
  if (options.find_nothrow("password", false) != nullptr)
    parsing.add_options()(kAskPassword, po::bool_switch(), "");
  try {
    const po::parsed_options parsed = po::command_line_parser(with_lone_password_marked(args))
                                          .options(parsing)
                                          .positional(positional)
                                          .run();
    if (const po::option* o = negative_unsigned(parsed, all)) {
      // mariadb-binlog's -j / --stop-position also take a GTID position: say where it goes.
      const bool position = o->string_key == "start-position" || o->string_key == "stop-position";
      throw po::error("the argument ('" + o->value.front() + "') for option '--" + o->string_key +
                      "' is invalid: it is a number of 0 or more" +
                      (position ? std::string(" (a GTID position is --") +
                                      o->string_key.substr(0, o->string_key.find('-')) + "-gtid)"
                                : std::string()));
    }
    po::store(parsed, vm);
    po::notify(vm);
    refuse_host_options(options, vm);
    refuse_inline_password(vm);
    refuse_given(options, vm);
  } catch (const po::error& e) {
    std::cerr << "twinlog: " << e.what() << "\nusage: " << usage_line << "\n";
    exit_code = kExitError;
    return false;
  }
  if (vm.count("help")) {
    std::cout << "usage: " << usage_line << "\n\n" << all << "\n" << refused_help(options);
    exit_code = kExitClean;
    return false;
  }
  if (vm.count("print-defaults") && vm["print-defaults"].as<bool>()) {
    std::cout << option_file_arguments(vm);
    exit_code = kExitClean;
    return false;
  }
  if (vm.count("version")) {
    std::cout << version_line() << "\n";
    exit_code = kExitClean;
    return false;
  }
  return true;
}

std::optional<SelectionRules> selection_rules_from(const InputOptions& in,
                                                   const po::variables_map& vm,
                                                   const char* command) {
  SelectionRules rules;
  if (!in.files.empty()) {
    rules.first_file = in.files.front();
    rules.last_file = in.files.back();
    if (vm.count("start-position")) rules.start_position = vm["start-position"].as<uint64_t>();
    if (vm.count("stop-position")) rules.stop_position = vm["stop-position"].as<uint64_t>();
    rules.start_inside_event = vm.count("force-read") && vm["force-read"].as<bool>();
  }
  for (const char* name : {"start-datetime", "stop-datetime"}) {
    if (!vm.count(name) || (in.files.empty() && std::string_view(name) == "stop-datetime"))
      continue;
    auto t = parse_datetime(vm[name].as<std::string>());
    if (!t) {
      std::cerr << command << ": --" << name << " wants 'YYYY-MM-DD HH:MM:SS', not '"
                << vm[name].as<std::string>() << "'\n";
      return std::nullopt;
    }
    (std::string_view(name) == "start-datetime" ? rules.start_time : rules.stop_time) = *t;
  }
  if (!selection_filters_from(vm, !in.files.empty(), rules, command)) return std::nullopt;
  return rules;
}

std::optional<SourceOpener> open_inputs(const InputOptions& in, const po::variables_map& vm,
                                        const char* command) {
  // mysqlbinlog -R's habit: no FILE, and a host= in the option files' [client].
  if (names_a_server(vm) || (in.files.empty() && option_files_name_a_server(vm))) {
    const bool remote =
        vm.count("read-from-remote-server") && vm["read-from-remote-server"].as<bool>();
    if (!in.files.empty() && !remote) {
      std::cerr << command
                << ": give binlog files or a server (--host/--socket/--port), not both (with -R, "
                   "FILE... are the server's binlogs to read)\n";
      return std::nullopt;
    }
    try {
      return live_source_opener(live_source_options_from(vm, in.files));
    } catch (const po::error& e) {
      std::cerr << command << ": " << e.what() << "\n";
      return std::nullopt;
    }
  }
  if (in.files.empty()) {
    std::cerr << command << ": no binlog file given (use '-' for stdin, or --host for a server)\n";
    return std::nullopt;
  }
  for (const char* live_only :
       {"start-file", "stop-file", "replica-server-id", "stop-never-slave-server-id",
        "connection-server-id", "report-host", "follow", "stop-never", "to-last-log",
        "start-oldest", "start-end"}) {
    const bool given = vm.count(live_only) && !vm[live_only].defaulted();
    const auto* on = given ? boost::any_cast<bool>(&vm[live_only].value()) : nullptr;
    if (given && (on == nullptr || *on)) {
      std::cerr << command << ": --" << live_only << " is for reading from a server\n";
      return std::nullopt;
    }
  }
  return binlog_files_opener(in.files);
}

void warn_to_stderr(const StreamWarning& w) {
  std::cerr << "twinlog: warning: " << w.file << ": at offset " << w.offset << ": " << w.message
            << "\n";
}

void print_warnings_to_stderr(EventStream& stream) {
  stream.on_warning(warn_to_stderr);
}

}  // namespace twinlog::cli
