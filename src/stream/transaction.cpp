#include "src/stream/transaction.h"

#include <algorithm>

namespace twinlog {
namespace {

using namespace protocol;

// The GTID a transaction-opening event carries, if it is a GTID event.
std::optional<Gtid> gtid_opened_by(const StreamEvent& event) {
  if (const auto* g = std::get_if<GtidEvent>(event.event)) return gtid_of(*g);
  if (const auto* g = std::get_if<MariaGtidEvent>(event.event)) {
    return gtid_of(*g, event.view->header.server_id);
  }
  return std::nullopt;
}

}  // namespace

std::string format_uuid(const Uuid& uuid) {
  return to_string(uuid);
}

std::string format_gtid(const GtidEvent& gtid) {
  const auto g = gtid_of(gtid);
  return g ? to_string(*g) : std::string();
}

std::string format_gtid(const MariaGtidEvent& gtid, uint32_t server_id) {
  return to_string(gtid_of(gtid, server_id));
}

void TransactionAssembler::open(const StreamEvent& event, std::optional<Gtid> gtid) {
  TransactionSummary t;
  t.gtid = std::move(gtid);
  t.server_id = event.view->header.server_id;
  t.file = *event.file;
  t.start = event.view->offset;
  t.first_timestamp = event.view->header.timestamp;
  open_ = std::move(t);
  account(event);
}

void TransactionAssembler::account(const StreamEvent& event) {
  const EventView& v = *event.view;
  open_->events++;
  open_->last_timestamp = std::max(open_->last_timestamp, v.header.timestamp);
  if (v.inner_index == 0) {
    open_->bytes += v.raw.size();
    open_->end = v.offset + v.header.event_size;
  }
}

void TransactionAssembler::close(bool committed) {
  open_->committed = committed;
  completed_ = std::move(open_);
  open_.reset();
}

// A new transaction starts while one is open: the open one never ended
// (a crash, or a reader started mid-transaction). It is reported incomplete.
void TransactionAssembler::abandon_open() {
  if (!open_) return;
  close(false);
  completed_->complete = false;
}

std::optional<TransactionSummary> TransactionAssembler::finish() {
  parser_ = TransactionBoundaryParser();
  if (!open_) return std::nullopt;
  open_->complete = false;
  auto t = std::move(open_);
  open_.reset();
  return t;
}

Boundary TransactionAssembler::add(const StreamEvent& event) {
  completed_.reset();
  const BoundaryRole role = event_role(*event.view, *event.event);
  const Boundary boundary = parser_.feed(role);
  switch (boundary) {
    case Boundary::kNone:
      break;
    case Boundary::kBegin:
      abandon_open();
      open(event, gtid_opened_by(event));
      break;
    case Boundary::kInside:
      account(event);
      break;
    case Boundary::kEnd:
      account(event);
      close(role != BoundaryRole::kRollback);
      break;
    case Boundary::kSingle:
      open(event, std::nullopt);
      close(role != BoundaryRole::kRollback);
      break;
  }
  return boundary;
}

}  // namespace twinlog
