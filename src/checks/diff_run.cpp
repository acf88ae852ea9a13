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
  // The next transaction queued, or null. Takes what the reader has queued all at
  // once (one lock and wake-up per batch, not per transaction: those cost a tenth
  // of the run on the ROW reference). `wait`: waits for a batch (or the reader's
  // end), and null means the reader is done and the queue empty; otherwise null
  // also when nothing is queued yet, and ended() tells which.
  TransactionPtr pop(bool wait) {
    if (taken_.empty()) {
      std::unique_lock lock(mutex_);
      if (wait) not_empty_.wait(lock, [this] { return items_.size() >= kBatch || closed_; });
      taken_.swap(items_);
      ended_ = closed_ && taken_.empty();
      not_full_.notify_one();
    }
    if (taken_.empty()) return nullptr;
    TransactionPtr t = std::move(taken_.front());
    taken_.pop_front();
    return t;
  }
  bool ended() const { return ended_; }
  std::string error() const {
    const std::lock_guard lock(mutex_);
    return error_;
  }

 private:
  mutable std::mutex mutex_;
  std::condition_variable not_full_, not_empty_;
  std::deque<TransactionPtr> items_;
  std::deque<TransactionPtr> taken_;  // the aligner's side: only it touches this
  bool ended_ = false;                // the aligner's too
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

// One side's transactions, read on demand: in a reader thread of their own (A),
// or in the aligner's thread (B).
class SideReader {
 public:
  using Warn = std::function<void(const std::string&, const StreamWarning&)>;

  SideReader(const DiffSide& side, const config::ServerConfig& peer, std::string name,
             std::string peer_name, const StreamOptions& options, Warn warn, SpentPool& spent)
      : side_(side),
        peer_(peer),
        name_(std::move(name)),
        peer_name_(std::move(peer_name)),
        options_(options),
        warn_(std::move(warn)),
        spent_(spent) {}

  // The side's next transaction; null at the end of its binlogs, or once reading
  // failed (error() says why).
  TransactionPtr next() {
    if (done_) return nullptr;
    try {
      if (!stream_) start();
      StreamEvent se;
      while (stream_->next(se)) {
        if (side_.on_event && !side_.on_event(se)) continue;
        if (TransactionPtr t = hand_on(digest_->add(se))) return t;
      }
      done_ = true;
      if (TransactionPtr t = hand_on(digest_->finish())) {
        end(std::string());
        return t;
      }
      end(std::string());
    } catch (const std::exception& e) {  // SourceError, or a connection failure
      done_ = true;
      end(e.what());
    }
    return nullptr;
  }
  // What stopped the reading, as "A: ..."; empty at the end of the binlogs.
  const std::string& error() const { return error_; }

 private:
  void start() {
    stream_.emplace(side_.binlogs, options_);
    stream_->on_warning([this](const StreamWarning& w) { warn_(name_, w); });
    digest_ = side_.digest != nullptr ? side_.digest
                                      : &own_.emplace(*side_.config, peer_, name_, peer_name_);
  }
  void end(std::string error) {
    if (side_.on_end) side_.on_end(error);
    if (!error.empty()) error.insert(0, name_ + ": ");
    error_ = std::move(error);
  }
  // The transaction the digest completed, in an object of its own (a spent one's,
  // whose buffers go back to the digest); null for none, or one before the start.
  TransactionPtr hand_on(DigestedTransaction* t) {
    if (t == nullptr) return nullptr;
    if (spares_.empty()) spent_.take(spares_);
    TransactionPtr shell;
    if (!spares_.empty()) {
      shell = std::move(spares_.back());
      spares_.pop_back();
      digest_->reuse(std::move(*shell));
    }
    if (side_.before_start && side_.before_start(t->summary)) return nullptr;
    if (!shell) shell = std::make_unique<DigestedTransaction>();
    *shell = std::move(*t);
    return shell;
  }

  const DiffSide& side_;
  const config::ServerConfig& peer_;
  std::string name_, peer_name_;
  const StreamOptions& options_;
  Warn warn_;
  SpentPool& spent_;
  std::optional<EventStream> stream_;
  std::optional<StreamDigest> own_;
  StreamDigest* digest_ = nullptr;
  std::vector<TransactionPtr> spares_;
  bool done_ = false;
  std::string error_;
};

}  // namespace

DiffResult run_diff(DiffSide a, DiffSide b, const StreamOptions& options, uint32_t max_lag,
                    const std::function<void(const std::string&, const StreamWarning&)>& warn,
                    Start start) {
  // libisal picks its CRC32 code for the CPU at the first call and stores the
  // choice in a global: made here, before the readers start, so that they do not
  // both write it at once (helgrind reported the race).
  const std::array<std::byte, 1> warm{};
  (void)protocol::crc32_update(0, warm);
  TransactionQueue queue_a;
  std::array<SpentPool, 2> spent;
  std::mutex warn_mutex;
  const auto warn_one = [&](const std::string& side, const StreamWarning& w) {
    const std::lock_guard lock(warn_mutex);
    warn(side, w);
  };
  // A in a thread of its own, B in this one, between the aligner's steps (diff_run.h).
  std::jthread reader_a([&] {
    SideReader reader(a, *b.config, "A", "B", options, warn_one, spent[0]);
    while (TransactionPtr t = reader.next()) queue_a.push(std::move(t));
    queue_a.close(reader.error());
  });
  SideReader reader_b(b, *a.config, "B", "A", options, warn_one, spent[1]);

  DiffAligner aligner(*a.config, *b.config, max_lag);
  aligner.on_spent([&](int side, TransactionPtr t) { spent[side].put(std::move(t)); });
  ReplicationStart feed(aligner, start, a, b, max_lag);
  if (a.applied_by_peer) aligner.set_applied_by_peer(0, *a.applied_by_peer, a.applied_source);
  if (b.applied_by_peer) aligner.set_applied_by_peer(1, *b.applied_by_peer, b.applied_source);
  std::array<TransactionPtr, 2> head;
  std::array<uint64_t, 2> taken{};
  // B's transactions read while A had none queued (A's binlog opening, a live A
  // waiting for the network): B is not left waiting for A. Bounded as a queue is.
  std::deque<TransactionPtr> b_ahead;
  bool b_read = false;  // B's reader is done
  const auto read_b = [&] {
    TransactionPtr t = b_read ? nullptr : reader_b.next();
    b_read = t == nullptr;
    return t;
  };
  for (;;) {
    while (!head[0] && !queue_a.ended()) {
      head[0] = queue_a.pop(false);
      if (head[0] || queue_a.ended()) break;
      if (!b_read && b_ahead.size() < kQueued) {
        if (TransactionPtr t = read_b()) b_ahead.push_back(std::move(t));
      } else {
        head[0] = queue_a.pop(true);
      }
    }
    if (!head[1] && !b_ahead.empty()) {
      head[1] = std::move(b_ahead.front());
      b_ahead.pop_front();
    }
    if (!head[1]) head[1] = read_b();
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
  feed.finish();
  aligner.finish();

  DiffResult result;
  result.findings = aligner.findings();
  result.totals = aligner.totals();
  result.peak_held = aligner.peak_held();
  result.before_replication = feed.before();
  for (std::string e : {queue_a.error(), reader_b.error()}) {
    if (!e.empty()) result.errors.push_back(std::move(e));
  }
  return result;
}

}  // namespace twinlog::checks
