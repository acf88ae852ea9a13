// twinlog filters: for every transaction of a master's binlog, whether the other
// master applies it and logs it again, decided by both masters' filter rules as
// the servers decide; findings for the transactions the rules treat in a way the
// pair did not mean (src/checks/filter_check.h), and for the rules themselves.
#include <unistd.h>

#include <iostream>

#include "src/checks/filter_check.h"
#include "src/checks/filter_pair.h"
#include "src/print/json_writer.h"
#include "src/report/render.h"
#include "tools/twinlog/commands.h"
#include "tools/twinlog/input_options.h"
#include "tools/twinlog/pair_options.h"
#include "tools/twinlog/report_options.h"

namespace twinlog::cli {
namespace {

using checks::FilterCheck;
using checks::Outcome;
using checks::StatementDecision;
using checks::TransactionDecision;

void outcome_json(JsonObject& o, std::string_view key, Outcome v) {
  if (v == Outcome::kYes || v == Outcome::kNo) {
    o.boolean(key, v == Outcome::kYes);
  } else {
    o.str(key, checks::outcome_name(v));
  }
}

void append_decision_json(const FilterCheck& check, const TransactionDecision& d,
                          std::string& out) {
  const TransactionSummary& t = d.transaction;
  JsonObject o(out);
  o.str("kind", "transaction").str("server", check.source_name()).str("to", check.other_name());
  o.str("file", t.file).num("start", t.start).num("end", t.end);
  if (t.gtid) {
    o.str("gtid", t.gtid_text());
  } else {
    o.raw("gtid") += "null";
  }
  o.num("server_id", t.server_id);
  outcome_json(o, "applied", d.applied);
  outcome_json(o, "relogged", d.relogged);
  o.str("rule", d.rule);
  if (!t.complete) o.boolean("complete", false);
  std::string& list = o.raw("statements");
  list.push_back('[');
  for (std::size_t i = 0; i < d.statements.size(); ++i) {
    const StatementDecision& s = d.statements[i];
    if (i) list.push_back(',');
    JsonObject so(list);
    so.num("position", s.position).str("format", s.row_format ? "row" : "statement");
    so.str("database", s.database);
    if (!s.table.empty()) so.str("table", s.table);
    outcome_json(so, "applied", s.applied);
    outcome_json(so, "relogged", s.relogged);
    so.str("rule", s.rule);
    if (!s.relog_rule.empty()) so.str("relog_rule", s.relog_rule);
    so.close();
  }
  list.push_back(']');
  o.close();
  out.push_back('\n');
}

std::string_view outcome_words(Outcome v, std::string_view yes, std::string_view no) {
  switch (v) {
    case Outcome::kYes:
      return yes;
    case Outcome::kNo:
      return no;
    case Outcome::kPartly:
      return "partly";
    case Outcome::kCannotTell:
      return "cannot tell";
  }
  return "cannot tell";
}

// --explain in text: one line per transaction, one more per statement when the
// statements were not decided alike.
void append_decision_text(const FilterCheck& check, const TransactionDecision& d,
                          std::string& out) {
  const TransactionSummary& t = d.transaction;
  out += t.file + " " + std::to_string(t.start) + "-" + std::to_string(t.end);
  if (t.gtid) out += " gtid " + t.gtid_text();
  out += " server_id " + std::to_string(t.server_id) + ": " + check.other_name() + " ";
  out += outcome_words(d.applied, "applies it", "skips it");
  if (d.applied != Outcome::kNo) {
    out += ", ";
    out += outcome_words(d.relogged, "logs it again", "does not log it again");
  }
  out += " (" + d.rule + ")";
  if (!t.complete) out += " [incomplete: the input ends inside it]";
  out += "\n";
  for (const StatementDecision& s : d.statements) {
    out += "    at " + std::to_string(s.position) + " ";
    out += s.row_format
               ? "rows of " + s.database + "." + s.table
               : "statement in " + (s.database.empty() ? std::string("(no database)") : s.database);
    out += ": ";
    out += outcome_words(s.applied, "applied", "skipped");
    out += " (" + s.rule + ")";
    if (s.applied != Outcome::kNo && !s.relog_rule.empty()) {
      out += ", ";
      out += outcome_words(s.relogged, "logged again", "not logged again");
      out += " (" + s.relog_rule + ")";
    }
    if (!s.text.empty()) out += "\n        " + s.text.substr(0, s.text.find('\n'));
    out += "\n";
  }
}

void append_totals_text(const FilterCheck& check, std::string& out) {
  const FilterCheck::Totals& t = check.totals();
  const std::string& src = check.source_name();
  const std::string& oth = check.other_name();
  out += src + " -> " + oth + ": " + std::to_string(t.transactions) + " transactions in " + src +
         "'s binlog: " + std::to_string(t.applied) + " applied by " + oth + ", " +
         std::to_string(t.skipped - t.own) + " skipped by its rules, " + std::to_string(t.own) +
         " " + oth + "'s own (skipped), " + std::to_string(t.partly) + " partly, " +
         std::to_string(t.cannot_tell) + " cannot tell; " + std::to_string(t.relogged) +
         " logged again by " + oth + "\n";
}

void append_totals_json(const FilterCheck& check, std::string& out) {
  const FilterCheck::Totals& t = check.totals();
  JsonObject o(out);
  o.str("server", check.source_name()).str("to", check.other_name());
  o.num("transactions", t.transactions).num("applied", t.applied).num("skipped", t.skipped);
  o.num("own", t.own).num("partly", t.partly).num("cannot_tell", t.cannot_tell);
  o.num("relogged", t.relogged);
  o.close();
}

struct Output {
  report::Format format;
  bool explain;
  std::string transactions;  // json --explain: the decisions, comma-separated
};

// Reads one master's binlog through its check. False after printing the error
// that stopped the reading (the findings so far still count).
bool check_binlog(const MasterInput& source, FilterCheck& check,
                  const StreamOptions& stream_options, Output& output) {
  EventStream stream(*source.binlogs, stream_options);
  print_warnings_to_stderr(stream);
  std::string buffer;
  auto emit = [&](const TransactionDecision& d) {
    switch (output.format) {
      case report::Format::kJsonLines:
        append_decision_json(check, d, buffer);
        break;
      case report::Format::kText:
        if (output.explain) append_decision_text(check, d, buffer);
        break;
      case report::Format::kJson:
        if (output.explain) {
          if (!output.transactions.empty()) output.transactions.push_back(',');
          append_decision_json(check, d, output.transactions);
          output.transactions.pop_back();  // the newline
        }
        break;
    }
    if (buffer.size() > (1u << 16)) {
      std::cout << buffer;
      buffer.clear();
    }
  };
  bool clean = true;
  try {
    StreamEvent se;
    while (stream.next(se)) {
      if (const TransactionDecision* d = check.add(se)) emit(*d);
    }
    if (const TransactionDecision* d = check.finish()) emit(*d);
  } catch (const std::exception& e) {  // SourceError, or a connection failure
    std::cout << buffer << std::flush;
    buffer.clear();
    std::cerr << "twinlog filters: " << e.what() << "\n";
    clean = false;
  }
  std::cout << buffer;
  return clean;
}

}  // namespace

int run_filters(const Args& args) {
  po::options_description options("twinlog filters options");
  po::positional_options_description positional;
  add_pair_options(options, positional);
  options.add_options()("explain", "print every transaction's decision with the rule that made it");
  add_report_options(options,
                     "text, jsonl (one object per transaction, then one per finding) or json");
  po::variables_map vm;
  int code = 0;
  if (!parse_command_line(args,
                          "twinlog filters --a-cnf FILE --b-cnf FILE FILE... | "
                          "--a HOST --b HOST [options]",
                          options, positional, vm, code)) {
    return code;
  }
  const auto report_options = report_options_from(vm, "twinlog filters");
  if (!report_options) return kExitError;
  const report::Format format = report_options->format;
  PairNeeds needs;
  needs.configs = true;
  needs.binlogs_of_one = true;
  needs.live_binlogs = true;
  auto pair = pair_input_from(vm, "twinlog filters", needs);
  if (!pair) return kExitError;
  const StreamOptions& stream_options = report_options->stream;

  Output output{format, vm.count("explain") > 0, {}};
  std::vector<report::Finding> findings = checks::pair_findings(*pair->a.config, *pair->b.config);
  std::vector<std::unique_ptr<FilterCheck>> checks;
  bool clean = true;
  for (const auto& [source, other] : {std::pair{&pair->a, &pair->b}, {&pair->b, &pair->a}}) {
    if (!source->binlogs) continue;
    auto& check = *checks.emplace_back(
        std::make_unique<FilterCheck>(*source->config, *other->config, source->name, other->name));
    if (!check_binlog(*source, check, stream_options, output)) clean = false;
    auto found = check.findings();
    findings.insert(findings.end(), std::make_move_iterator(found.begin()),
                    std::make_move_iterator(found.end()));
  }

  std::string out;
  report::DocumentMembers members;
  if (format == report::Format::kJson) {
    std::string& dirs = members.emplace_back("directions", "[").second;
    for (std::size_t i = 0; i < checks.size(); ++i) {
      if (i) dirs.push_back(',');
      append_totals_json(*checks[i], dirs);
    }
    dirs.push_back(']');
    if (output.explain) members.emplace_back("transactions", "[" + output.transactions + "]");
  }
  if (format == report::Format::kText && output.explain && !checks.empty()) out += "\n";
  report::render(findings, format, out, isatty(STDOUT_FILENO) != 0, members);
  if (format == report::Format::kText) {
    for (const auto& c : checks) append_totals_text(*c, out);
  }
  std::cout << out << std::flush;
  if (!clean) return kExitError;
  return report::exit_code_for(findings, report_options->fail_on);
}

}  // namespace twinlog::cli
