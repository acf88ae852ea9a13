// twinlog stats FILE... | --host ... : counts and bytes per event type, row changes per table,
// transactions per origin server_id, the largest and longest transactions.
#include <iostream>

#include "src/print/binlog_stats.h"
#include "tools/twinlog/commands.h"
#include "tools/twinlog/connection_cli.h"
#include "tools/twinlog/input_options.h"

namespace twinlog::cli {

int run_stats(const Args& args) {
  po::options_description options("twinlog stats options");
  po::positional_options_description positional;
  add_input_options(options, positional);
  options.add_options()("format", po::value<std::string>()->default_value("text"), "text or json");
  po::variables_map vm;
  int code = 0;
  if (!parse_command_line(args, "twinlog stats FILE... | --host H [options]", options, positional, vm, code)) {
    return code;
  }
  InputOptions in = input_options_from(vm);
  auto opener = open_inputs(in, vm, "twinlog stats");
  if (!opener) return kExitError;
  const std::string format = vm["format"].as<std::string>();
  if (format != "text" && format != "json") {
    std::cerr << "twinlog stats: --format must be text or json, not '" << format << "'\n";
    return kExitError;
  }
  EventStream stream(std::move(*opener), in.stream);
  print_warnings_to_stderr(stream);
  BinlogStats stats;
  int exit_code = kExitClean;
  try {
    StreamEvent se;
    while (stream.next(se)) stats.add(se);
  } catch (const std::exception& e) {  // SourceError, or a connection failure
    std::cerr << "twinlog stats: " << e.what() << "\n";
    exit_code = kExitError;
  }
  stats.finish();
  std::cout << (format == "json" ? stats.json() : stats.text());
  if (exit_code != kExitClean) std::cerr << "twinlog stats: the counts above stop at the error\n";
  return exit_code;
}

}  // namespace twinlog::cli
