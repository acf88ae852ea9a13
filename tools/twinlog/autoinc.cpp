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
#include "tools/twinlog/commands.h"
#include "tools/twinlog/input_options.h"
#include "tools/twinlog/pair_options.h"

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
         " INSERT_IDs and " + std::to_string(t.row_ids) + " row ids checked, " +
         std::to_string(t.keys) + " distinct keys kept, " + std::to_string(t.unchecked_rows) +
         " written rows of tables whose column is unknown\n";
}

}  // namespace

int run_autoinc(const Args& args) {
  po::options_description options("twinlog autoinc options");
  po::positional_options_description positional;
  add_pair_options(options, positional);
  options.add_options()("schema", po::value<std::string>(),
                        "table definitions (mariadb-dump --no-data output) for tables whose "
                        "CREATE TABLE is not in the binlogs read")(
      "format", po::value<std::string>()->default_value("text"),
      "text, jsonl (one object per finding) or json")(
      "fail-on", po::value<std::string>()->default_value("error"),
      "exit 1 when a finding is at or above this severity: info, warning or error")(
      "verify-checksum", "verify CRC32 of every event (default)")(
      "no-verify-checksum", "do not verify CRC32 (read past checksum mismatches)");
  po::variables_map vm;
  int code = 0;
  if (!parse_command_line(args,
                          "twinlog autoinc --a-cnf FILE --b-cnf FILE FILE... [--b-binlogs "
                          "FILE...] | --a HOST --b HOST [options]",
                          options, positional, vm, code)) {
    return code;
  }
  const auto format = report::parse_format(vm["format"].as<std::string>());
  if (!format) {
    std::cerr << "twinlog autoinc: --format must be text, jsonl or json, not '"
              << vm["format"].as<std::string>() << "'\n";
    return kExitError;
  }
  const auto fail_on = report::parse_severity(vm["fail-on"].as<std::string>());
  if (!fail_on) {
    std::cerr << "twinlog autoinc: --fail-on must be info, warning or error, not '"
              << vm["fail-on"].as<std::string>() << "'\n";
    return kExitError;
  }
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
  StreamOptions stream_options;
  stream_options.verify_checksum = !vm.count("no-verify-checksum");

  std::vector<report::Finding> findings =
      checks::autoinc_config_findings(*pair->a.config, *pair->b.config);
  AutoIncrementCheck check(*pair->a.config, *pair->b.config);
  check.add_schema(schema);
  bool clean = true;
  for (const MasterInput* source : {&pair->a, &pair->b}) {
    if (source->binlogs && !check_binlog(*source, check, stream_options)) clean = false;
  }
  auto found = check.findings();
  findings.insert(findings.end(), std::make_move_iterator(found.begin()),
                  std::make_move_iterator(found.end()));

  std::string out;
  switch (*format) {
    case report::Format::kText:
      report::render_text(findings, out, isatty(STDOUT_FILENO) != 0);
      append_totals_text(check, out);
      break;
    case report::Format::kJsonLines:
      report::render_json_lines(findings, out);
      break;
    case report::Format::kJson: {
      // The findings and their summary only: the document's schema
      // (finding.schema.json) has no member for these totals.
      JsonObject doc(out);
      std::string& list = doc.raw("findings");
      list.push_back('[');
      for (std::size_t i = 0; i < findings.size(); ++i) {
        if (i) list.push_back(',');
        report::append_finding_json(findings[i], list);
      }
      list.push_back(']');
      report::append_summary_json(report::summarize(findings), doc.raw("summary"));
      doc.close();
      out.push_back('\n');
      break;
    }
  }
  std::cout << out << std::flush;
  if (!clean) return kExitError;
  return report::exit_code_for(findings, *fail_on);
}

}  // namespace twinlog::cli
