// twinlog stats FILE... | --host ... : counts and bytes per event type, row changes per table,
// transactions per origin server_id, the largest and longest transactions.
#include <algorithm>
#include <filesystem>
#include <iostream>
#include <map>
#include <optional>

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
      if (verdict == EventSelection::Verdict::kStop) {
        if (selection.error().empty()) break;
        // An option that cannot hold: no counts, they would answer another question.
        std::cerr << "twinlog stats: " << selection.error() << "\n";
        stats = BinlogStats();
        return false;
      }
      if (verdict == EventSelection::Verdict::kTake) stats.add(se);
    }
  } catch (const std::exception& e) {  // SourceError, or a connection failure
    std::cerr << "twinlog stats: " << e.what() << "\n";
    return false;
  }
  return true;
}

// "dir/mysql-bin" and 12 for "dir/mysql-bin.000012" (".zst" after it dropped);
// nullopt for a name without the servers' numbered suffix.
std::optional<std::pair<std::string, uint64_t>> numbered(std::string name) {
  if (name.ends_with(".zst")) name.resize(name.size() - 4);
  const auto dot = name.rfind('.');
  if (dot == std::string::npos || dot + 1 == name.size() ||
      name.find_first_not_of("0123456789", dot + 1) != std::string::npos)
    return std::nullopt;
  return std::make_pair(name.substr(0, dot), std::stoull(name.substr(dot + 1)));
}

// The file list as given: the same file twice, or a server's files out of their
// order, counts transactions twice or tears them at the seams.
void warn_about_file_list(const std::vector<std::string>& files) {
  namespace fs = std::filesystem;
  std::vector<std::string> seen;
  std::map<std::string, std::pair<uint64_t, std::string>> last_of_stem;
  for (const std::string& f : files) {
    if (f == "-") continue;
    std::error_code ec;
    const std::string same = fs::weakly_canonical(f, ec).string();
    const std::string key = ec ? f : same;
    if (std::find(seen.begin(), seen.end(), key) != seen.end())
      std::cerr << "twinlog stats: warning: " << f
                << " is given twice: its events are counted twice\n";
    seen.push_back(key);
    const auto n = numbered(key);
    if (!n) continue;
    auto [it, fresh] = last_of_stem.try_emplace(n->first, n->second, f);
    if (!fresh && n->second < it->second.first)
      std::cerr << "twinlog stats: warning: " << f << " is given after " << it->second.second
                << ": the files are out of order, so transactions across them are torn\n";
    if (!fresh) it->second = {n->second, f};
  }
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
  warn_about_file_list(in.files);

  if (!redirect_output(vm, "twinlog stats")) return kExitError;
  EventStream stream(std::move(*opener), in.stream);
  print_warnings_to_stderr(stream);
  BinlogStats stats;
  const bool clean = count_stream(stream, EventSelection(std::move(*rules)), stats);
  // After an error, the counts so far are still worth showing, but a summary of
  // nothing would read as an empty binlog: then the error stands alone.
  if (!clean && stats.events() == 0) return kExitError;
  stats.finish();
  // The text summary says them itself; a JSON one is for machines.
  if (format != "text")
    for (const std::string& w : stats.warnings())
      std::cerr << "twinlog stats: warning: " << w << "\n";
  std::cout << (format == "text" ? stats.text() : stats.json());
  if (!clean) {
    std::cerr << "twinlog stats: the counts above stop at the error\n";
    return kExitError;
  }
  return kExitClean;
}

}  // namespace twinlog::cli
