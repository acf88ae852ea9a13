// twinlog diff: whether A's and B's binlogs hold the same row changes, from the
// binlogs alone: per table and origin the digests of each side, the transactions
// one binlog has and the other lacks, and the copies whose rows differ
// (src/checks/diff_align.h, read by src/checks/diff_run.h).
#include <unistd.h>

#include <algorithm>
#include <iostream>

#include "src/checks/diff_run.h"
#include "src/config/live_config.h"
#include "src/report/concat.h"
#include "src/report/render.h"
#include "tools/twinlog/commands.h"
#include "tools/twinlog/input_options.h"
#include "tools/twinlog/pair_options.h"
#include "tools/twinlog/report_options.h"

namespace twinlog::cli {
namespace {

void append_totals_text(const checks::DiffResult& r, std::string& out) {
  const auto& t = r.totals;
  out += "A: " + std::to_string(t.transactions[0]) +
         " transactions, B: " + std::to_string(t.transactions[1]) + "; " +
         std::to_string(t.paired) + " found in both binlogs (" + std::to_string(t.differing) +
         " of them differing), " + std::to_string(t.missing[0]) + " of A's and " +
         std::to_string(t.missing[1]) + " of B's missing from the other, " +
         std::to_string(t.filtered[0] + t.filtered[1]) + " filtered as configured; at most " +
         std::to_string(r.peak_held) + " held unpaired at once";
  if (t.in_flight[0] + t.in_flight[1] > 0) {
    out += "; " + std::to_string(t.in_flight[0]) + " of A's and " + std::to_string(t.in_flight[1]) +
           " of B's in flight (not yet executed by the other)";
  }
  out += "\n";
}

// Both masters read live: how far `peer` has executed `side`'s binlog, from its
// replica connection to `side` (the channel whose master is side's server_id).
// Read before the binlogs: whatever the peer had executed then is in its binlog as
// read after, so what its binlog lacks before that point is missing, and what lies
// past it is in flight. Nothing when it cannot be read (said on stderr).
void read_applied_position(const MasterInput& side, const MasterInput& peer,
                           checks::DiffSide& into) {
  try {
    const std::unique_ptr<Connection> connection = peer.connect();
    config::ServerConfig status;
    config::read_replica_channels(*connection, status);
    for (const config::ConfigNote& note : status.notes) {
      std::cerr << "twinlog diff: " << peer.name << ": " << note.message
                << " (transactions in flight are reported missing)\n";
    }
    for (const config::ReplicaChannel& c : status.replica_channels) {
      if (c.master_server_id != side.config->server_id.value || c.relay_master_log_file.empty()) {
        continue;
      }
      into.applied_by_peer = BinlogPosition{c.relay_master_log_file, c.exec_master_log_pos};
      into.applied_source = report::concat(peer.name, "'s ", c.source);
      if (!c.name.empty()) into.applied_source.append(" (connection '").append(c.name).append("')");
      return;
    }
  } catch (const ConnectionError& e) {
    std::cerr << "twinlog diff: " << peer.name << ": " << e.what()
              << " (transactions in flight are reported missing)\n";
  }
}

}  // namespace

int run_diff(const Args& args) {
  po::options_description options("twinlog diff options");
  po::positional_options_description positional;
  add_pair_options(options, positional);
  add_start_options(options);
  add_report_options(options, "text, jsonl (one object per finding) or json");
  uint32_t max_lag = checks::DiffAligner::kDefaultMaxLag;
  options.add_options()(
      "max-lag", po::value<uint32_t>(&max_lag)->default_value(max_lag),
      "seconds by which one binlog may be ahead of the other before a transaction "
      "not yet in the other is reported missing (a copy keeps its original's timestamp)");
  po::variables_map vm;
  int code = 0;
  if (!parse_command_line(args,
                          "twinlog diff --a-cnf FILE --b-cnf FILE --a-binlogs FILE... "
                          "--b-binlogs FILE... | --a HOST --b HOST [options]",
                          options, positional, vm, code)) {
    return code;
  }
  const auto reporting = report_options_from(vm, "twinlog diff");
  if (!reporting) return kExitError;
  PairNeeds needs;
  needs.configs = true;
  needs.binlogs_of_both = true;
  needs.live_binlogs = true;
  needs.start_points = true;
  // A live master's binlogs go back to before the pair replicated (its set-up,
  // transactions the peer never had): diff reads them from a start point.
  for (const char* letter : {"a", "b"}) {
    const std::string live = letter, files = live + "-binlogs", start = live + "-start";
    if (vm.count(live) && !vm.count(files) && !(live == "a" && vm.count("file")) &&
        !vm.count(start) && !vm.count("since")) {
      std::cerr << "twinlog diff: a live master's binlogs need a start point: --" << start
                << " FILE:POS|GTID_SET or --since TIME\n";
      return kExitError;
    }
  }
  auto pair = pair_input_from(vm, "twinlog diff", needs);
  if (!pair) return kExitError;
  const auto before = [](const TransactionStart& start) {
    return [start](const TransactionSummary& t) { return start.before(t); };
  };

  const auto side_of = [&](const MasterInput& m) {
    checks::DiffSide side;
    side.binlogs = *m.binlogs;
    side.config = &*m.config;
    side.before_start = before(m.start);
    return side;
  };
  checks::DiffSide side_a = side_of(pair->a);
  checks::DiffSide side_b = side_of(pair->b);
  // Live binlogs (--X without --X-binlogs) of both: what one has not executed yet
  // of the other's is in flight.
  const auto live = [&](const std::string& letter) {
    return vm.count(letter) && !vm.count(letter + "-binlogs") &&
           !(letter == "a" && vm.count("file"));
  };
  if (live("a") && live("b") && pair->a.connect && pair->b.connect) {
    read_applied_position(pair->a, pair->b, side_a);
    read_applied_position(pair->b, pair->a, side_b);
  }

  const checks::DiffResult result =
      checks::run_diff(std::move(side_a), std::move(side_b), reporting->stream, max_lag,
                       [](const std::string& side, const StreamWarning& w) {
                         std::cerr << "twinlog: warning: " << side << ": " << w.file
                                   << ": at offset " << w.offset << ": " << w.message << "\n";
                       });
  for (const std::string& e : result.errors) std::cerr << "twinlog diff: " << e << "\n";

  std::string out;
  if (reporting->format == report::Format::kText) {
    report::render_text(result.findings, out, isatty(STDOUT_FILENO) != 0);
    append_totals_text(result, out);
  } else {
    report::render(result.findings, reporting->format, out, false);
  }
  std::cout << out << std::flush;
  if (!result.errors.empty()) return kExitError;
  return report::exit_code_for(result.findings, reporting->fail_on);
}

}  // namespace twinlog::cli
