// How `twinlog checksum` cuts a table into chunks along its key, and the
// statements that read them. A chunk is the key range (lower, upper]: the first
// has no lower bound, the last no upper bound, so rows one master holds beyond
// the other's last key still fall in a chunk. The upper bound is the key of the
// N-th row after the lower one on A; both masters then read the same range, so
// a missing or extra row shifts nothing.
//
// Composite keys compare as tuples, written out as OR / AND terms
// ((k1 > ?) OR (k1 = ? AND k2 > ?)) which every server's range optimizer takes.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "src/checks/checksum_tables.h"

namespace twinlog::checks {

using KeyValue = std::vector<std::optional<std::string>>;  // one text value per key column

struct ChunkRange {
  std::optional<KeyValue> lower;  // exclusive; nullopt: from the table's start
  std::optional<KeyValue> upper;  // inclusive; nullopt: to the table's end
};

// A statement with its parameters (bound as strings, in order).
struct BoundStatement {
  std::string sql;
  std::vector<std::optional<std::string>> params;
  // Every parameter is a value of an integer key column: bound as a number, since
  // an integer column compared with a string parameter is compared as DECIMAL,
  // converted row by row.
  bool integer_params = false;
};

// SELECT every column of the chunk (no ORDER BY: the digest does not depend on
// the order, and narrowing matches rows by key).
BoundStatement chunk_select(const ChecksumTable& table, const ChunkRange& range);

// The key of the `rows`-th row after `lower`: the chunk's upper bound; the
// statement returns no row when fewer rows are left (the last chunk).
BoundStatement upper_bound_select(const ChecksumTable& table, const std::optional<KeyValue>& lower,
                                  uint64_t rows);

// A's smallest and largest key (SELECT MIN, MAX) of a one-column key, whence
// computed chunk bounds start (checksum_steps.h).
BoundStatement key_range_select(const ChecksumTable& table);

// The range as people read it: "`id` > 100 AND `id` <= 2000", "whole table".
std::string describe_range(const ChecksumTable& table, const ChunkRange& range);

// The next chunk's row count, aiming at `target_seconds` from what the last
// chunk of `rows` rows took: at most doubling, at least halving, and between 16
// and 1,000,000 rows.
uint64_t next_chunk_rows(uint64_t rows, double seconds, double target_seconds);

}  // namespace twinlog::checks
