// twinlog audit: one answer for a pair. validate's checks first (the
// configurations; live, replication and the accounts too), then each master's
// binlog read once through every check of it (src/audit/audit_run.h). With
// --state FILE a scheduled audit reads on from where the last one stopped;
// --html FILE writes the page a DBA opens or mails, --metrics FILE what the node
// exporter's textfile collector reads.
#include <unistd.h>

#include <algorithm>
#include <ctime>
#include <iostream>
#include <system_error>

#include "src/audit/audit_checksum.h"
#include "src/audit/audit_run.h"
#include "src/audit/audit_state.h"
#include "src/audit/explain.h"
#include "src/checks/loop_check.h"
#include "src/checks/validate.h"
#include "src/checks/validate_live.h"
#include "src/print/json_writer.h"
#include "src/report/html.h"
#include "src/report/metrics.h"
#include "src/report/render.h"
#include "tools/twinlog/commands.h"
#include "tools/twinlog/input_options.h"
#include "tools/twinlog/metrics_option.h"
#include "tools/twinlog/pair_options.h"
#include "tools/twinlog/report_options.h"

namespace twinlog::cli {
namespace {

using audit::MasterRead;

std::string read_text(const MasterRead& m, const std::string& source) {
  std::string line = m.name + ": ";
  if (!m.read) return line + "binlogs not read\n";
  line += std::to_string(m.transactions) + " transactions, " + std::to_string(m.events) +
          " events, " + std::to_string(m.bytes) + " bytes read from " + source;
  if (m.skipped_events) {
    line +=
        " (" + std::to_string(m.skipped_events) + " events before the last audit's end skipped)";
  }
  if (m.before_replication) {
    line.append("; ")
        .append(std::to_string(m.before_replication))
        .append(" of its own transactions from before the pair replicated not compared");
  }
  if (m.end) line += "; ends at " + m.end->file + ":" + std::to_string(m.end->position);
  if (!m.error.empty()) line += "; stopped: " + m.error;
  return line + "\n";
}

void append_read_json(const MasterRead& m, const std::string& source, std::string& out) {
  JsonObject o(out);
  o.str("server", m.name).boolean("read", m.read).str("source", source);
  o.num("transactions", m.transactions).num("events", m.events).num("bytes", m.bytes);
  o.num("skipped_events", m.skipped_events);
  if (m.before_replication) o.num("before_replication", m.before_replication);
  if (m.end)
    o.str("end_file", m.end->file).num("end_position", m.end->position).str("gtids", m.end->gtids);
  if (!m.error.empty()) o.str("error", m.error);
  o.close();
}

}  // namespace

int run_audit(const Args& args) {
  po::options_description options("twinlog audit options");
  po::positional_options_description positional;
  add_pair_options(options, positional);
  add_report_options(options, "text, jsonl (one object per finding) or json");
  options.add_options()(
      "state", po::value<std::string>(),
      "where the last audit stopped in each master's binlog: read on from there, then write "
      "where this one stopped (created by the first audit; replaced atomically)")(
      "html", po::value<std::string>()->value_name("FILE"),
      "also write the report as one self-contained HTML page (no script, no external asset)")(
      "checksum", po::bool_switch(),
      "after the binlogs, compare the tables of both live masters chunk by chunk as twinlog "
      "checksum does (read-only); each difference is tied to its cause");
  add_metrics_option(
      options,
      "also write the run's metrics in the Prometheus text format (findings by code and "
      "severity, replication running and lag, bytes read, time, success), replaced "
      "atomically; written after a failed run too");
  po::variables_map vm;
  int code = 0;
  if (!parse_command_line(args,
                          "twinlog audit --a-cnf FILE --b-cnf FILE [FILE...] [--b-binlogs "
                          "FILE...] | --a HOST --b HOST [options]",
                          options, positional, vm, code)) {
    return code;
  }
  const auto reporting = report_options_from(vm, "twinlog audit");
  if (!reporting) return kExitError;
  const std::string state_path = vm.count("state") ? vm["state"].as<std::string>() : "";
  audit::AuditState state;
  if (!state_path.empty()) {
    std::string error;
    auto read = audit::read_audit_state(state_path, error);
    if (!read) {
      std::cerr << "twinlog audit: --state " << error << "\n";
      return kExitError;
    }
    state = *read;
  }
  MetricsOption metrics(vm, "audit");
  std::vector<report::Finding> findings;
  auto metrics_written = [&](bool success) { return metrics.write(success, findings); };
  PairNeeds needs;
  needs.configs = true;
  needs.live_binlogs = true;
  auto pair = pair_input_from(vm, "twinlog audit", needs);
  if (!pair) {
    metrics_written(false);
    return kExitError;
  }
  const bool checksum = vm["checksum"].as<bool>();
  if (checksum && (!pair->a.connect || !pair->b.connect)) {
    std::cerr << "twinlog audit: --checksum compares the tables of both live masters: give --a "
                 "and --b (offline, the binlogs cannot show a write that never reached them)\n";
    metrics_written(false);
    return kExitError;
  }
  checks::Validation validation = checks::validate_configs(*pair->a.config, *pair->b.config);
  if (pair->a.connect && pair->b.connect) {
    try {
      auto a = pair->a.connect();
      auto b = pair->b.connect();
      metrics.run().replication =
          checks::validate_live_pair(validation, *pair->a.config, *a, *pair->b.config, *b);
    } catch (const std::exception& e) {  // ConnectionError
      std::cerr << "twinlog audit: " << e.what() << "\n";
      metrics_written(false);
      return kExitError;
    }
  }
  findings = validation.findings();

  audit::AuditMaster a{pair->a.name, &*pair->a.config, pair->a.binlogs, state.a};
  audit::AuditMaster b{pair->b.name, &*pair->b.config, pair->b.binlogs, state.b};
  audit::AuditResult result = audit::run_audit(a, b, reporting->stream, warn_to_stderr);
  findings.insert(findings.end(), std::make_move_iterator(result.findings.begin()),
                  std::make_move_iterator(result.findings.end()));
  // validate judges the loop settings without a third source; the binlogs may
  // show one, and then the settings that let its transactions loop matter.
  if (result.third_source) {
    for (auto& f : checks::loop_config_findings(*pair->a.config, *pair->b.config, true)) {
      const bool known = std::any_of(findings.begin(), findings.end(), [&](const auto& g) {
        return g.code == f.code && g.message == f.message;
      });
      if (!known) findings.push_back(std::move(f));
    }
  }
  if (checksum) {
    try {
      auto a = pair->a.connect();
      auto b = pair->b.connect();
      audit::TableComparison tables = audit::compare_tables(
          *a, *b, *pair->a.config, *pair->b.config, checks::ChecksumSettings{},
          [](const std::string& text) { std::cerr << "twinlog audit: " << text << "\n"; });
      findings.insert(findings.end(), std::make_move_iterator(tables.findings.begin()),
                      std::make_move_iterator(tables.findings.end()));
      metrics.run().rows_checked = tables.rows;
    } catch (const std::exception& e) {  // ConnectionError
      std::cerr << "twinlog audit: --checksum: " << e.what() << "\n";
      metrics_written(false);
      return kExitError;
    }
  }
  // Every divergence tied to its cause, once all the findings are in.
  audit::explain(findings);
  metrics.run().bytes_checked = result.masters[0].bytes + result.masters[1].bytes;
  const std::string sources[2] = {pair->a.binlogs_source, pair->b.binlogs_source};
  bool clean = true;
  for (const MasterRead& m : result.masters) {
    if (!m.error.empty()) {
      std::cerr << "twinlog audit: master " << m.name << ": " << m.error << "\n";
      clean = false;
    }
  }

  std::string out;
  std::string masters = "[";
  for (int i = 0; i < 2; ++i) {
    if (i) masters.push_back(',');
    append_read_json(result.masters[i], sources[i], masters);
  }
  masters.push_back(']');
  report::render(findings, reporting->format, out, isatty(STDOUT_FILENO) != 0,
                 {{"masters", masters}});
  if (reporting->format == report::Format::kText) {
    for (int i = 0; i < 2; ++i) out += read_text(result.masters[i], sources[i]);
  }
  std::cout << out << std::flush;

  if (vm.count("html")) {
    report::HtmlPage page;
    page.title = "twinlog audit: A " + pair->a.config_source + ", B " + pair->b.config_source;
    for (int i = 0; i < 2; ++i) {
      std::string line = read_text(result.masters[i], sources[i]);
      line.pop_back();
      page.facts.push_back(std::move(line));
    }
    page.findings = findings;
    page.timeline = result.timeline;
    std::string html;
    report::render_html(page, html);
    try {
      report::write_file_atomically(vm["html"].as<std::string>(), html);
    } catch (const std::system_error& e) {
      std::cerr << "twinlog audit: --html: " << e.what() << "\n";
      metrics_written(false);
      return kExitError;
    }
  }
  if (!state_path.empty()) {
    audit::AuditState next;
    next.a = result.masters[0].end;
    next.b = result.masters[1].end;
    next.finished = static_cast<uint64_t>(std::time(nullptr));
    std::string error;
    if (!audit::write_audit_state(state_path, next, error)) {
      std::cerr << "twinlog audit: --state " << error << "\n";
      metrics_written(false);
      return kExitError;
    }
  }
  if (!metrics_written(clean) || !clean) return kExitError;
  return report::exit_code_for(findings, reporting->fail_on);
}

}  // namespace twinlog::cli
