// Groups decoded events into transactions. Where one begins and ends is decided
// in protocol/transaction_boundary.h, once for every reader (the rule and the
// shapes the servers write are there); this adds up what each transaction holds.
// The TRANSACTION_PAYLOAD event is part of the transaction whose events it carries.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "protocol/gtid_set.h"
#include "protocol/transaction_boundary.h"
#include "src/stream/event_stream.h"

namespace twinlog {

struct TransactionSummary {
  std::optional<protocol::Gtid> gtid;  // none for anonymous transactions
  uint32_t server_id = 0;              // originating server (of the first event)
  std::string file;
  uint64_t start = 0;  // offset of the first event
  uint64_t end = 0;    // offset just past the last event
  uint32_t first_timestamp = 0, last_timestamp = 0;
  uint64_t bytes = 0;  // event bytes (top-level; compressed size for payloads)
  uint64_t events = 0;
  bool committed = true;  // false for ROLLBACK
  bool complete = true;   // false when the input ended inside it
  // The GTID as the servers print it, empty when there is none.
  std::string gtid_text() const { return gtid ? protocol::to_string(*gtid) : std::string(); }
};

using protocol::Boundary;

class TransactionAssembler {
 public:
  // Feeds one event; returns the boundary it forms. When a transaction ends,
  // completed() holds it until the next call.
  Boundary add(const StreamEvent& event);
  // The transaction that the last add() closed.
  const std::optional<TransactionSummary>& completed() const { return completed_; }
  // At the end of the input: the open transaction, if any, marked incomplete.
  std::optional<TransactionSummary> finish();
  bool in_transaction() const { return open_.has_value(); }

 private:
  void open(const StreamEvent& event, std::optional<protocol::Gtid> gtid);
  void account(const StreamEvent& event);
  void close(bool committed);
  void abandon_open();

  std::optional<TransactionSummary> open_;
  std::optional<TransactionSummary> completed_;
  protocol::TransactionBoundaryParser parser_;
};

// GTID text as the servers print it (protocol/gtid_set.h prints it): empty for
// an anonymous GTID.
std::string format_gtid(const protocol::GtidEvent& gtid);
std::string format_gtid(const protocol::MariaGtidEvent& gtid, uint32_t server_id);
std::string format_uuid(const protocol::Uuid& uuid);

}  // namespace twinlog
