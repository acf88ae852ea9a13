// A chunk that differs between the masters, narrowed down to its rows: matched by
// key (or, in a table without one, as a multiset of whole rows), each difference
// a finding that shows both sides column by column, which columns differ, and the
// SQL that would repair either master (checksum_repair.h).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "src/checks/checksum_tables.h"
#include "src/checks/checksum_values.h"
#include "src/report/finding.h"

namespace twinlog::checks {

// A chunk's digest: the sum (mod 2^64) of its rows' hashes, and their count.
struct ChunkDigest {
  uint64_t sum = 0;
  uint64_t rows = 0;
  void add(std::string_view row) {
    sum += row_hash(row);
    ++rows;
  }
  bool operator==(const ChunkDigest&) const = default;
};

struct RowDifference {
  std::optional<std::string> a, b;      // the row on each master; nullopt: not there
  uint64_t copies_a = 0, copies_b = 0;  // a keyless table's identical rows
};

// The rows that differ; `key` holds the key columns' indexes (empty: no key).
std::vector<RowDifference> compare_rows(const std::vector<std::string>& a,
                                        const std::vector<std::string>& b,
                                        const std::vector<std::size_t>& key);

// The indexes of `table.key`'s columns among `columns`.
std::vector<std::size_t> key_indexes(const ChecksumTable& table,
                                     const std::vector<ValueColumn>& columns);

// One finding per difference (checksum.row_differs, checksum.row_missing), in
// `range` (describe_range).
std::vector<report::Finding> row_findings(const ChecksumTable& table,
                                          const std::vector<ValueColumn>& columns,
                                          const std::string& range,
                                          const std::vector<RowDifference>& differences);

}  // namespace twinlog::checks
