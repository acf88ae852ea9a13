#include "src/checks/stream_digest.h"

#include <xxhash.h>
// The library's XXH3 with run-time dispatch to AVX2 / AVX-512 (the plain entry
// points are built for SSE2): the same hashes, twice as fast over a BLOB's row.
#define XXH_DISPATCH_DISABLE_REPLACE
#include <xxh_x86dispatch.h>
// And its code for short inputs compiled in here (the same header, the same
// hashes): a row image, a bitmap or a hash hashed again with a seed cost a call
// into the library each, several per row.
#define XXH_INLINE_ALL
#include <xxhash.h>

#include <algorithm>
#include <tuple>
#include <variant>

#include "protocol/row_image.h"

namespace twinlog::checks {
namespace {

constexpr uint64_t kStatementSeed = 0x9e3779b97f4a7c15ULL;

// XXH3 with a seed derives a secret from it on every call for an input past 240
// bytes (a row with a BLOB): such an input is hashed without the seed, and its
// hash then with it. Still XXH3, still non-linear; the same on both sides.
uint64_t hash_of(protocol::Bytes b, uint64_t seed) {
  if (b.size() <= 240) return XXH3_64bits_withSeed(b.data(), b.size(), seed);
  const uint64_t h = XXH3_64bits_dispatch(b.data(), b.size());
  return XXH3_64bits_withSeed(&h, sizeof h, seed);
}

uint64_t hash_of(std::string_view s, uint64_t seed) {
  return hash_of(protocol::Bytes(reinterpret_cast<const std::byte*>(s.data()), s.size()), seed);
}

}  // namespace

StreamDigest::StreamDigest(const config::ServerConfig& source, const config::ServerConfig& peer,
                           std::string source_name, std::string peer_name)
    : source_config_(source),
      peer_config_(peer),
      source_name_(std::move(source_name)),
      peer_name_(std::move(peer_name)),
      filter_(source, peer, source_name_, peer_name_) {}

StreamDigest::~StreamDigest() = default;

uint32_t StreamDigest::table_index(std::string_view name, bool by_statement) {
  auto& tables = open_.tables;
  for (std::size_t i = 0; i < tables.size(); ++i) {
    if (tables[i].table == name && tables[i].by_statement == by_statement) {
      return static_cast<uint32_t>(i);
    }
  }
  TableDigest& t = tables.emplace_back();
  t.table = name;
  t.by_statement = by_statement;
  return static_cast<uint32_t>(tables.size() - 1);
}

// A copy of the event, for decoding its rows again should they differ; none past
// kKeptBytes per transaction (the digests and row hashes are kept regardless).
uint32_t StreamDigest::keep(const StreamEvent& se, uint32_t table_map) {
  if (se.rereadable) {
    KeptEvent& k = open_.kept.emplace_back();
    k.header = se.view->header;
    k.offset = se.view->offset;
    k.header_length = se.view->header_length;
    k.table_map = table_map;
    k.in_file = true;
    return static_cast<uint32_t>(open_.kept.size() - 1);
  }
  if (!open_.all_kept) return UINT32_MAX;
  const std::size_t size = se.view->body.size();
  if (open_.kept_bytes.size() + size > kKeptBytes) {
    open_.all_kept = false;
    return UINT32_MAX;
  }
  KeptEvent& k = open_.kept.emplace_back();
  k.header = se.view->header;
  k.body_at = open_.kept_bytes.size();
  k.body_size = size;
  open_.kept_bytes.insert(open_.kept_bytes.end(), se.view->body.begin(), se.view->body.end());
  k.offset = se.view->offset;
  k.header_length = se.view->header_length;
  k.table_map = table_map;
  return static_cast<uint32_t>(open_.kept.size() - 1);
}

void StreamDigest::on_rows(const StreamEvent& se, const protocol::RowsEvent& rows) {
  if (se.table == nullptr) return;  // no table map: the reader has warned
  name_.assign(se.table->database).append(".").append(se.table->table);
  const uint32_t table = table_index(name_, false);
  // The canonical encoding, as seeds: table name, change type, bitmaps, then the images.
  const uint64_t kind = static_cast<uint64_t>(
      rows.kind == protocol::RowsKind::kPartialUpdate ? protocol::RowsKind::kUpdate : rows.kind);
  uint64_t seed = hash_of(name_, kind + 1);
  seed = hash_of(rows.columns_before, seed);
  seed = hash_of(rows.columns_after, seed);

  ChangeEvent& ev = open_.events.emplace_back();
  ev.table = table;
  ev.position = se.view->offset;
  const auto event_index = static_cast<uint32_t>(open_.events.size() - 1);
  protocol::RowReader reader(rows, *se.table, protocol::rows_offset(*se.view, rows),
                             se.table_layouts);
  reader.without_cells();  // the images are hashed whole
  protocol::RowChange& change = change_;
  uint64_t event_hash = seed;
  uint32_t row = 0;
  TableDigest& digest = open_.tables[table];
  while (reader.next(change)) {
    uint64_t h = seed;
    if (change.has_before) h = hash_of(change.before.raw, h);
    if (change.has_after) h = hash_of(change.after.raw, h ^ kStatementSeed);
    open_.rows.push_back({event_index, row++, h});
    digest.sum += h;
    ++digest.rows;
    event_hash = XXH3_64bits_withSeed(&h, sizeof h, event_hash);
  }
  if (reader.failed()) {
    // Rows that do not walk: the event's bytes stand for them, as one change.
    const uint64_t h = hash_of(rows.rows, seed);
    open_.rows.push_back({event_index, row++, h});
    digest.sum += h;
    ++digest.rows;
    event_hash = h;
  }
  ev.hash = event_hash;
  ev.rows = row;
}

void StreamDigest::on_statement(const StreamEvent& se, std::string_view database,
                                std::string_view query) {
  statement_key_.key(database, query, name_);
  const uint32_t table = table_index(name_, true);
  const uint64_t h = hash_of(query, hash_of(database, kStatementSeed));
  ChangeEvent& ev = open_.events.emplace_back();
  ev.table = table;
  ev.position = se.view->offset;
  ev.hash = h;
  ev.rows = 1;
  open_.rows.push_back({static_cast<uint32_t>(open_.events.size() - 1), 0, h});
  open_.tables[table].sum += h;
  ++open_.tables[table].rows;
}

void StreamDigest::on_event(const StreamEvent& se) {
  if (fingerprint_needed_) fingerprint_.add(se);
  if (const auto* q = std::get_if<protocol::QueryEvent>(se.event)) {
    if (q->query != "BEGIN" && q->query != "COMMIT") on_statement(se, q->database, q->query);
  } else if (const auto* l = std::get_if<protocol::ExecuteLoadQueryEvent>(se.event)) {
    on_statement(se, l->query.database, l->query.query);
  } else if (const auto* m = std::get_if<protocol::TableMapEvent>(se.event)) {
    kept_maps_.emplace_back(m->table_id, keep(se, UINT32_MAX));
  } else if (const auto* r = std::get_if<protocol::RowsEvent>(se.event)) {
    on_rows(se, *r);
    uint32_t map = UINT32_MAX;
    for (const auto& [id, kept] : kept_maps_) {
      if (id == r->table_id) map = kept;
    }
    if (map != UINT32_MAX && se.table != nullptr) open_.events.back().kept = keep(se, map);
  }
}

DigestedTransaction* StreamDigest::close(const TransactionSummary& summary,
                                         const TransactionDecision* decision) {
  ++transactions_;
  done_ = std::move(open_);
  open_ = next_open();
  // Sized as the last one (transactions of a workload look alike): no growth by
  // doubling, row by row. Its size, not its capacity, so that one large transaction
  // does not make every later one as large.
  open_.tables.reserve(done_.tables.size());
  open_.events.reserve(done_.events.size());
  open_.rows.reserve(done_.rows.size());
  open_.kept.reserve(done_.kept.size());
  open_.kept_bytes.reserve(done_.kept_bytes.size());
  done_.summary = summary;
  std::tie(done_.fingerprint_low, done_.fingerprint_high) = fingerprint_.value();
  done_.format = format_;
  // The peer's own transactions come back from it: its binlog has them first.
  if (summary.server_id == peer_config_.server_id.value) {
    done_.peer_logs = Outcome::kYes;
  } else if (decision != nullptr) {
    const Outcome logs =
        decision->applied == Outcome::kNo || decision->relogged == Outcome::kNo ? Outcome::kNo
        : decision->applied == Outcome::kPartly || decision->relogged == Outcome::kPartly
            ? Outcome::kPartly
            : Outcome::kYes;
    done_.peer_logs = logs;
    done_.peer_rule = decision->rule;
    if (logs != Outcome::kYes) {
      for (TableDigest& t : done_.tables) {
        // A table is expected in the peer when one of its statements / rows is
        // applied and logged again there.
        t.expected_in_peer = false;
        for (const StatementDecision& s : decision->statements) {
          const std::string name = s.row_format ? s.database + "." + s.table : statement_entry(s);
          if (name == t.table && s.applied != Outcome::kNo && s.relogged != Outcome::kNo) {
            t.expected_in_peer = true;
          }
          if (name == t.table && done_.peer_rule.empty()) {
            done_.peer_rule = s.applied == Outcome::kNo ? s.rule : s.relog_rule;
          }
        }
      }
    }
  }
  kept_maps_.clear();
  fingerprint_.reset();
  return &done_;
}

bool StreamDigest::worth_reusing(const DigestedTransaction& spent) {
  const std::size_t bytes = spent.tables.capacity() * sizeof(TableDigest) +
                            spent.events.capacity() * sizeof(ChangeEvent) +
                            spent.rows.capacity() * sizeof(RowHash) +
                            spent.kept.capacity() * sizeof(KeptEvent) + spent.kept_bytes.capacity();
  return bytes <= kSpareBytes;
}

void StreamDigest::reuse(DigestedTransaction&& spent) {
  if (spare_.size() < kSpares && worth_reusing(spent)) spare_.push_back(std::move(spent));
}

// A new transaction, empty, in a spare's buffers when there is one.
DigestedTransaction StreamDigest::next_open() {
  DigestedTransaction t;
  if (spare_.empty()) return t;
  DigestedTransaction& spare = spare_.back();
  t.summary.file = std::move(spare.summary.file);
  t.summary.file.clear();
  t.tables = std::move(spare.tables);
  t.tables.clear();
  t.events = std::move(spare.events);
  t.events.clear();
  t.rows = std::move(spare.rows);
  t.rows.clear();
  t.kept = std::move(spare.kept);
  t.kept.clear();
  t.kept_bytes = std::move(spare.kept_bytes);
  t.kept_bytes.clear();
  spare_.pop_back();
  return t;
}

DigestedTransaction* StreamDigest::add(const StreamEvent& se) {
  // Each file's own: the rows kept are decoded again with the format they were read with.
  if (!format_ || std::holds_alternative<protocol::FormatDescriptionEvent>(*se.event)) {
    format_ = std::make_shared<const protocol::FormatDescription>(*se.format);
  }
  // The filter check assembles the transactions; they are taken from it.
  const TransactionDecision* decision = filter_.add(se);
  const Boundary boundary = filter_.boundary();
  DigestedTransaction* closed = nullptr;
  if (boundary == Boundary::kBegin && filter_.completed()) {
    closed = close(*filter_.completed(), decision);
  }
  if (boundary == Boundary::kBegin || boundary == Boundary::kSingle) {
    // A transaction with a GTID is aligned by it: no fingerprint (hashing every
    // event's bytes again would double the cost of reading).
    const auto* mysql_gtid = std::get_if<protocol::GtidEvent>(se.event);
    fingerprint_needed_ = !std::holds_alternative<protocol::MariaGtidEvent>(*se.event) &&
                          !(mysql_gtid != nullptr && !mysql_gtid->anonymous);
  }
  if (boundary != Boundary::kNone) on_event(se);
  if ((boundary == Boundary::kEnd || boundary == Boundary::kSingle) && filter_.completed()) {
    closed = close(*filter_.completed(), decision);
  }
  if (closed != nullptr && hook_) hook_(*closed, false);
  return closed;
}

DigestedTransaction* StreamDigest::finish() {
  // The open transaction, if any, is the decision's (marked incomplete).
  const TransactionDecision* decision = filter_.finish();
  if (!decision) return nullptr;
  DigestedTransaction* closed = close(decision->transaction, decision);
  if (hook_) hook_(*closed, true);
  return closed;
}

}  // namespace twinlog::checks
