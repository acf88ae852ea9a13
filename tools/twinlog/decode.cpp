// twinlog decode FILE... | --host ... : events as text (mariadb-binlog's, by
// default as with -vv --base64-output=decode-rows) or JSON lines, from binlog files or read live
// from a server as a replica (the same output for the same events).
#include <cstdio>
#include <iostream>
#include <optional>

#include "src/print/event_selection.h"
#include "tools/twinlog/commands.h"
#include "tools/twinlog/input_options.h"
#include "tools/twinlog/selection_cli.h"

namespace twinlog::cli {
namespace {

void add_decode_options(po::options_description& options) {
  options.add_options()("format", po::value<std::string>()->default_value("text"),
                        "text, json (one array) or jsonl (one object per line)");
  add_selection_options(options);
  options.add_options()(

      "base64-output", po::value<std::string>(),
      "text: row events as BINLOG '...' statements that replay with `| mariadb` (auto, "
      "mariadb-binlog's default), as comments only (decode-rows), or refused (never). Given "
      "neither this nor -v, decode prints --base64-output=decode-rows -vv: twinlog's default "
      "is for reading")("verbose,v",
                        "text: the rows as ### pseudo-SQL; -vv (or -v -v) with column types")(
      "hexdump", "text: each event's bytes under its header line, as mariadb-binlog --hexdump")(
      "short-form", "text: the statements only, as mariadb-binlog --short-form")(
      "print-table-metadata", "text: each table map's columns and primary key")(
      "rewrite-db", po::value<std::vector<std::string>>()->composing(),
      "text: FROM->TO, as mariadb-binlog --rewrite-db: `use TO` for statements whose default "
      "database is FROM, table maps of FROM printed (and their BINLOG bytes written) as TO; "
      "the statements' text is not changed, --database selects by the names in the binlog; "
      "may be repeated")(
      "skip-gtids",
      "text: no SET @@session.gtid_domain_id / server_id / gtid_seq_no lines after a GTID "
      "event, so that a replay logs the transactions under the replaying server's own GTIDs");
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
  text.skip_gtids = vm.count("skip-gtids") > 0;
  if (vm.count("rewrite-db")) {
    for (const std::string& rule : vm["rewrite-db"].as<std::vector<std::string>>()) {
      auto parsed = parse_rewrite_rule(rule);
      if (!parsed) {
        std::cerr << "twinlog decode: --rewrite-db must be FROM->TO with both names, not '" << rule
                  << "'\n";
        return std::nullopt;
      }
      text.rewrite_db.push_back(std::move(*parsed));
    }
  }
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
  if (name == "jsonl" || name == "json") return OutputFormat::kJsonLines;
  std::cerr << "twinlog decode: --format must be text, json or jsonl, not '" << name << "'\n";
  return std::nullopt;
}

// JSON lines as the elements of one array: "[", the objects separated by ",", "]".
class JsonArray {
 public:
  // Appends `lines` (whole JSON lines) to `out` as array elements.
  void add(const std::string& lines, std::string& out) {
    size_t at = 0;
    while (at < lines.size()) {
      size_t end = lines.find('\n', at);
      if (end == std::string::npos) end = lines.size();
      out += first_ ? "[\n" : ",\n";
      first_ = false;
      out.append(lines, at, end - at);
      at = end + 1;
    }
  }
  void finish(std::string& out) const { out += first_ ? "[]\n" : "\n]\n"; }

 private:
  bool first_ = true;
};

// Prints the selected events of `stream` to stdout, in blocks of about 1 MiB; as
// one JSON array when `array`.
int print_stream(EventStream& stream, SelectedPrinter& printer, bool array) {
  std::string out, lines;
  out.reserve(1 << 20);
  JsonArray json;
  auto flush = [&] {
    std::fwrite(out.data(), 1, out.size(), stdout);
    out.clear();
  };
  try {
    StreamEvent se;
    while (stream.next(se)) {
      std::string& into = array ? lines : out;
      if (!printer.print(se, into)) {
        if (!printer.error().empty()) throw std::runtime_error(printer.error());
        break;
      }
      if (array) {
        json.add(lines, out);
        lines.clear();
      }
      if (out.size() > (1u << 20)) flush();
    }
  } catch (const std::exception& e) {  // SourceError, or a connection failure
    // What was printed stays valid: text gets mariadb-binlog's closing lines (its
    // ROLLBACK undoes a transaction the error cut), and the exit code says it failed.
    printer.finish_after_error(out);
    flush();
    std::fflush(stdout);
    std::cerr << "twinlog decode: " << e.what() << "\n";
    return kExitError;
  }
  printer.finish(out);
  if (array) json.finish(out);
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
  if (*format != OutputFormat::kText && (text->skip_gtids || !text->rewrite_db.empty())) {
    std::cerr << "twinlog decode: --rewrite-db and --skip-gtids shape the text output; JSON "
                 "prints each event's names and GTID as the binlog has them\n";
    return kExitError;
  }
  auto rules = selection_rules_from(in, vm, "twinlog decode");
  if (!rules) return kExitError;

  if (!redirect_output(vm, "twinlog decode")) return kExitError;
  EventStream stream(std::move(*opener), in.stream);
  print_warnings_to_stderr(stream);
  SelectedPrinter printer(EventSelection(std::move(*rules)), EventPrinter(*format, *text));
  return print_stream(stream, printer, vm["format"].as<std::string>() == "json");
}

}  // namespace twinlog::cli
