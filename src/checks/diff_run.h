// `twinlog diff` run: A's and B's binlogs read at the same time, each digested
// transaction by transaction (stream_digest.h): A in a thread of its own, which
// hands them to the aligner (diff_align.h) through a bounded queue of kQueued
// transactions; B in the aligner's thread, between its steps, and read ahead (as
// far as kQueued) while A has nothing queued. Two threads for two masters: a
// third, B's own, made the aligner take turns with both readers on 2 cores. The
// aligner takes the transactions in the order of their first timestamps, merged
// over both sides (a copy keeps its original's timestamp), so that a transaction
// and its copy are read at about the same time and memory holds the transactions
// in flight between the two binlogs, not the files.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "src/checks/diff_align.h"
#include "src/config/server_config.h"
#include "src/report/finding.h"
#include "src/stream/event_stream.h"
#include "src/stream/transaction.h"

namespace twinlog::checks {

class StreamDigest;

struct DiffSide {
  SourceOpener binlogs;
  const config::ServerConfig* config = nullptr;
  // True for a transaction before the start point, which is not compared.
  std::function<bool(const TransactionSummary&)> before_start;
  // Called in the thread that reads the side (A's own; B's is the aligner's) with
  // every event read, before the digest sees it, so that other checks of that
  // master read the same pass (the audit).
  // False: the event is before the start point, not digested.
  std::function<bool(const StreamEvent&)> on_event;
  // Called in that thread once the reading ended: what stopped it (empty at the
  // end of the binlogs).
  std::function<void(const std::string& error)> on_end;
  // The digest to feed, if the caller keeps one (the audit: its filter findings
  // and transactions are the audit's too); else the side makes its own.
  StreamDigest* digest = nullptr;
  // A live side: how far the peer has executed this side's binlog, read before the
  // binlogs (DiffAligner::set_applied_by_peer), and where that was read.
  std::optional<BinlogPosition> applied_by_peer;
  std::string applied_source;
};

// Whether the transactions a master logged before the pair replicated are
// compared. A captured pair's binlogs begin with each master's own set-up (a
// CREATE DATABASE on each before the replicas started) that the peer never had.
// kFromReplication: the pair's replication begins with the first transaction
// that one master's binlog holds from another server (the peer, or a third one
// whose transactions reach both), at its original's first timestamp T; what
// each master logged of its own before T is before replication: counted, not
// compared, whatever their count (replication_start.h: memory stays bounded).
// Without any such transaction (no replication seen), everything is compared.
enum class Start { kAll, kFromReplication };
constexpr std::size_t kHeldBeforeReplication = 1024;
constexpr std::size_t kHeldBytesBeforeReplication = 64u << 20;

struct DiffResult {
  std::vector<report::Finding> findings;
  DiffAligner::Totals totals;
  std::size_t peak_held = 0;                     // transactions held unpaired at most
  std::vector<std::string> errors;               // what stopped a side's reading ("A: ...")
  std::array<uint64_t, 2> before_replication{};  // Start::kFromReplication: not compared
};

constexpr std::size_t kQueued = 256;

// Reads both sides to their ends. `warn` receives each side's stream warnings
// (from that side's thread, one call at a time).
DiffResult run_diff(DiffSide a, DiffSide b, const StreamOptions& options, uint32_t max_lag,
                    const std::function<void(const std::string& side, const StreamWarning&)>& warn,
                    Start start = Start::kAll);

}  // namespace twinlog::checks
