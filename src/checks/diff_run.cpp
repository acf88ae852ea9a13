#include "src/checks/diff_run.h"

#include <atomic>
#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>
#include <optional>
#include <thread>

#include "protocol/crc32.h"
#include "src/checks/replication_start.h"
#include "src/checks/stream_digest.h"

namespace twinlog::checks {
namespace {

// One reader's transactions on their way to the aligner; the reader waits while
// it is full.
class TransactionQueue {
 public:
  static constexpr std::size_t kBatch = 64;  // the aligner is woken for this many

  void push(TransactionPtr t) {
    std::unique_lock lock(mutex_);
    not_full_.wait(lock, [this] { return items_.size() < kQueued; });
    items_.push_back(std::move(t));
    if (items_.size() == kBatch) not_empty_.notify_one();
  }
  void close(std::string error) {
    const std::lock_guard lock(mutex_);
    closed_ = true;
    error_ = std::move(error);
    not_empty_.notify_one();
  }
  // The next transaction, or null once the reader is done and the queue empty.
  // Takes what the reader has queued all at once (one lock and wake-up per batch,
  // not per transaction: those cost a tenth of the run on the ROW reference).
  TransactionPtr pop() {
    if (taken_.empty()) {
      std::unique_lock lock(mutex_);
      not_empty_.wait(lock, [this] { return items_.size() >= kBatch || closed_; });
      taken_.swap(items_);
      not_full_.notify_one();
    }
    if (taken_.empty()) return nullptr;
    TransactionPtr t = std::move(taken_.front());
    taken_.pop_front();
    return t;
  }
  std::string error() const {
    const std::lock_guard lock(mutex_);
    return error_;
  }

 private:
  mutable std::mutex mutex_;
  std::condition_variable not_full_, not_empty_;
  std::deque<TransactionPtr> items_;
  std::deque<TransactionPtr> taken_;  // the aligner's side: only it touches this
  bool closed_ = false;
  std::string error_;
};

// Transactions the aligner is done with, on their way back to the reader that
// built them, which builds later ones in their buffers: glibc gives a block freed
// in another thread back to the arena of the thread that allocated it, under that
// arena's lock, and allocating and freeing each transaction's vectors so cost
// about 5% of diff's CPU. Handed over a batch at a time; at most kKept wait.
class SpentPool {
 public:
  static constexpr std::size_t kKept = 2 * TransactionQueue::kBatch;

  // The aligner's side.
  void put(TransactionPtr t) {
    if (!StreamDigest::worth_reusing(*t)) return;
    batch_.push_back(std::move(t));
    if (batch_.size() < TransactionQueue::kBatch) return;
    {
      const std::lock_guard lock(mutex_);
      for (TransactionPtr& spent : batch_) {
        if (waiting_.size() == kKept) break;
        waiting_.push_back(std::move(spent));
      }
      count_.store(waiting_.size(), std::memory_order_release);
    }
    batch_.clear();  // what did not fit is freed here
  }
  // The reader's side: what waits, into `out` (empty).
  void take(std::vector<TransactionPtr>& out) {
    if (count_.load(std::memory_order_acquire) == 0) return;
    const std::lock_guard lock(mutex_);
    out.swap(waiting_);
    count_.store(0, std::memory_order_release);
  }

 private:
  std::vector<TransactionPtr> batch_;  // the aligner's only
  std::mutex mutex_;
  std::vector<TransactionPtr> waiting_;
  std::atomic<std::size_t> count_{0};
};

void read_side(const DiffSide& side, const config::ServerConfig& peer, const std::string& name,
               const std::string& peer_name, const StreamOptions& options,
               const std::function<void(const std::string&, const StreamWarning&)>& warn,
               TransactionQueue& queue, SpentPool& spent) {
  std::string error;
  try {
    EventStream stream(side.binlogs, options);
    stream.on_warning([&](const StreamWarning& w) { warn(name, w); });
    std::optional<StreamDigest> own;
    StreamDigest& digest =
        side.digest != nullptr ? *side.digest : own.emplace(*side.config, peer, name, peer_name);
    std::vector<TransactionPtr> spares;
    const auto hand_on = [&](DigestedTransaction* t) {
      if (t == nullptr) return;
      if (spares.empty()) spent.take(spares);
      TransactionPtr shell;
      if (!spares.empty()) {
        // A spent transaction: its buffers to the digest, the object carries this one.
        shell = std::move(spares.back());
        spares.pop_back();
        digest.reuse(std::move(*shell));
      }
      if (side.before_start && side.before_start(t->summary)) return;
      if (!shell) shell = std::make_unique<DigestedTransaction>();
      *shell = std::move(*t);
      queue.push(std::move(shell));
    };
    StreamEvent se;
    while (stream.next(se)) {
      if (!side.on_event || side.on_event(se)) hand_on(digest.add(se));
    }
    hand_on(digest.finish());
  } catch (const std::exception& e) {  // SourceError, or a connection failure
    error = e.what();
  }
  if (side.on_end) side.on_end(error);
  if (!error.empty()) error.insert(0, name + ": ");
  queue.close(std::move(error));
}

}  // namespace

DiffResult run_diff(DiffSide a, DiffSide b, const StreamOptions& options, uint32_t max_lag,
                    const std::function<void(const std::string&, const StreamWarning&)>& warn,
                    Start start) {
  // libisal picks its CRC32 code for the CPU at the first call and stores the
  // choice in a global: made here, before the readers start, so that they do not
  // both write it at once (helgrind reported the race).
  const std::array<std::byte, 1> warm{};
  (void)protocol::crc32_update(0, warm);
  std::array<TransactionQueue, 2> queues;
  std::array<SpentPool, 2> spent;
  std::mutex warn_mutex;
  const auto warn_one = [&](const std::string& side, const StreamWarning& w) {
    const std::lock_guard lock(warn_mutex);
    warn(side, w);
  };
  std::jthread reader_a(
      [&] { read_side(a, *b.config, "A", "B", options, warn_one, queues[0], spent[0]); });
  std::jthread reader_b(
      [&] { read_side(b, *a.config, "B", "A", options, warn_one, queues[1], spent[1]); });

  DiffAligner aligner(*a.config, *b.config, max_lag);
  aligner.on_spent([&](int side, TransactionPtr t) { spent[side].put(std::move(t)); });
  ReplicationStart feed(aligner, start, a, b, max_lag);
  if (a.applied_by_peer) aligner.set_applied_by_peer(0, *a.applied_by_peer, a.applied_source);
  if (b.applied_by_peer) aligner.set_applied_by_peer(1, *b.applied_by_peer, b.applied_source);
  std::array<TransactionPtr, 2> head;
  std::array<bool, 2> done{};
  std::array<uint64_t, 2> taken{};
  for (;;) {
    for (int side = 0; side < 2; ++side) {
      if (!head[side] && !done[side]) {
        head[side] = queues[side].pop();
        done[side] = !head[side];
      }
    }
    if (!head[0] && !head[1]) break;
    // The older first (a copy carries its original's timestamp); within one second,
    // the side taken less, so that neither side's second is read ahead of the other's.
    int side = head[0] ? 0 : 1;
    if (head[0] && head[1]) {
      const uint32_t ta = head[0]->summary.first_timestamp, tb = head[1]->summary.first_timestamp;
      side = tb < ta || (tb == ta && taken[1] < taken[0]) ? 1 : 0;
    }
    ++taken[side];
    feed.add(side, std::move(head[side]));
  }
  reader_a.join();
  reader_b.join();
  feed.finish();
  aligner.finish();

  DiffResult result;
  result.findings = aligner.findings();
  result.totals = aligner.totals();
  result.peak_held = aligner.peak_held();
  result.before_replication = feed.before();
  for (const TransactionQueue& q : queues) {
    if (std::string e = q.error(); !e.empty()) result.errors.push_back(std::move(e));
  }
  return result;
}

}  // namespace twinlog::checks
