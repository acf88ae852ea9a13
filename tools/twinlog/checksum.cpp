// twinlog checksum: do the two live masters hold the same rows? Every table of
// the databases the pair replicates (or those named), compared chunk by chunk in
// consistent snapshots read on both masters at once, read-only; differences
// narrowed to rows, with the SQL that would repair either side (printed, never
// run). The engine is src/checks/checksum_*.
#include <unistd.h>

#include <chrono>
#include <iostream>
#include <sstream>

#include "src/checks/checksum_checkpoint.h"
#include "src/checks/checksum_run.h"
#include "src/checks/checksum_table_findings.h"
#include "src/report/render.h"
#include "tools/twinlog/commands.h"
#include "tools/twinlog/input_options.h"
#include "tools/twinlog/pair_options.h"
#include "tools/twinlog/report_options.h"

namespace twinlog::cli {
namespace {

using namespace checks;

constexpr const char* kCommand = "twinlog checksum";

std::vector<std::string> split_list(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream in(text);
  std::string item;
  while (std::getline(in, item, ',')) {
    if (!item.empty()) out.push_back(item);
  }
  return out;
}

// The progress line on a terminal: tables, chunks, rows/s, ETA from the
// tables' estimated row counts.
class ProgressLine {
 public:
  explicit ProgressLine(bool shown) : shown_(shown), start_(std::chrono::steady_clock::now()) {}
  void chunk(const ChunkDone& d, std::size_t table_index, std::size_t tables, uint64_t estimate) {
    ++chunks_;
    rows_ += std::max(d.a.rows, d.b.rows);
    if (d.rereads > 0) ++reread_;
    if (!shown_) return;
    const double elapsed =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    const double rate = elapsed > 0 ? static_cast<double>(rows_) / elapsed : 0;
    std::string line = "\r" + std::string(kCommand) + ": table " + std::to_string(table_index) +
                       "/" + std::to_string(tables) + " " + d.table->qualified() + ", " +
                       std::to_string(chunks_) + " chunks, " + std::to_string(rows_) + " rows, " +
                       std::to_string(static_cast<uint64_t>(rate)) + " rows/s";
    if (rate > 0 && estimate > rows_)
      line += ", ETA " + std::to_string(static_cast<uint64_t>((estimate - rows_) / rate)) + " s";
    std::cerr << line << "\x1b[K" << std::flush;
  }
  void clear() {
    if (shown_ && chunks_ > 0) std::cerr << "\r\x1b[K" << std::flush;
  }
  uint64_t chunks() const { return chunks_; }
  uint64_t rows() const { return rows_; }
  uint64_t reread() const { return reread_; }

 private:
  bool shown_;
  std::chrono::steady_clock::time_point start_;
  uint64_t chunks_ = 0, rows_ = 0, reread_ = 0;
};

uint64_t estimated_rows(Connection& c, const std::vector<QualifiedTable>& tables) {
  uint64_t total = 0;
  auto rows = c.query(
      "SELECT TABLE_SCHEMA, TABLE_NAME, TABLE_ROWS FROM information_schema.TABLES "
      "WHERE TABLE_TYPE = 'BASE TABLE'");
  for (const auto& row : rows.rows) {
    QualifiedTable t{row[0].value_or(""), row[1].value_or("")};
    if (!std::binary_search(tables.begin(), tables.end(), t)) continue;
    total += std::strtoull(row[2].value_or("0").c_str(), nullptr, 10);
  }
  return total;
}

}  // namespace

int run_checksum(const Args& args) {
  po::options_description options("twinlog checksum options");
  po::positional_options_description positional;
  add_pair_options(options, positional);
  add_report_options(options, "text, jsonl (one object per finding) or json");
  options.add_options()("databases", po::value<std::string>(),
                        "compare these databases (comma list) instead "
                        "of those the pair replicates")(
      "tables", po::value<std::string>(),
      "compare only these tables (comma list of "
      "db.table, or table in every chosen database)")(
      "chunk-time", po::value<double>()->default_value(0.5), "target seconds to read a chunk")(
      "chunk-rows", po::value<uint64_t>()->default_value(1000), "rows of a table's first chunk")(
      "retries", po::value<unsigned>()->default_value(3),
      "reads of a differing chunk after "
      "both masters caught up with each other, before its rows are reported")(
      "catch-up-timeout", po::value<unsigned>()->default_value(60),
      "seconds to wait for a "
      "master to catch up with the other (0: no wait, the chunk is read again at once)")(
      "max-threads-running", po::value<uint64_t>(),
      "pause while a master's Threads_running "
      "is above this")("max-lag", po::value<uint64_t>(),
                       "pause while a master's replica lag (seconds) is "
                       "above this")("checkpoint", po::value<std::string>(),
                                     "record the tables and chunks done in FILE, and "
                                     "resume from it");
  po::variables_map vm;
  int code = 0;
  if (!parse_command_line(args, "twinlog checksum --a HOST[:PORT] --b HOST[:PORT] [options]",
                          options, positional, vm, code)) {
    return code;
  }
  const auto reporting = report_options_from(vm, kCommand);
  if (!reporting) return kExitError;
  PairNeeds needs;
  needs.configs = true;
  auto pair = pair_input_from(vm, kCommand, needs);
  if (!pair) return kExitError;
  if (!pair->a.connect || !pair->b.connect) {
    std::cerr << kCommand << ": reads the tables of both live masters: give --a and --b\n";
    return kExitError;
  }
  ChecksumSettings settings;
  settings.chunk_seconds = vm["chunk-time"].as<double>();
  settings.first_chunk_rows = std::max<uint64_t>(vm["chunk-rows"].as<uint64_t>(), 1);
  settings.retries = vm["retries"].as<unsigned>();
  settings.catch_up_seconds = vm["catch-up-timeout"].as<unsigned>();
  if (vm.count("max-threads-running"))
    settings.throttle.max_threads_running = vm["max-threads-running"].as<uint64_t>();
  if (vm.count("max-lag")) settings.throttle.max_lag_seconds = vm["max-lag"].as<uint64_t>();
  TableSelection selection;
  if (vm.count("databases")) selection.databases = split_list(vm["databases"].as<std::string>());
  if (vm.count("tables")) selection.tables = split_list(vm["tables"].as<std::string>());
  std::optional<Checkpoint> checkpoint;
  try {
    if (vm.count("checkpoint")) checkpoint = Checkpoint::open(vm["checkpoint"].as<std::string>());
  } catch (const std::exception& e) {
    std::cerr << kCommand << ": " << e.what() << "\n";
    return kExitError;
  }

  std::vector<report::Finding> findings;
  ProgressLine progress(isatty(STDERR_FILENO) != 0);
  const auto notice = [&](const std::string& text) {
    progress.clear();
    std::cerr << kCommand << ": " << text << "\n";
  };
  const auto start = std::chrono::steady_clock::now();
  std::size_t compared = 0;
  try {
    auto a = pair->a.connect();
    auto b = pair->b.connect();
    const TableLists lists =
        settled_table_lists(*a, *b, *pair->a.config, *pair->b.config, selection, settings, notice);
    for (const auto& t : lists.only_a) findings.push_back(table_only_on(t, "A", "B"));
    for (const auto& t : lists.only_b) findings.push_back(table_only_on(t, "B", "A"));
    const uint64_t estimate = estimated_rows(*a, lists.both);
    BinaryChunkReader read_a(*a), read_b(*b);
    TableChecksum engine(*a, *b, read_a, read_b, settings, notice);
    for (std::size_t i = 0; i < lists.both.size(); ++i) {
      const QualifiedTable& name = lists.both[i];
      const ChecksumTable ta = describe_table(*a, name), tb = describe_table(*b, name);
      if (ta.columns != tb.columns || ta.key != tb.key) {
        findings.push_back(definition_differs(ta, tb));
        continue;
      }
      if (ta.key.empty()) findings.push_back(no_key(ta));
      ++compared;
      std::optional<KeyValue> resume;
      if (checkpoint) {
        const auto state = checkpoint->table(ta.qualified());
        // Chunks that differed before the interruption: their rows again.
        for (const auto& range : state.differing) engine.check_chunk(ta, range, findings);
        if (state.done) continue;
        resume = state.after;
      }
      engine.run(ta, resume, findings, [&](const ChunkDone& d) {
        progress.chunk(d, i + 1, lists.both.size(), estimate);
        if (checkpoint) checkpoint->chunk_done(d);
      });
      if (checkpoint) checkpoint->table_done(ta.qualified());
    }
    progress.clear();
  } catch (const std::exception& e) {
    progress.clear();
    std::cerr << kCommand << ": " << e.what() << "\n";
    return kExitError;
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  point_to_audit_for_cause(findings);
  std::string out;
  if (reporting->format == report::Format::kText) {
    report::render_text(findings, out, isatty(STDOUT_FILENO) != 0);
    char elapsed[32];
    std::snprintf(elapsed, sizeof elapsed, "%.2f", seconds);
    out += std::to_string(compared) + " tables compared, " + std::to_string(progress.chunks()) +
           " chunks (" + std::to_string(progress.reread()) + " read again after catch-up), " +
           std::to_string(progress.rows()) + " rows, in " + elapsed + " s\n";
  } else {
    report::render(findings, reporting->format, out, false);
  }
  std::cout << out << std::flush;
  return report::exit_code_for(findings, reporting->fail_on);
}

}  // namespace twinlog::cli
