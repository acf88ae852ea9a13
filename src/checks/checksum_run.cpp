#include "src/checks/checksum_run.h"

#include <mysql.h>

#include <future>

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
  const BoundStatement s = upper_bound_select(table, lower, rows);
  // Bounds are few and small: read as text through a statement of their own, in
  // the binary protocol only for the parameters' sake.
  MYSQL_STMT* stmt = mysql_stmt_init(a_.handle());
  if (stmt == nullptr) throw a_.last_error("mysql_stmt_init");
  struct Closer {
    MYSQL_STMT* s;
    ~Closer() { mysql_stmt_close(s); }
  } closer{stmt};
  auto fail = [&]() {
    const unsigned code = mysql_stmt_errno(stmt);
    return ConnectionError(classify_error(code), code,
                           std::string(mysql_stmt_error(stmt)) + " (in: " + s.sql + ")");
  };
  if (mysql_stmt_prepare(stmt, s.sql.data(), s.sql.size()) != 0) throw fail();
  std::vector<MYSQL_BIND> params(s.params.size(), MYSQL_BIND{});
  std::vector<unsigned long> lengths(s.params.size());
  for (std::size_t i = 0; i < s.params.size(); ++i) {
    if (!s.params[i]) {
      params[i].buffer_type = MYSQL_TYPE_NULL;
      continue;
    }
    params[i].buffer_type = MYSQL_TYPE_STRING;
    params[i].buffer = const_cast<char*>(s.params[i]->data());  // only read
    params[i].buffer_length = lengths[i] = s.params[i]->size();
    params[i].length = &lengths[i];
  }
  if (!params.empty() && mysql_stmt_bind_param(stmt, params.data()) != 0) throw fail();
  if (mysql_stmt_execute(stmt) != 0) throw fail();
  const std::size_t n = table.key.size();
  std::vector<MYSQL_BIND> out(n, MYSQL_BIND{});
  std::vector<std::string> buffers(n, std::string(1024, '\0'));
  std::vector<unsigned long> out_lengths(n);
  std::vector<my_bool> nulls(n);
  for (std::size_t i = 0; i < n; ++i) {
    out[i].buffer_type = MYSQL_TYPE_STRING;  // the connector formats it as text
    out[i].buffer = buffers[i].data();
    out[i].buffer_length = buffers[i].size();
    out[i].length = &out_lengths[i];
    out[i].is_null = &nulls[i];
  }
  if (mysql_stmt_bind_result(stmt, out.data()) != 0) throw fail();
  const int rc = mysql_stmt_fetch(stmt);
  if (rc == MYSQL_NO_DATA) return std::nullopt;
  if (rc == 1) throw fail();
  KeyValue key;
  for (std::size_t i = 0; i < n; ++i) {
    if (nulls[i] != 0) {
      key.emplace_back(std::nullopt);
      continue;
    }
    if (out_lengths[i] > buffers[i].size()) {
      buffers[i].resize(out_lengths[i]);
      out[i].buffer = buffers[i].data();
      out[i].buffer_length = buffers[i].size();
      if (mysql_stmt_fetch_column(stmt, &out[i], static_cast<unsigned>(i), 0) != 0) throw fail();
    }
    key.emplace_back(buffers[i].substr(0, out_lengths[i]));
  }
  return key;
}

void TableChecksum::run(const ChecksumTable& table, std::optional<KeyValue> resume_after,
                        std::vector<report::Finding>& findings,
                        const std::function<void(const ChunkDone&)>& done) {
  uint64_t rows = settings_.first_chunk_rows;
  std::optional<KeyValue> lower = std::move(resume_after);
  for (bool last = false; !last;) {
    throttle(a_, b_, settings_.throttle, notice_);
    ChunkRange range;
    range.lower = lower;
    if (!table.key.empty()) range.upper = upper_bound(table, lower, rows);
    last = !range.upper;
    const auto start = std::chrono::steady_clock::now();
    Read r = read_both(table, range, false);
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    for (unsigned attempt = 0; attempt < settings_.retries && !(r.a == r.b); ++attempt) {
      wait_caught_up(a_, b_, settings_.catch_up_seconds, notice_);
      r = read_both(table, range, attempt + 1 == settings_.retries);
    }
    ChunkDone d{&table, range, r.a, r.b, seconds, !(r.a == r.b)};
    if (d.differs) {
      if (r.rows_a.empty() && r.rows_b.empty()) r = read_both(table, range, true);
      auto found = row_findings(table, r.columns, describe_range(table, range),
                                compare_rows(r.rows_a, r.rows_b, key_indexes(table, r.columns)));
      findings.insert(findings.end(), std::make_move_iterator(found.begin()),
                      std::make_move_iterator(found.end()));
    }
    if (done) done(d);
    if (!table.key.empty()) rows = next_chunk_rows(rows, seconds, settings_.chunk_seconds);
    lower = range.upper;
  }
}

}  // namespace twinlog::checks
