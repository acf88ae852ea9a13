#include "protocol/transaction_boundary.h"

#include <cctype>
#include <type_traits>

#include "protocol/ascii_case.h"

namespace twinlog::protocol {
namespace {

bool is_blank(char c) {
  return std::isspace(static_cast<unsigned char>(c)) != 0;
}
bool is_word(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_';
}

// Reads words off the front of a statement, any letter case.
class Words {
 public:
  explicit Words(std::string_view text) : text_(text) { skip_blanks(); }
  // Takes `word` if it is the next whole word.
  bool take(std::string_view word) {
    if (!ascii_iequals(text_.substr(0, word.size()), word)) return false;
    if (text_.size() > word.size() && is_word(text_[word.size()])) return false;
    text_.remove_prefix(word.size());
    skip_blanks();
    return true;
  }
  // The statement, blanks and ';' stripped, ends with `words` ("START TRANSACTION").
  static bool ends_with(std::string_view text, std::string_view words) {
    while (!text.empty() && (is_blank(text.back()) || text.back() == ';')) text.remove_suffix(1);
    if (text.size() <= words.size() || is_word(text[text.size() - words.size() - 1])) return false;
    return ascii_iequals(text.substr(text.size() - words.size()), words);
  }

 private:
  void skip_blanks() {
    while (!text_.empty() && is_blank(text_.front())) text_.remove_prefix(1);
  }
  std::string_view text_;
};

BoundaryRole role_of_statement(std::string_view sql) {
  switch (transaction_statement(sql)) {
    case TransactionStatement::kNone:
      return BoundaryRole::kStatement;
    case TransactionStatement::kBegin:
    case TransactionStatement::kXaStart:
    case TransactionStatement::kCreateStartTransaction:
      return BoundaryRole::kBegin;
    case TransactionStatement::kCommit:
    case TransactionStatement::kXaPrepare:
    case TransactionStatement::kXaCommit:
      return BoundaryRole::kCommit;
    case TransactionStatement::kRollback:
    case TransactionStatement::kXaRollback:
      return BoundaryRole::kRollback;
    case TransactionStatement::kSavepoint:
    case TransactionStatement::kRollbackToSavepoint:
    case TransactionStatement::kXaEnd:
      return BoundaryRole::kInside;
  }
  return BoundaryRole::kStatement;
}

// The role every event of a type plays, or nullopt where its content decides
// (QUERY, MariaDB GTID) or how it is read does (TRANSACTION_PAYLOAD).
std::optional<BoundaryRole> role_of_type(uint8_t type_code) {
  if (rows_kind_of(type_code)) return BoundaryRole::kInside;
  switch (static_cast<EventType>(type_code)) {
    case EventType::kQuery:
    case EventType::kMariaQueryCompressed:
    case EventType::kMariaGtid:
    case EventType::kTransactionPayload:
      return std::nullopt;
    case EventType::kGtid:
    case EventType::kAnonymousGtid:
    case EventType::kGtidTagged:
      return BoundaryRole::kGroupHead;
    case EventType::kXid:
    case EventType::kXaPrepare:
      return BoundaryRole::kCommit;
    case EventType::kIntvar:
    case EventType::kRand:
    case EventType::kUserVar:
    case EventType::kMariaAnnotateRows:
    case EventType::kRowsQuery:
    // LOAD DATA: the file's blocks come before the statement that loads them
    // (MySQL 5.0 MyISAM writes them with no BEGIN around).
    case EventType::kBeginLoadQuery:
    case EventType::kAppendBlock:
    case EventType::kCreateFile:
      return BoundaryRole::kStatementPrefix;
    case EventType::kExecuteLoadQuery:
    case EventType::kExecLoad:
    case EventType::kDeleteFile:
    case EventType::kLoad:
    case EventType::kNewLoad:
      return BoundaryRole::kStatement;
    case EventType::kTableMap:
      return BoundaryRole::kInside;
    default:
      return BoundaryRole::kNone;
  }
}

bool same_layout(const FormatDescription& a, const FormatDescription& b) {
  return a.header_length == b.header_length && a.checksum == b.checksum &&
         a.has_checksum_footer == b.has_checksum_footer && a.binlog_version == b.binlog_version &&
         a.post_header_lengths == b.post_header_lengths;
}

}  // namespace

TransactionStatement transaction_statement(std::string_view sql) {
  Words w(sql);
  if (w.take("BEGIN")) return TransactionStatement::kBegin;
  if (w.take("COMMIT")) return TransactionStatement::kCommit;
  if (w.take("SAVEPOINT")) return TransactionStatement::kSavepoint;
  if (w.take("ROLLBACK")) {
    w.take("WORK");
    return w.take("TO") ? TransactionStatement::kRollbackToSavepoint
                        : TransactionStatement::kRollback;
  }
  if (w.take("XA")) {
    if (w.take("START") || w.take("BEGIN")) return TransactionStatement::kXaStart;
    if (w.take("END")) return TransactionStatement::kXaEnd;
    if (w.take("PREPARE")) return TransactionStatement::kXaPrepare;
    if (w.take("COMMIT")) return TransactionStatement::kXaCommit;
    if (w.take("ROLLBACK")) return TransactionStatement::kXaRollback;
    return TransactionStatement::kNone;
  }
  if (w.take("CREATE") && Words::ends_with(sql, "START TRANSACTION")) {
    return TransactionStatement::kCreateStartTransaction;
  }
  return TransactionStatement::kNone;
}

BoundaryRole event_role(const EventView& view, const Event& event) {
  if (auto role = role_of_type(view.header.type_code)) return *role;
  return std::visit(
      [](const auto& e) {
        using T = std::decay_t<decltype(e)>;
        if constexpr (std::is_same_v<T, QueryEvent>) {
          return role_of_statement(e.query);
        } else if constexpr (std::is_same_v<T, MariaGtidEvent>) {
          return e.standalone() ? BoundaryRole::kGroupHead : BoundaryRole::kGtidBegin;
        } else if constexpr (std::is_same_v<T, TransactionPayloadEvent>) {
          return BoundaryRole::kInside;  // decoded, its events follow it, the XID among them
        } else {
          return BoundaryRole::kNone;
        }
      },
      event);
}

Boundary TransactionBoundaryParser::feed(BoundaryRole role) {
  const State was = state_;
  switch (role) {
    case BoundaryRole::kNone:
      return Boundary::kNone;
    case BoundaryRole::kGroupHead:
      state_ = State::kGroup;
      return Boundary::kBegin;
    case BoundaryRole::kGtidBegin:
      state_ = State::kTransaction;
      return Boundary::kBegin;
    case BoundaryRole::kBegin:
      if (was == State::kGroup || was == State::kTransaction) {
        state_ = State::kTransaction;
        return Boundary::kInside;
      }
      // Outside, or after a transaction whose start the stream missed and whose
      // end never came: a new one.
      state_ = State::kTransaction;
      return Boundary::kBegin;
    case BoundaryRole::kStatementPrefix:
      if (was != State::kOutside) return Boundary::kInside;
      state_ = State::kGroup;
      return Boundary::kBegin;
    case BoundaryRole::kStatement:
      if (was == State::kOutside) return Boundary::kSingle;
      if (was == State::kGroup) {
        state_ = State::kOutside;
        return Boundary::kEnd;
      }
      return Boundary::kInside;
    case BoundaryRole::kInside:
      if (was != State::kOutside) return Boundary::kInside;
      state_ = State::kMidTransaction;
      return Boundary::kBegin;
    case BoundaryRole::kCommit:
    case BoundaryRole::kRollback:
      state_ = State::kOutside;
      return was == State::kOutside ? Boundary::kSingle : Boundary::kEnd;
  }
  return Boundary::kNone;
}

void TransactionBoundaryTracker::reset() {
  *this = TransactionBoundaryTracker();
}

bool TransactionBoundaryTracker::feed(std::span<const std::byte> event,
                                      const FormatDescription& format) {
  auto header = parse_header(event, 0);
  if (!header) {
    last_ = Boundary::kNone;
    return at_boundary();
  }
  const uint8_t type = header->type_code;
  std::optional<BoundaryRole> role = role_of_type(type);
  std::optional<Gtid> gtid;
  const bool gtid_event = type == static_cast<uint8_t>(EventType::kGtid) ||
                          type == static_cast<uint8_t>(EventType::kGtidTagged);
  if (type == static_cast<uint8_t>(EventType::kTransactionPayload)) {
    role = BoundaryRole::kCommit;  // read raw, it holds its whole transaction
  } else if (!role || gtid_event) {
    if (!same_layout(framer_.format(), format)) framer_.use_format(format);
    auto views = framer_.frame(event, 0);
    auto decoded = views && !views->empty() ? decode_event(views->front(), format)
                                            : Result<Event>(DecodeError{});
    if (!decoded) {
      last_ = Boundary::kNone;
      return at_boundary();
    }
    role = event_role(views->front(), *decoded);
    if (const auto* g = std::get_if<GtidEvent>(&*decoded)) gtid = gtid_of(*g);
    if (const auto* g = std::get_if<MariaGtidEvent>(&*decoded))
      gtid = gtid_of(*g, header->server_id);
  }
  last_ = parser_.feed(*role);
  if (last_ == Boundary::kBegin) open_gtid_ = gtid;
  if (last_ == Boundary::kEnd || last_ == Boundary::kSingle) {
    completed_ = last_ == Boundary::kEnd ? open_gtid_ : std::nullopt;
    open_gtid_.reset();
  }
  return at_boundary();
}

}  // namespace twinlog::protocol
