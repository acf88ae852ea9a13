// Where `twinlog checksum`'s next chunk ends when the table's key is one integer
// column: computed from the key's density in the chunk before (rows per key
// value, as A read them), instead of probed with ORDER BY key LIMIT 1 OFFSET n.
// The probe reads every row of the chunk on A a second time, one after the
// other with the chunk's own read (about a third of A's work for the chunk,
// and time in which B waits); a computed bound costs nothing.
//
// The bound only decides where a chunk ends, never what is compared: both
// masters read the same range (lower, upper] whatever it is, so a wrong guess
// makes a chunk larger or smaller, not the result different. A chunk whose rows
// were far from the plan (a gap in the keys, or a denser range than the one
// before) has its successor probed again, which re-measures the density; the
// first chunk of a table, and the first after a resume, are probed as well.
// The last chunk is the one whose computed bound reaches A's largest key when
// the table's pass started: it has no upper bound, so rows beyond it on either
// master still fall in it.
#pragma once

#include <cstdint>
#include <optional>

#include "src/checks/checksum_chunks.h"
#include "src/checks/checksum_tables.h"

namespace twinlog::checks {

class KeySteps {
 public:
  // nullopt when `table`'s key is not one integer column (then every bound is
  // probed).
  static std::optional<KeySteps> for_table(const ChecksumTable& table);

  // A's smallest and largest key when the pass starts (SELECT MIN, MAX); an
  // empty table leaves every bound to the probe.
  void set_range(const std::optional<std::string>& min, const std::optional<std::string>& max);

  // The chunk after `lower` that should hold `rows` rows: its upper bound
  // (nullopt inside: the last chunk, to the table's end), or nullopt when it
  // cannot be computed and must be probed.
  std::optional<std::optional<KeyValue>> plan(const std::optional<KeyValue>& lower,
                                              uint64_t rows) const;

  // What A's read of a chunk found: `rows_read` rows in `range`, planned to hold
  // `rows_planned`, its bound computed by plan() or probed.
  void observed(const ChunkRange& range, uint64_t rows_planned, uint64_t rows_read, bool computed);

 private:
  explicit KeySteps(bool is_unsigned) : unsigned_(is_unsigned) {}
  // Key values as points on one unsigned line (a signed value's sign bit
  // flipped), so that steps are plain unsigned arithmetic.
  std::optional<uint64_t> point(const std::optional<std::string>& text) const;
  std::string text(uint64_t point) const;

  bool unsigned_ = false;
  std::optional<uint64_t> min_, max_;
  std::optional<double> rows_per_value_;
};

}  // namespace twinlog::checks
