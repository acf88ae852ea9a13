// `twinlog checksum`'s engine for one table present on both masters: chunk by
// chunk along its key, both masters read at the same time (one thread each, each
// chunk in its own consistent snapshot), digests compared; a chunk that differs
// is read again after both masters caught up with each other, at most `retries`
// times, and a difference that stays is narrowed to its rows (checksum_compare.h).
// Nothing is written to either master.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <vector>

#include "src/checks/checksum_chunks.h"
#include "src/checks/checksum_compare.h"
#include "src/checks/checksum_fetch.h"
#include "src/checks/checksum_tables.h"
#include "src/checks/checksum_wait.h"
#include "src/report/finding.h"

namespace twinlog::checks {

struct ChecksumSettings {
  double chunk_seconds = 0.5;  // target time to read one chunk
  uint64_t first_chunk_rows = 1000;
  unsigned retries = 3;  // reads of a differing chunk after catch-up
  unsigned catch_up_seconds = 60;
  ThrottleLimits throttle;
};

// A chunk done, for progress and checkpoints.
struct ChunkDone {
  const ChecksumTable* table = nullptr;
  ChunkRange range;
  ChunkDigest a, b;
  double seconds = 0;
  bool differs = false;  // still after the retries
  unsigned rereads = 0;  // reads after catch-up
};

// Both masters' table lists side by side. A table on one master only may be one
// whose CREATE is still on its way: the lists are read again after both masters
// caught up with each other, at most `settings.retries` times.
TableLists settled_table_lists(Connection& a, Connection& b, const config::ServerConfig& config_a,
                               const config::ServerConfig& config_b,
                               const TableSelection& selection, const ChecksumSettings& settings,
                               const Notice& notice);

class TableChecksum {
 public:
  // `a` / `b`: each master's connection for bounds, waits and throttling;
  // `read_a` / `read_b`: their chunk readers (on connections of their own or the
  // same ones; each is used by one thread at a time).
  TableChecksum(Connection& a, Connection& b, ChunkReader& read_a, ChunkReader& read_b,
                const ChecksumSettings& settings, Notice notice);

  // Compares `table` from after `resume_after` (a checkpoint's last upper bound)
  // to its end; appends the findings; calls `done` after each chunk.
  void run(const ChecksumTable& table, std::optional<KeyValue> resume_after,
           std::vector<report::Finding>& findings,
           const std::function<void(const ChunkDone&)>& done);

  // One chunk: read on both masters, read again after catch-up while it differs,
  // its rows' findings when it still does.
  ChunkDone check_chunk(const ChecksumTable& table, const ChunkRange& range,
                        std::vector<report::Finding>& findings);

 private:
  struct Read {
    ChunkDigest a, b;
    std::vector<std::string> rows_a, rows_b;  // kept when narrowing
    std::vector<ValueColumn> columns;
  };
  Read read_both(const ChecksumTable& table, const ChunkRange& range, bool keep_rows);
  std::optional<KeyValue> upper_bound(const ChecksumTable& table,
                                      const std::optional<KeyValue>& lower, uint64_t rows);

  Connection &a_, &b_;
  ChunkReader &read_a_, &read_b_;
  ChecksumSettings settings_;
  Notice notice_;
};

}  // namespace twinlog::checks
