#include "src/checks/replication_start.h"

#include <algorithm>

namespace twinlog::checks {
namespace {

std::size_t held_size(const DigestedTransaction& t) {
  return t.kept_bytes.size() + t.rows.size() * sizeof(RowHash) +
         t.events.size() * sizeof(ChangeEvent) + t.kept.size() * sizeof(KeptEvent);
}

}  // namespace

ReplicationStart::ReplicationStart(DiffAligner& aligner, Start start, const DiffSide& a,
                                   const DiffSide& b, uint32_t max_lag)
    : aligner_(aligner),
      a_(a),
      b_(b),
      max_lag_(max_lag),
      state_(start == Start::kAll ? State::kStarted : State::kHolding) {
  server_ids_ = {static_cast<uint32_t>(a.config->server_id.value),
                 static_cast<uint32_t>(b.config->server_id.value)};
}

void ReplicationStart::hold(int side, TransactionPtr t) {
  held_bytes_ += held_size(*t);
  latest_ = std::max(latest_, t->summary.first_timestamp);
  held_.emplace_back(side, std::move(t));
}

void ReplicationStart::add(int side, TransactionPtr t) {
  if (state_ == State::kStarted) {
    aligner_.add(side, std::move(t));
    return;
  }
  const bool replicated = t->summary.server_id != server_ids_[side];
  if (replicated && state_ == State::kPassing) {
    // The aligner was given only own transactions, each from before this one's
    // second: they are before replication, and its findings about them are void.
    for (int s = 0; s < 2; ++s) before_[s] += aligner_.totals().transactions[s];
    auto spent = aligner_.on_spent();
    aligner_ = DiffAligner(*a_.config, *b_.config, max_lag_);
    aligner_.on_spent(std::move(spent));
    if (a_.applied_by_peer) aligner_.set_applied_by_peer(0, *a_.applied_by_peer, a_.applied_source);
    if (b_.applied_by_peer) aligner_.set_applied_by_peer(1, *b_.applied_by_peer, b_.applied_source);
  }
  hold(side, std::move(t));
  if (replicated) {
    release(held_.back().second->summary.first_timestamp);
    return;
  }
  if (held_.size() > kHeldBeforeReplication || held_bytes_ > kHeldBytesBeforeReplication) {
    state_ = State::kPassing;
  }
  if (state_ == State::kPassing) {
    hand_on_before(latest_);
    // One second alone past the caps: handed on whole, as the caps bound memory.
    if (held_bytes_ > kHeldBytesBeforeReplication) hand_on_before(UINT32_MAX);
  }
}

void ReplicationStart::hand_on_before(uint32_t second) {
  while (!held_.empty() && held_.front().second->summary.first_timestamp < second) {
    auto& [side, t] = held_.front();
    held_bytes_ -= held_size(*t);
    aligner_.add(side, std::move(t));
    held_.pop_front();
  }
}

void ReplicationStart::finish() {
  if (state_ != State::kStarted) release(0);
}

// A transaction's copy keeps its original's first timestamp: the original is at
// `start`, not before it.
void ReplicationStart::release(uint32_t start) {
  state_ = State::kStarted;
  for (auto& [side, t] : held_) {
    if (t->summary.server_id == server_ids_[side] && t->summary.first_timestamp < start) {
      ++before_[side];
    } else {
      aligner_.add(side, std::move(t));
    }
  }
  held_.clear();
  held_bytes_ = 0;
}

}  // namespace twinlog::checks
