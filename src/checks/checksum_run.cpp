#include "src/checks/checksum_run.h"

#include <future>

#include "src/checks/checksum_steps.h"

namespace twinlog::checks {

TableLists settled_table_lists(Connection& a, Connection& b, const config::ServerConfig& config_a,
                               const config::ServerConfig& config_b,
                               const TableSelection& selection, const ChecksumSettings& settings,
                               const Notice& notice) {
  TableLists lists;
  for (unsigned attempt = 0;; ++attempt) {
    lists = compare_table_lists(list_tables(a, config_a, config_b, selection),
                                list_tables(b, config_a, config_b, selection));
    if ((lists.only_a.empty() && lists.only_b.empty()) || attempt >= settings.retries) break;
    wait_caught_up(a, b, settings.catch_up_seconds, notice);
  }
  return lists;
}

TableChecksum::TableChecksum(Connection& a, Connection& b, ChunkReader& read_a, ChunkReader& read_b,
                             const ChecksumSettings& settings, Notice notice)
    : a_(a),
      b_(b),
      read_a_(read_a),
      read_b_(read_b),
      settings_(settings),
      notice_(std::move(notice)) {}

TableChecksum::Read TableChecksum::read_both(const ChecksumTable& table, const ChunkRange& range,
                                             bool keep_rows) {
  const BoundStatement statement = chunk_select(table, range);
  Read r;
  auto on_b = std::async(std::launch::async, [&] {
    return read_b_.read(statement, [&](std::string_view row) {
      r.b.add(row);
      if (keep_rows) r.rows_b.emplace_back(row);
    });
  });
  const auto& columns = read_a_.read(statement, [&](std::string_view row) {
    r.a.add(row);
    if (keep_rows) r.rows_a.emplace_back(row);
  });
  on_b.get();
  r.columns = columns;
  return r;
}

std::optional<KeyValue> TableChecksum::upper_bound(const ChecksumTable& table,
                                                   const std::optional<KeyValue>& lower,
                                                   uint64_t rows) {
  return read_key(a_, upper_bound_select(table, lower, rows), table.key.size());
}

ChunkDone TableChecksum::check_chunk(const ChecksumTable& table, const ChunkRange& range,
                                     std::vector<report::Finding>& findings) {
  const auto start = std::chrono::steady_clock::now();
  Read r = read_both(table, range, false);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  unsigned attempt = 0;
  for (; attempt < settings_.retries && !(r.a == r.b); ++attempt) {
    wait_caught_up(a_, b_, settings_.catch_up_seconds, notice_);
    r = read_both(table, range, attempt + 1 == settings_.retries);
  }
  ChunkDone d{&table, range, r.a, r.b, seconds, !(r.a == r.b), attempt};
  if (d.differs) {
    if (r.rows_a.empty() && r.rows_b.empty()) r = read_both(table, range, true);
    auto found = row_findings(table, r.columns, describe_range(table, range),
                              compare_rows(r.rows_a, r.rows_b, key_indexes(table, r.columns)));
    findings.insert(findings.end(), std::make_move_iterator(found.begin()),
                    std::make_move_iterator(found.end()));
  }
  return d;
}

void TableChecksum::run(const ChecksumTable& table, std::optional<KeyValue> resume_after,
                        std::vector<report::Finding>& findings,
                        const std::function<void(const ChunkDone&)>& done) {
  uint64_t rows = settings_.first_chunk_rows;
  std::optional<KeyValue> lower = std::move(resume_after);
  std::optional<KeySteps> steps = KeySteps::for_table(table);
  if (steps) {
    const auto range = read_key(a_, key_range_select(table), 2);
    if (range) steps->set_range((*range)[0], (*range)[1]);
  }
  for (bool last = false; !last;) {
    throttle(a_, b_, settings_.throttle, notice_);
    ChunkRange range;
    range.lower = lower;
    const auto computed = steps ? steps->plan(lower, rows) : std::nullopt;
    if (computed)
      range.upper = *computed;
    else if (!table.key.empty())
      range.upper = upper_bound(table, lower, rows);
    last = !range.upper;
    const ChunkDone d = check_chunk(table, range, findings);
    if (done) done(d);
    if (steps) steps->observed(range, rows, d.a.rows, computed.has_value());
    if (!table.key.empty()) rows = next_chunk_rows(rows, d.seconds, settings_.chunk_seconds);
    lower = range.upper;
  }
}

}  // namespace twinlog::checks
