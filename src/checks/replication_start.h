// run_diff's Start::kFromReplication (diff_run.h): the aligner's input, taken in
// the order of the transactions' first timestamps over both sides, until the
// first transaction of one master's binlog that came from another server (the
// pair's replication begins at its original's first timestamp T); then what each
// master logged of its own before T is counted (before()) and not compared.
//
// Up to kHeldBeforeReplication transactions (kHeldBytesBeforeReplication of their
// row hashes and kept events), they are held until T is known. Past that, the
// transactions are handed on to the aligner all the same, all but those of the
// latest second (a copy of one of them may be the first replicated transaction,
// and its original must then be compared); when T comes, the aligner, which has
// then been given only the masters' own transactions of the seconds before T,
// is replaced by a new one and what it was given is counted as before
// replication. So memory holds one second of transactions beyond the aligner's
// own (the transactions of the last max_lag seconds not yet paired), whatever
// the count. Without any replicated transaction, everything is compared.
#pragma once

#include <array>
#include <cstdint>
#include <deque>
#include <utility>

#include "src/checks/diff_align.h"
#include "src/checks/diff_run.h"
#include "src/checks/stream_digest.h"

namespace twinlog::checks {

class ReplicationStart {
 public:
  // `aligner` is replaced (a new DiffAligner(A's config, B's config, max_lag), given
  // each side's applied_by_peer) when what it was given turns out to be before T.
  ReplicationStart(DiffAligner& aligner, Start start, const DiffSide& a, const DiffSide& b,
                   uint32_t max_lag);

  // One transaction of side `side` (0: A, 1: B), in the order of the merge.
  void add(int side, TransactionPtr t);
  // At the end: without replication seen, everything is compared.
  void finish();
  // Each side's own transactions before T, not compared.
  const std::array<uint64_t, 2>& before() const { return before_; }

 private:
  enum class State {
    kHolding,  // everything held until T
    kPassing,  // past the caps: handed on but for the latest second
    kStarted,  // T is known (or everything is compared)
  };
  void hold(int side, TransactionPtr t);
  // Hands on, in order, the held transactions before `second`.
  void hand_on_before(uint32_t second);
  // Replication begins at `start`: the held own transactions before it are
  // counted, the rest handed on.
  void release(uint32_t start);

  DiffAligner& aligner_;
  const DiffSide& a_;
  const DiffSide& b_;
  uint32_t max_lag_;
  State state_;
  std::array<uint32_t, 2> server_ids_{};
  std::deque<std::pair<int, TransactionPtr>> held_;
  std::size_t held_bytes_ = 0;  // their row hashes and kept events, about
  uint32_t latest_ = 0;         // the latest first timestamp taken
  std::array<uint64_t, 2> before_{};
};

}  // namespace twinlog::checks
