// twinlog-workload: a deterministic, seeded write workload for a real
// master-master pair (tools/sandbox).
//
// It creates tables in `test` covering every column type MariaDB can binlog,
// then either runs --transactions N multi-statement transactions of INSERT /
// UPDATE / DELETE through both masters, or grows A's binlog to --target-bytes
// with big multi-row INSERTs on A.
//
// Rows carry explicit ids in the writing master's auto-increment class
// (id mod auto_increment_increment == auto_increment_offset), and a master
// updates and deletes only its own rows, so a healthy pair ends identical on
// both sides. The auto-increment table (wl_autoinc) is insert-only for the
// same reason. Statements read from a second database (wl_ref, created alike
// on each master and never logged) to cross databases.
//
// The command line is read in workload_options.*, the tables in
// workload_tables.*, the values in value_generator.h; this file writes them.

#include <mysql.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <iostream>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "tools/workload/value_generator.h"
#include "tools/workload/workload_connection.h"
#include "tools/workload/workload_options.h"
#include "tools/workload/workload_tables.h"

namespace twinlog::workload {
namespace {

struct Master {
  std::unique_ptr<Connection> conn;
  std::uint64_t increment = 1;
  std::uint64_t offset = 1;
  std::uint64_t next_k = 0;                              // ids handed out: offset + increment * k
  std::vector<std::vector<std::uint64_t>> ids_by_table;  // this master's rows, per table

  std::uint64_t new_id() { return offset + increment * next_k++; }
};

std::string insert_statement(const Table& t, ValueGenerator& gen,
                             const std::vector<std::uint64_t>& ids) {
  std::string sql = "INSERT INTO " + t.name + " (id";
  for (const auto& c : t.columns) sql += ", " + c.name;
  sql += ") VALUES ";
  for (std::size_t r = 0; r < ids.size(); ++r) {
    sql += r ? ", (" : "(";
    sql += std::to_string(ids[r]);
    for (const auto& c : t.columns) sql += ", " + gen.literal(c.type);
    sql += ")";
  }
  return sql;
}

void init_master(Master& m, std::size_t table_count) {
  m.increment = std::stoull(m.conn->value("SELECT @@auto_increment_increment"));
  m.offset = std::stoull(m.conn->value("SELECT @@auto_increment_offset"));
  m.ids_by_table.assign(table_count, {});
  // Continue after ids already used (a second run on the same tables).
  std::uint64_t max_id = 0;
  for (const auto& t : workload_tables()) {
    auto v =
        m.conn->value("SELECT COALESCE(MAX(id), 0) FROM " + t.name + " WHERE id % " +
                      std::to_string(m.increment) + " = " + std::to_string(m.offset % m.increment));
    max_id = std::max<std::uint64_t>(max_id, std::stoull(v));
  }
  m.next_k = max_id >= m.offset ? (max_id - m.offset) / m.increment + 1 : 0;
}

void run_transactions(std::vector<Master>& masters, const std::vector<Table>& tables,
                      const Options& o) {
  ValueGenerator gen(o.seed);
  long rows = 0;
  for (long n = 0; n < o.transactions; ++n) {
    Master& m = masters[gen.below(masters.size())];
    Connection& c = *m.conn;
    c.exec("BEGIN");
    int statements = 1 + static_cast<int>(gen.below(6));
    for (int s = 0; s < statements; ++s) {
      std::size_t ti = gen.below(tables.size());
      const Table& t = tables[ti];
      auto& ids = m.ids_by_table[ti];
      auto kind = gen.below(10);
      if (kind < 5 || ids.empty()) {
        std::vector<std::uint64_t> new_ids;
        int count = 1 + static_cast<int>(gen.below(5));
        new_ids.reserve(static_cast<std::size_t>(count));
        for (int r = 0; r < count; ++r) new_ids.push_back(m.new_id());
        c.exec(insert_statement(t, gen, new_ids));
        ids.insert(ids.end(), new_ids.begin(), new_ids.end());
        rows += count;
      } else if (kind < 8) {
        // UPDATE one or several of this master's own rows.
        const Column& col = t.columns[gen.below(t.columns.size())];
        std::uint64_t lo = ids[gen.below(ids.size())];
        std::uint64_t hi = lo + m.increment * gen.below(4);
        c.exec("UPDATE " + t.name + " SET " + col.name + " = " + gen.literal(col.type) +
               " WHERE id BETWEEN " + std::to_string(lo) + " AND " + std::to_string(hi) +
               " AND id % " + std::to_string(m.increment) + " = " +
               std::to_string(m.offset % m.increment));
      } else {
        std::size_t at = gen.below(ids.size());
        c.exec("DELETE FROM " + t.name + " WHERE id = " + std::to_string(ids[at]));
        ids.erase(ids.begin() + static_cast<std::ptrdiff_t>(at));
      }
    }
    // A statement that reads another database and uses AUTO_INCREMENT.
    if (gen.chance(30)) {
      c.exec("INSERT INTO wl_autoinc (origin, label, ref_name) SELECT '" + c.name() + "', 'txn " +
             std::to_string(n) +
             "', name FROM wl_ref.names WHERE n = " + std::to_string(gen.below(10)));
    }
    c.exec("COMMIT");
  }
  if (!o.quiet) {
    std::cerr << "twinlog-workload: " << o.transactions << " transactions, " << rows
              << " rows inserted\n";
  }
}

std::uint64_t binlog_bytes(Connection& c) {
  std::uint64_t total = 0;
  for (const auto& v : c.column("SHOW BINARY LOGS", 1)) total += std::stoull(v);
  return total;
}

void grow_binlog(Master& a, const Endpoint& ep, const std::vector<Table>& tables,
                 const Options& o) {
  std::atomic<bool> done{false};
  std::atomic<std::uint64_t> statements{0};
  std::mutex error_mutex;
  std::string error;
  std::mutex id_mutex;
  auto started = std::chrono::steady_clock::now();

  auto worker = [&](int index) {
    try {
      Connection c(ep, o, "A");
      c.exec("USE " + o.database);
      ValueGenerator gen(o.seed * 1000003ULL + static_cast<std::uint64_t>(index));
      while (!done.load()) {
        const Table& t = tables[gen.below(tables.size())];
        std::vector<std::uint64_t> ids;
        {
          std::lock_guard lock(id_mutex);
          for (int r = 0; r < o.batch_rows; ++r) ids.push_back(a.new_id());
        }
        c.exec(insert_statement(t, gen, ids));
        ++statements;
      }
    } catch (const std::exception& e) {
      std::lock_guard lock(error_mutex);
      if (error.empty()) error = e.what();
      done = true;
    }
  };
  std::vector<std::thread> threads;
  threads.reserve(static_cast<std::size_t>(o.connections));
  for (int i = 0; i < o.connections; ++i) threads.emplace_back(worker, i);
  std::uint64_t bytes = 0;
  auto last_report = started;
  while (!done.load()) {
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
    bytes = binlog_bytes(*a.conn);
    if (bytes >= o.target_bytes) done = true;
    auto now = std::chrono::steady_clock::now();
    if (!o.quiet && now - last_report > std::chrono::seconds(5)) {
      last_report = now;
      double secs = std::chrono::duration<double>(now - started).count();
      std::fprintf(stderr, "twinlog-workload: A's binlog %.1f MiB of %.1f MiB (%.1f MiB/s)\n",
                   bytes / 1048576.0, o.target_bytes / 1048576.0, bytes / 1048576.0 / secs);
    }
  }
  for (auto& t : threads) t.join();
  if (!error.empty()) throw std::runtime_error(error);
  bytes = binlog_bytes(*a.conn);
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  if (!o.quiet) {
    std::fprintf(stderr,
                 "twinlog-workload: A's binlog holds %" PRIu64 " bytes after %" PRIu64
                 " INSERTs of %d rows in %.1f s\n",
                 bytes, statements.load(), o.batch_rows, secs);
  }
}

}  // namespace

}  // namespace twinlog::workload

using namespace twinlog::workload;  // NOLINT(google-build-using-namespace)

int main(int argc, char** argv) {
  Options o = parse_options(argc, argv);
  try {
    if (mysql_library_init(0, nullptr, nullptr) != 0) {
      throw std::runtime_error("mysql_library_init failed");
    }
    auto tables = workload_tables();
    std::vector<Master> masters(1);
    masters[0].conn = std::make_unique<Connection>(o.a, o, "A");
    if (o.have_b) {
      masters.emplace_back();
      masters[1].conn = std::make_unique<Connection>(o.b, o, "B");
    }
    create_schema(*masters[0].conn, o.have_b ? masters[1].conn.get() : nullptr, tables, o);
    for (auto& m : masters) init_master(m, tables.size());
    if (o.transactions > 0) {
      run_transactions(masters, tables, o);
    }
    if (o.target_bytes > 0) {
      grow_binlog(masters[0], o.a, tables, o);
    }
    masters.clear();
    mysql_library_end();
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "twinlog-workload: error: " << e.what() << "\n";
    return 2;
  }
}
