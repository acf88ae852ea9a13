// twinlog decode FILE... | --host ... : events as text (mariadb-binlog's, by
// default as with -vv --base64-output=decode-rows) or JSON lines, from binlog files or read live
// from a server as a replica (the same output for the same events).
#include <cstdio>
#include <iostream>
#include <optional>

#include "src/print/event_selection.h"
#include "tools/twinlog/commands.h"
#include "tools/twinlog/input_options.h"

namespace twinlog::cli {
namespace {

void add_decode_options(po::options_description& options) {
  options.add_options()("format", po::value<std::string>()->default_value("text"), "text or jsonl")(
      "start-datetime", po::value<std::string>(),
      "skip events before this time (UTC, 'YYYY-MM-DD HH:MM:SS')")(
      "database", po::value<std::string>(),
      "only statements with this default database and rows of its tables")(
      "table", po::value<std::string>(), "only rows of this table (DB.TABLE)")(
      "server-id", po::value<uint32_t>(), "only events from this originating server_id")(
      "base64-output", po::value<std::string>(),
      "text: row events as BINLOG '...' statements that replay with `| mariadb` (auto, "
      "mariadb-binlog's default), as comments only (decode-rows), or refused (never). Given "
      "neither this nor -v, decode prints --base64-output=decode-rows -vv: twinlog's default "
      "is for reading")("verbose,v",
                        "text: the rows as ### pseudo-SQL; -vv (or -v -v) with column types")(
      "hexdump", "text: each event's bytes under its header line, as mariadb-binlog --hexdump")(
      "short-form", "text: the statements only, as mariadb-binlog --short-form")(
      "print-table-metadata", "text: each table map's columns and primary key");
}

// -v, -vv, -vvv and --verbose counted (the option parser keeps no count) and taken
// out of the arguments.
int take_verbosity(Args& args) {
  int count = 0;
  Args kept;
  for (const std::string& a : args) {
    if (a == "--verbose") {
      ++count;
    } else if (a.size() > 1 && a[0] == '-' && a.find_first_not_of('v', 1) == std::string::npos) {
      count += static_cast<int>(a.size()) - 1;
    } else {
      kept.push_back(a);
    }
  }
  args = std::move(kept);
  return count;
}

std::optional<TextOptions> text_options_from(const po::variables_map& vm, int verbosity) {
  TextOptions text;
  text.hexdump = vm.count("hexdump") > 0;
  text.short_form = vm.count("short-form") > 0;
  text.table_metadata = vm.count("print-table-metadata") > 0;
  if (!vm.count("base64-output")) {
    if (verbosity > 0) text.verbosity = verbosity;
    return text;
  }
  const std::string mode = vm["base64-output"].as<std::string>();
  if (mode == "auto") {
    text.base64 = Base64Output::kAuto;
  } else if (mode == "never") {
    text.base64 = Base64Output::kNever;
  } else if (mode == "decode-rows") {
    text.base64 = Base64Output::kDecodeRows;
  } else {
    std::cerr << "twinlog decode: --base64-output must be auto, never or decode-rows, not '" << mode
              << "'\n";
    return std::nullopt;
  }
  text.verbosity = verbosity;
  return text;
}

std::optional<OutputFormat> output_format_from(const po::variables_map& vm) {
  const std::string name = vm["format"].as<std::string>();
  if (name == "text") return OutputFormat::kText;
  if (name == "jsonl") return OutputFormat::kJsonLines;
  std::cerr << "twinlog decode: --format must be text or jsonl, not '" << name << "'\n";
  return std::nullopt;
}

// decode's own filters on top of the positions and times every reader shares.
bool add_filters(SelectionRules& rules, const po::variables_map& vm) {
  if (vm.count("database")) rules.database = vm["database"].as<std::string>();
  if (vm.count("table")) {
    rules.table = vm["table"].as<std::string>();
    if (rules.table->find('.') == std::string::npos) {
      std::cerr << "twinlog decode: --table wants DB.TABLE, not '" << *rules.table << "'\n";
      return false;
    }
  }
  if (vm.count("server-id")) rules.server_id = vm["server-id"].as<uint32_t>();
  return true;
}

// Prints the selected events of `stream` to stdout, in blocks of about 1 MiB.
int print_stream(EventStream& stream, SelectedPrinter& printer) {
  std::string out;
  out.reserve(1 << 20);
  auto flush = [&] {
    std::fwrite(out.data(), 1, out.size(), stdout);
    out.clear();
  };
  try {
    StreamEvent se;
    while (stream.next(se) && printer.print(se, out)) {
      if (out.size() > (1u << 20)) flush();
    }
  } catch (const std::exception& e) {  // SourceError, or a connection failure
    flush();
    std::fflush(stdout);
    std::cerr << "twinlog decode: " << e.what() << "\n";
    return kExitError;
  }
  printer.finish(out);
  flush();
  return std::fflush(stdout) == 0 ? kExitClean : kExitError;
}

}  // namespace

int run_decode(const Args& command_args) {
  Args args = command_args;
  const int verbosity = take_verbosity(args);
  po::options_description options("twinlog decode options");
  po::positional_options_description positional;
  add_input_options(options, positional);
  add_decode_options(options);
  po::variables_map vm;
  int code = 0;
  if (!parse_command_line(args, "twinlog decode FILE... | --host H [options]", options, positional,
                          vm, code)) {
    return code;
  }
  InputOptions in = input_options_from(vm);
  auto opener = open_inputs(in, vm, "twinlog decode");
  if (!opener) return kExitError;
  const auto format = output_format_from(vm);
  if (!format) return kExitError;
  const auto text = text_options_from(vm, verbosity);
  if (!text) return kExitError;
  auto rules = selection_rules_from(in, vm, "twinlog decode");
  if (!rules || !add_filters(*rules, vm)) return kExitError;

  EventStream stream(std::move(*opener), in.stream);
  print_warnings_to_stderr(stream);
  SelectedPrinter printer(EventSelection(std::move(*rules)), EventPrinter(*format, *text));
  return print_stream(stream, printer);
}

}  // namespace twinlog::cli
