#include "src/stream/transaction.h"

#include <algorithm>
#include <cctype>
#include <cstdio>

namespace twinlog {
namespace {

using namespace protocol;

// Case-insensitive "statement starts with keyword(s)", skipping leading blanks
// and comments the servers may put before the keyword.
bool starts_with_word(std::string_view text, std::string_view word) {
  std::size_t i = 0;
  while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
  if (text.size() - i < word.size()) return false;
  for (std::size_t k = 0; k < word.size(); ++k) {
    if (std::toupper(static_cast<unsigned char>(text[i + k])) != word[k]) return false;
  }
  const std::size_t after = i + word.size();
  return after == text.size() || !std::isalnum(static_cast<unsigned char>(text[after]));
}

bool is_control(const Event& e) {
  return std::holds_alternative<FormatDescriptionEvent>(e) || std::holds_alternative<RotateEvent>(e) ||
         std::holds_alternative<StopEvent>(e) || std::holds_alternative<PreviousGtidsEvent>(e) ||
         std::holds_alternative<MariaGtidListEvent>(e) || std::holds_alternative<BinlogCheckpointEvent>(e) ||
         std::holds_alternative<HeartbeatEvent>(e) || std::holds_alternative<StartEncryptionEvent>(e) ||
         std::holds_alternative<IncidentEvent>(e) || std::holds_alternative<IgnorableEvent>(e) ||
         std::holds_alternative<UnknownEvent>(e) || std::holds_alternative<StartV3Event>(e) ||
         std::holds_alternative<TransactionContextEvent>(e) || std::holds_alternative<ViewChangeEvent>(e);
}

}  // namespace

std::string format_uuid(const Uuid& uuid) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string s;
  s.reserve(36);
  for (std::size_t i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) s.push_back('-');
    s.push_back(kDigits[uuid.bytes[i] >> 4]);
    s.push_back(kDigits[uuid.bytes[i] & 0xf]);
  }
  return s;
}

std::string format_gtid(const GtidEvent& gtid) {
  if (gtid.anonymous) return {};
  std::string s = format_uuid(gtid.sid);
  if (!gtid.tag.empty()) s.append(":").append(gtid.tag);
  return s + ":" + std::to_string(gtid.gno);
}

std::string format_gtid(const MariaGtidEvent& gtid, uint32_t server_id) {
  return std::to_string(gtid.domain_id) + "-" + std::to_string(server_id) + "-" + std::to_string(gtid.seq_no);
}

void TransactionAssembler::open(const StreamEvent& event, std::string gtid) {
  TransactionSummary t;
  t.gtid = std::move(gtid);
  t.server_id = event.view->header.server_id;
  t.file = *event.file;
  t.start = event.view->offset;
  t.first_timestamp = event.view->header.timestamp;
  open_ = std::move(t);
  saw_begin_ = false;
  implicit_ = false;
  standalone_pending_ = false;
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
  saw_begin_ = implicit_ = standalone_pending_ = false;
}

// A new transaction starts while one is open: the open one never ended
// (a crash, or a reader started mid-transaction). It is reported incomplete.
void TransactionAssembler::abandon_open() {
  if (!open_) return;
  close(false);
  completed_->complete = false;
}

std::optional<TransactionSummary> TransactionAssembler::finish() {
  if (!open_) return std::nullopt;
  open_->complete = false;
  auto t = std::move(open_);
  open_.reset();
  return t;
}

Boundary TransactionAssembler::add(const StreamEvent& event) {
  completed_.reset();
  const Event& e = *event.event;
  if (is_control(e)) return Boundary::kNone;

  if (const auto* g = std::get_if<GtidEvent>(&e)) {
    abandon_open();
    open(event, format_gtid(*g));
    return Boundary::kBegin;
  }
  if (const auto* g = std::get_if<MariaGtidEvent>(&e)) {
    abandon_open();
    open(event, format_gtid(*g, event.view->header.server_id));
    standalone_pending_ = g->standalone();
    // A MariaDB GTID that is not standalone stands for BEGIN: the server writes no
    // BEGIN query after it, and the group runs to its XID or COMMIT.
    saw_begin_ = !g->standalone();
    return Boundary::kBegin;
  }
  if (const auto* q = std::get_if<QueryEvent>(&e)) {
    const std::string_view sql = q->query;
    if (starts_with_word(sql, "BEGIN") || starts_with_word(sql, "XA START") || starts_with_word(sql, "XA BEGIN")) {
      if (open_ && !implicit_) {
        account(event);
        saw_begin_ = true;
        return Boundary::kInside;
      }
      abandon_open();
      open(event, {});
      saw_begin_ = true;
      return Boundary::kBegin;
    }
    const bool rollback = starts_with_word(sql, "ROLLBACK") && !starts_with_word(sql, "ROLLBACK TO");
    const bool ends = starts_with_word(sql, "COMMIT") || rollback || starts_with_word(sql, "XA PREPARE") ||
                      starts_with_word(sql, "XA COMMIT") || starts_with_word(sql, "XA ROLLBACK");
    if (!open_) {
      open(event, {});
      close(!rollback);
      return Boundary::kSingle;
    }
    account(event);
    if (ends || !saw_begin_ || standalone_pending_) {
      close(!rollback);
      return Boundary::kEnd;
    }
    return Boundary::kInside;
  }
  if (std::holds_alternative<XidEvent>(e) || std::holds_alternative<XaPrepareEvent>(e)) {
    if (!open_) {
      open(event, {});
      close(true);
      return Boundary::kSingle;
    }
    account(event);
    close(true);
    return Boundary::kEnd;
  }
  if (!open_) {
    open(event, {});
    implicit_ = true;
    if (const auto* rows = std::get_if<RowsEvent>(&e); rows && rows->end_of_statement()) {
      close(true);
      return Boundary::kSingle;
    }
    return Boundary::kBegin;
  }
  account(event);
  if (const auto* rows = std::get_if<RowsEvent>(&e); rows && implicit_ && rows->end_of_statement()) {
    close(true);
    return Boundary::kEnd;
  }
  return Boundary::kInside;
}

}  // namespace twinlog
