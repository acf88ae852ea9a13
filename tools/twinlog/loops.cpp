// twinlog loops: the transactions of each master's binlog that show a replication
// loop (the same transaction more than once, a third server's transactions, the
// peer's own ones applied again), and the settings of the pair that loop or will
// (src/checks/loop_check.h).
#include <unistd.h>

#include <iostream>

#include "src/checks/loop_check.h"
#include "src/print/json_writer.h"
#include "src/report/render.h"
#include "tools/twinlog/commands.h"
#include "tools/twinlog/input_options.h"
#include "tools/twinlog/pair_options.h"
#include "tools/twinlog/report_options.h"

namespace twinlog::cli {
namespace {

using checks::LoopCheck;

void append_totals_text(const LoopCheck& check, std::string& out) {
  const LoopCheck::Totals& t = check.totals();
  out += check.source_name() + ": " + std::to_string(t.transactions) + " transactions, " +
         std::to_string(t.repeated) + " of them more than once (" + std::to_string(t.copies) +
         " extra copies), " + std::to_string(t.foreign) + " from a server id neither master's\n";
}

void append_totals_json(const LoopCheck& check, std::string& out) {
  const LoopCheck::Totals& t = check.totals();
  JsonObject o(out);
  o.str("server", check.source_name()).num("transactions", t.transactions);
  o.num("repeated", t.repeated).num("copies", t.copies).num("foreign", t.foreign);
  o.close();
}

// Reads one master's binlog through its check. False after printing the error
// that stopped the reading (the findings so far still count).
bool check_binlog(const MasterInput& source, LoopCheck& check,
                  const StreamOptions& stream_options) {
  EventStream stream(*source.binlogs, stream_options);
  print_warnings_to_stderr(stream);
  try {
    StreamEvent se;
    while (stream.next(se)) check.add(se);
    check.finish();
  } catch (const std::exception& e) {  // SourceError, or a connection failure
    check.finish();
    std::cerr << "twinlog loops: " << e.what() << "\n";
    return false;
  }
  return true;
}

}  // namespace

int run_loops(const Args& args) {
  po::options_description options("twinlog loops options");
  po::positional_options_description positional;
  add_pair_options(options, positional);
  add_report_options(options, "text, jsonl (one object per finding) or json");
  po::variables_map vm;
  int code = 0;
  if (!parse_command_line(args,
                          "twinlog loops --a-cnf FILE --b-cnf FILE FILE... | "
                          "--a HOST --b HOST [options]",
                          options, positional, vm, code)) {
    return code;
  }
  const auto reporting = report_options_from(vm, "twinlog loops");
  if (!reporting) return kExitError;
  PairNeeds needs;
  needs.configs = true;
  needs.binlogs_of_one = true;
  needs.live_binlogs = true;
  auto pair = pair_input_from(vm, "twinlog loops", needs);
  if (!pair) return kExitError;

  std::vector<report::Finding> findings;
  std::vector<std::unique_ptr<LoopCheck>> checks;
  bool clean = true, third_source = false;
  for (const auto& [source, other] : {std::pair{&pair->a, &pair->b}, {&pair->b, &pair->a}}) {
    if (!source->binlogs) continue;
    auto& check = *checks.emplace_back(
        std::make_unique<LoopCheck>(*source->config, *other->config, source->name, other->name));
    if (!check_binlog(*source, check, reporting->stream)) clean = false;
    auto found = check.findings();
    findings.insert(findings.end(), std::make_move_iterator(found.begin()),
                    std::make_move_iterator(found.end()));
    third_source = third_source || check.saw_foreign();
  }
  auto settings = checks::loop_config_findings(*pair->a.config, *pair->b.config, third_source);
  findings.insert(findings.begin(), std::make_move_iterator(settings.begin()),
                  std::make_move_iterator(settings.end()));

  std::string out;
  if (reporting->format == report::Format::kText) {
    report::render_text(findings, out, isatty(STDOUT_FILENO) != 0);
    for (const auto& c : checks) append_totals_text(*c, out);
  } else {
    std::string binlogs = "[";
    for (const auto& c : checks) {
      if (binlogs.size() > 1) binlogs.push_back(',');
      append_totals_json(*c, binlogs);
    }
    binlogs.push_back(']');
    report::render(findings, reporting->format, out, false, {{"binlogs", std::move(binlogs)}});
  }
  std::cout << out << std::flush;
  if (!clean) return kExitError;
  return report::exit_code_for(findings, reporting->fail_on);
}

}  // namespace twinlog::cli
