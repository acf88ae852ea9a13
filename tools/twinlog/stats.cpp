// twinlog stats FILE... | --host ... : counts and bytes per event type, row changes per table,
// transactions per origin server_id, the largest and longest transactions.
#include <iostream>

#include "src/print/binlog_stats.h"
#include "src/print/event_selection.h"
#include "tools/twinlog/commands.h"
#include "tools/twinlog/input_options.h"
#include "tools/twinlog/selection_cli.h"

namespace twinlog::cli {
namespace {

// Counts the events of `stream` that `selection` takes, as decode would print them
// (an ANNOTATE_ROWS held back under --database / --table is not counted). False after
// printing the error that stopped the reading.
bool count_stream(EventStream& stream, EventSelection selection, BinlogStats& stats) {
  try {
    StreamEvent se;
    while (stream.next(se)) {
      const EventSelection::Verdict verdict = selection.judge(se);
      if (verdict == EventSelection::Verdict::kStop) break;
      if (verdict == EventSelection::Verdict::kTake) stats.add(se);
    }
  } catch (const std::exception& e) {  // SourceError, or a connection failure
    std::cerr << "twinlog stats: " << e.what() << "\n";
    return false;
  }
  return true;
}

}  // namespace

int run_stats(const Args& args) {
  po::options_description options("twinlog stats options");
  po::positional_options_description positional;
  add_input_options(options, positional);
  options.add_options()("format", po::value<std::string>()->default_value("text"),
                        "text, json or jsonl (the same one object, on one line)");
  add_selection_options(options);
  po::variables_map vm;
  int code = 0;
  if (!parse_command_line(args, "twinlog stats FILE... | --host H [options]", options, positional,
                          vm, code)) {
    return code;
  }
  InputOptions in = input_options_from(vm);
  auto opener = open_inputs(in, vm, "twinlog stats");
  if (!opener) return kExitError;
  const std::string format = vm["format"].as<std::string>();
  if (format != "text" && format != "json" && format != "jsonl") {
    std::cerr << "twinlog stats: --format must be text, json or jsonl, not '" << format << "'\n";
    return kExitError;
  }
  auto rules = selection_rules_from(in, vm, "twinlog stats");
  if (!rules) return kExitError;

  if (!redirect_output(vm, "twinlog stats")) return kExitError;
  EventStream stream(std::move(*opener), in.stream);
  print_warnings_to_stderr(stream);
  BinlogStats stats;
  const bool clean = count_stream(stream, EventSelection(std::move(*rules)), stats);
  // After an error, the counts so far are still worth showing, but a summary of
  // nothing would read as an empty binlog: then the error stands alone.
  if (!clean && stats.events() == 0) return kExitError;
  stats.finish();
  std::cout << (format == "text" ? stats.text() : stats.json());
  if (!clean) {
    std::cerr << "twinlog stats: the counts above stop at the error\n";
    return kExitError;
  }
  return kExitClean;
}

}  // namespace twinlog::cli
