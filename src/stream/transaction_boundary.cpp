#include "src/stream/transaction_boundary.h"

#include <algorithm>
#include <cctype>
#include <string_view>

#include "protocol/endian.h"
#include "protocol/event_type.h"

namespace twinlog {
namespace {

using protocol::EventType;

constexpr uint8_t kMariaGtidStandalone = 0x01;

// The statement of a QUERY event, or empty if the event is too short to hold one.
//   header(19) | thread_id u32 | exec_time u32 | db_len u8 | error_code u16 |
//   status_vars_len u16 | ...rest of post-header | status vars | db NUL | statement | crc
std::string_view query_text(std::span<const std::byte> ev, const protocol::FormatDescription& f) {
  std::size_t post = f.post_header_length(static_cast<uint8_t>(EventType::kQuery));
  if (post < 13) post = 13;
  std::size_t h = protocol::kHeaderLength;
  if (ev.size() < h + post) return {};
  std::size_t db_len = std::to_integer<uint8_t>(ev[h + 8]);
  std::size_t status_len = protocol::load_le16(ev.data() + h + 11);
  std::size_t start = h + post + status_len + db_len + 1;
  std::size_t footer = f.footer_length();
  if (ev.size() < start + footer) return {};
  return {reinterpret_cast<const char*>(ev.data() + start), ev.size() - footer - start};
}

bool is_statement(std::string_view text, std::string_view keyword) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front())))
    text.remove_prefix(1);
  while (!text.empty() &&
         (std::isspace(static_cast<unsigned char>(text.back())) || text.back() == ';'))
    text.remove_suffix(1);
  if (text.size() < keyword.size()) return false;
  bool prefix = std::equal(keyword.begin(), keyword.end(), text.begin(), [](char k, char c) {
    return k == std::toupper(static_cast<unsigned char>(c));
  });
  // "XA START 'x'" is matched as a prefix, BEGIN / COMMIT / ROLLBACK as whole statements.
  return prefix && (text.size() == keyword.size() || keyword.starts_with("XA"));
}

}  // namespace

void TransactionBoundaryTracker::end_group() {
  state_ = State::kOutside;
  if (open_gtid_) completed_ = open_gtid_;
  open_gtid_.reset();
}

bool TransactionBoundaryTracker::feed(std::span<const std::byte> ev,
                                      const protocol::FormatDescription& format) {
  if (ev.size() < protocol::kHeaderLength) return at_boundary();
  auto type = static_cast<EventType>(std::to_integer<uint8_t>(ev[4]));
  uint32_t server_id = protocol::load_le32(ev.data() + 5);

  switch (type) {
    case EventType::kMariaGtid: {
      // seq_no u64 | domain_id u32 | flags u8
      std::size_t h = protocol::kHeaderLength;
      if (ev.size() < h + 13) return at_boundary();
      MariaGtid gtid{protocol::load_le32(ev.data() + h + 8), server_id,
                     protocol::load_le64(ev.data() + h)};
      uint8_t flags = std::to_integer<uint8_t>(ev[h + 12]);
      open_gtid_ = gtid;
      state_ = (flags & kMariaGtidStandalone) ? State::kStatementNext : State::kInTransaction;
      return false;
    }
    case EventType::kGtid:
    case EventType::kAnonymousGtid:
    case EventType::kGtidTagged:
      open_gtid_.reset();
      state_ = State::kAfterMysqlGtid;
      return false;
    case EventType::kQuery: {
      std::string_view text = query_text(ev, format);
      if (state_ == State::kInTransaction) {
        if (is_statement(text, "COMMIT") || is_statement(text, "ROLLBACK")) end_group();
      } else if (is_statement(text, "BEGIN") || is_statement(text, "XA START")) {
        state_ = State::kInTransaction;
      } else {
        end_group();  // DDL, or an autocommitted statement: a group of its own
      }
      return at_boundary();
    }
    case EventType::kMariaQueryCompressed:
      // Compressed statements are long ones, never BEGIN or COMMIT.
      if (state_ != State::kInTransaction) end_group();
      return at_boundary();
    case EventType::kXid:
    case EventType::kXaPrepare:
    case EventType::kTransactionPayload:
      end_group();
      return true;
    case EventType::kIntvar:
    case EventType::kRand:
    case EventType::kUserVar:
    case EventType::kMariaAnnotateRows:
    case EventType::kRowsQuery:
      if (state_ == State::kOutside) state_ = State::kStatementNext;
      return false;
    case EventType::kTableMap:
    case EventType::kWriteRowsV1:
    case EventType::kUpdateRowsV1:
    case EventType::kDeleteRowsV1:
    case EventType::kWriteRows:
    case EventType::kUpdateRows:
    case EventType::kDeleteRows:
    case EventType::kPartialUpdateRows:
    case EventType::kMariaWriteRowsCompressedV1:
    case EventType::kMariaUpdateRowsCompressedV1:
    case EventType::kMariaDeleteRowsCompressedV1:
    case EventType::kMariaWriteRowsCompressed:
    case EventType::kMariaUpdateRowsCompressed:
    case EventType::kMariaDeleteRowsCompressed:
    case EventType::kBeginLoadQuery:
    case EventType::kAppendBlock:
    case EventType::kCreateFile:
      // Row changes: never a boundary; met outside, a transaction began before the
      // stream did, and its end is what is waited for.
      if (state_ != State::kInTransaction) state_ = State::kInTransaction;
      return false;
    default:
      // FDE, ROTATE, GTID_LIST, BINLOG_CHECKPOINT, PREVIOUS_GTIDS, HEARTBEAT, STOP,
      // INCIDENT, ...: inside a transaction they change nothing, outside they stand alone.
      return at_boundary();
  }
}

}  // namespace twinlog
