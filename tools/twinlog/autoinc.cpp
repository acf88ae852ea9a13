// twinlog autoinc: whether the two masters' auto-increment settings keep their ids
// apart, and whether the binlogs show ids outside a master's class or the same key
// inserted on both (src/checks/autoinc_check.h).
#include <unistd.h>

#include <fstream>
#include <iostream>
#include <sstream>

#include "src/checks/autoinc_check.h"
#include "src/print/json_writer.h"
#include "src/report/render.h"
#include "src/server/live_schema.h"
#include "tools/twinlog/commands.h"
#include "tools/twinlog/input_options.h"
#include "tools/twinlog/pair_options.h"
#include "tools/twinlog/report_options.h"

namespace twinlog::cli {
namespace {

using checks::AutoIncrementCheck;

// Reads one master's binlog through the check. False after printing the error
// that stopped the reading (the findings so far still count).
bool check_binlog(const MasterInput& source, AutoIncrementCheck& check,
                  const StreamOptions& stream_options) {
  EventStream stream(*source.binlogs, stream_options);
  print_warnings_to_stderr(stream);
  check.begin(source.name);
  bool clean = true;
  try {
    StreamEvent se;
    while (stream.next(se)) check.add(se);
  } catch (const std::exception& e) {  // SourceError, or a connection failure
    std::cerr << "twinlog autoinc: " << e.what() << "\n";
    clean = false;
  }
  check.end();
  return clean;
}

void append_totals_text(const AutoIncrementCheck& check, std::string& out) {
  const AutoIncrementCheck::Totals& t = check.totals();
  out += std::to_string(t.transactions) + " transactions read: " + std::to_string(t.statement_ids) +
         " statement ids (" + std::to_string(t.statements_partly) +
         " statements with ids not known after the first) and " + std::to_string(t.row_ids) +
         " row ids checked, " + std::to_string(t.keys) + " distinct keys kept, " +
         std::to_string(t.unchecked_rows) + " written rows of tables whose column is unknown\n";
}

}  // namespace

int run_autoinc(const Args& args) {
  po::options_description options("twinlog autoinc options");
  po::positional_options_description positional;
  add_pair_options(options, positional);
  options.add_options()("schema", po::value<std::string>(),
                        "table definitions (mariadb-dump --no-data output) for tables whose "
                        "CREATE TABLE is not in the binlogs read; a live master (--a / --b) "
                        "gives its own (SHOW CREATE TABLE of its AUTO_INCREMENT tables) "
                        "before this file and the binlogs' DDL");
  add_report_options(options, "text, jsonl (one object per finding) or json");
  po::variables_map vm;
  int code = 0;
  if (!parse_command_line(args,
                          "twinlog autoinc --a-cnf FILE --b-cnf FILE FILE... [--b-binlogs "
                          "FILE...] | --a HOST --b HOST [options]",
                          options, positional, vm, code)) {
    return code;
  }
  const auto report_options = report_options_from(vm, "twinlog autoinc");
  if (!report_options) return kExitError;
  std::string schema;
  if (vm.count("schema")) {
    std::ifstream in(vm["schema"].as<std::string>(), std::ios::binary);
    if (!in) {
      std::cerr << "twinlog autoinc: cannot read --schema " << vm["schema"].as<std::string>()
                << "\n";
      return kExitError;
    }
    std::ostringstream text;
    text << in.rdbuf();
    schema = text.str();
  }
  PairNeeds needs;
  needs.configs = true;
  needs.binlogs_of_one = true;
  needs.live_binlogs = true;
  auto pair = pair_input_from(vm, "twinlog autoinc", needs);
  if (!pair) return kExitError;
  std::vector<report::Finding> findings =
      checks::autoinc_config_findings(*pair->a.config, *pair->b.config);
  AutoIncrementCheck check(*pair->a.config, *pair->b.config);
  // Definitions in the order they take effect: the live masters' tables as they
  // are now, then --schema, then (while reading) the DDL of the binlogs.
  for (const MasterInput* master : {&pair->a, &pair->b}) {
    if (!master->connect) continue;
    try {
      auto connection = master->connect();
      check.add_schema(auto_increment_tables_ddl(*connection));
    } catch (const std::exception& e) {
      std::cerr << "twinlog autoinc: master " << master->name
                << ": cannot read its AUTO_INCREMENT tables: " << e.what() << "\n";
      return kExitError;
    }
  }
  check.add_schema(schema);
  bool clean = true;
  for (const MasterInput* source : {&pair->a, &pair->b}) {
    if (source->binlogs && !check_binlog(*source, check, report_options->stream)) clean = false;
  }
  auto found = check.findings();
  findings.insert(findings.end(), std::make_move_iterator(found.begin()),
                  std::make_move_iterator(found.end()));

  std::string out;
  std::string ids;
  if (report_options->format == report::Format::kJson) {
    const AutoIncrementCheck::Totals& t = check.totals();
    JsonObject o(ids);
    o.num("transactions", t.transactions).num("statement_ids", t.statement_ids);
    o.num("statements_partly", t.statements_partly).num("row_ids", t.row_ids);
    o.num("keys", t.keys).num("unchecked_rows", t.unchecked_rows);
    o.close();
  }
  report::render(findings, report_options->format, out, isatty(STDOUT_FILENO) != 0,
                 {{"ids", std::move(ids)}});
  if (report_options->format == report::Format::kText) append_totals_text(check, out);
  std::cout << out << std::flush;
  if (!clean) return kExitError;
  return report::exit_code_for(findings, report_options->fail_on);
}

}  // namespace twinlog::cli
