// Statement events: QUERY (and its status variables), MySQL ROWS_QUERY and
// MariaDB ANNOTATE_ROWS, the statement text behind row events.
#include <string>

#include "protocol/events.h"
#include "protocol/query_layout.h"

namespace twinlog::protocol {
namespace {

constexpr std::size_t kQueryMinimalPostHeader = 11;  // binlog v3: no status_vars_len
constexpr std::size_t kQueryPostHeader = 13;         // binlog v4
constexpr uint8_t kMaxDbsInEventMts = 16;            // more is written as OVER_MAX (254)

// MariaDB Gtid_log_event extra flags that carry the START ALTER's sequence number.
constexpr uint8_t kFlCommitAlter = 0x04;
constexpr uint8_t kFlRollbackAlter = 0x08;

}  // namespace

// Status variables: a sequence of code u8 + value, lengths by code:
//   0 flags2 u32 | 1 sql_mode u64 | 2 catalog: len u8, chars, NUL | 3 auto_increment
//   increment u16, offset u16 | 4 charset client u16, connection u16, server u16 |
//   5 time_zone lstring8 | 6 catalog lstring8 | 7 lc_time_names u16 |
//   8 charset_database u16 | 9 table_map_for_update u64 | 10 master_data_written u32 |
//   11 invoker user lstring8, host lstring8 | 12 updated db names: count u8, then
//   count NUL-terminated names (count > 16, written as 254, means "too many", no names) |
//   13 microseconds u24 | 14, 15 commit ts (never read by the servers) |
//   16 explicit_defaults_for_timestamp u8 | 17 ddl xid u64 | 18 utf8mb4 collation u16 |
//   19 sql_require_primary_key u8 | 20 default_table_encryption u8 |
//   MariaDB: 128 hrnow u24 | 129 xid u64 | 130 gtid flags3 u8 [+ start alter seq u64
//   when flags3 has COMMIT_ALTER or ROLLBACK_ALTER] | 131 character set collations:
//   count u8, count * (charset u16, collation u16) | 255 Q_DUMMY ends the block.
// An unknown code stops parsing: its length cannot be known.
Result<QueryStatusVars> decode_query_status_vars(Bytes bytes, uint64_t offset) {
  ByteReader r(bytes, offset);
  QueryStatusVars s;
  while (!r.failed() && !r.at_end()) {
    const uint8_t code = r.u8("status variable code");
    switch (code) {
      case 0:
        s.flags2 = r.u32("Q_FLAGS2");
        break;
      case 1:
        s.sql_mode = r.u64("Q_SQL_MODE");
        break;
      case 2: {
        const uint8_t len = r.u8("Q_CATALOG length");
        s.catalog = r.chars(len, "Q_CATALOG");
        if (r.u8("Q_CATALOG terminator") != 0 && !r.failed()) {
          r.fail("Q_CATALOG not NUL-terminated");
        }
        break;
      }
      case 3: {
        QueryStatusVars::AutoIncrement a;
        a.increment = r.u16("Q_AUTO_INCREMENT increment");
        a.offset = r.u16("Q_AUTO_INCREMENT offset");
        s.auto_increment = a;
        break;
      }
      case 4: {
        QueryStatusVars::Charset c;
        c.client = r.u16("Q_CHARSET client");
        c.connection = r.u16("Q_CHARSET connection");
        c.server = r.u16("Q_CHARSET server");
        s.charset = c;
        break;
      }
      case 5:
        s.time_zone = r.lstring8("Q_TIME_ZONE");
        break;
      case 6:
        s.catalog = r.lstring8("Q_CATALOG_NZ");
        break;
      case 7:
        s.lc_time_names = r.u16("Q_LC_TIME_NAMES");
        break;
      case 8:
        s.charset_database = r.u16("Q_CHARSET_DATABASE");
        break;
      case 9:
        s.table_map_for_update = r.u64("Q_TABLE_MAP_FOR_UPDATE");
        break;
      case 10:
        s.master_data_written = r.u32("Q_MASTER_DATA_WRITTEN");
        break;
      case 11: {
        QueryStatusVars::Invoker inv;
        inv.user = r.lstring8("Q_INVOKER user");
        inv.host = r.lstring8("Q_INVOKER host");
        s.invoker = inv;
        break;
      }
      case 12: {
        const uint8_t count = r.u8("Q_UPDATED_DB_NAMES count");
        s.has_updated_db_names = true;
        if (count > kMaxDbsInEventMts) {
          s.updated_db_names_over_max = true;
          break;
        }
        for (uint8_t i = 0; i < count && !r.failed(); ++i) {
          s.updated_db_names.push_back(r.cstring("Q_UPDATED_DB_NAMES name"));
        }
        break;
      }
      case 13:
        s.microseconds = r.u24("Q_MICROSECONDS");
        break;
      case 16:
        s.explicit_defaults_ts = r.u8("Q_EXPLICIT_DEFAULTS_FOR_TIMESTAMP");
        break;
      case 17:
        s.ddl_xid = r.u64("Q_DDL_LOGGED_WITH_XID");
        break;
      case 18:
        s.default_collation_for_utf8mb4 = r.u16("Q_DEFAULT_COLLATION_FOR_UTF8MB4");
        break;
      case 19:
        s.sql_require_primary_key = r.u8("Q_SQL_REQUIRE_PRIMARY_KEY");
        break;
      case 20:
        s.default_table_encryption = r.u8("Q_DEFAULT_TABLE_ENCRYPTION");
        break;
      case 128:
        s.hrnow = r.u24("Q_HRNOW");
        break;
      case 129:
        s.xid = r.u64("Q_XID");
        break;
      case 130: {
        const uint8_t flags = r.u8("Q_GTID_FLAGS3");
        s.gtid_flags3 = flags;
        if (flags & (kFlCommitAlter | kFlRollbackAlter)) {
          s.start_alter_seq_no = r.u64("Q_GTID_FLAGS3 start alter sequence number");
        }
        break;
      }
      case 131: {
        const uint8_t count = r.u8("Q_CHARACTER_SET_COLLATIONS count");
        s.character_set_collations_len = count;
        s.character_set_collations = r.bytes(std::size_t{count} * 4, "Q_CHARACTER_SET_COLLATIONS");
        break;
      }
      case 255:
        // MariaDB Q_DUMMY: the server stops reading status variables here, as at
        // the end of the block.
        return s;
      default:
        s.unknown_code = code;
        return s;
    }
  }
  if (r.failed()) return r.error();
  return s;
}

// QUERY (v4; v3 lacks status_vars_len):
//   +0 thread_id u32 | +4 exec_time u32 | +8 db_len u8 | +9 error_code u16
//   +11 status_vars_len u16 | +13 derived post-header bytes (EXECUTE_LOAD_QUERY)
//   status vars[status_vars_len] | db[db_len] NUL | query (to the end)
Result<QueryEvent> decode_query_layout(const EventView& view, std::size_t post_header_len,
                                       Bytes* derived, uint64_t* derived_offset) {
  if (post_header_len < kQueryMinimalPostHeader) {
    return DecodeError{view.body_offset(), "QUERY post-header length " +
                                               std::to_string(post_header_len) + " is below " +
                                               std::to_string(kQueryMinimalPostHeader)};
  }
  ByteReader r(view.body, view.body_offset());
  QueryEvent e;
  e.thread_id = r.u32("thread id");
  e.exec_time = r.u32("exec time");
  const uint8_t db_len = r.u8("database name length");
  e.error_code = r.u16("error code");
  uint16_t status_len = 0;
  std::size_t known = kQueryMinimalPostHeader;
  if (post_header_len >= kQueryPostHeader) {
    status_len = r.u16("status variables length");
    known = kQueryPostHeader;
  }
  const uint64_t derived_at = r.absolute();
  Bytes rest_of_post_header = r.bytes(post_header_len - known, "rest of post-header");
  if (derived) *derived = rest_of_post_header;
  if (derived_offset) *derived_offset = derived_at;
  const uint64_t status_at = r.absolute();
  e.status_raw = r.bytes(status_len, "status variables");
  e.database = r.chars(db_len, "database name");
  const uint64_t nul_at = r.absolute();
  const uint8_t nul = r.u8("database name terminator");
  if (r.failed()) return r.error();
  if (nul != 0) return DecodeError{nul_at, "database name not NUL-terminated"};
  e.query = as_chars(r.rest());
  auto status = decode_query_status_vars(e.status_raw, status_at);
  if (!status) return status.error();
  e.status = std::move(status).value();
  return e;
}

Result<Event> decode_statement_event(const EventView& view, const FormatDescription& format) {
  const uint8_t code = view.header.type_code;
  switch (static_cast<EventType>(code)) {
    case EventType::kQuery:
    case EventType::kMariaQueryCompressed: {
      // 165 normally arrives inflated as type 2; a raw one has QUERY's layout.
      std::size_t ph = format.post_header_length(code);
      if (ph == 0) ph = format.post_header_length(static_cast<uint8_t>(EventType::kQuery));
      if (ph == 0) ph = kQueryPostHeader;
      auto q = decode_query_layout(view, ph, nullptr, nullptr);
      if (!q) return q.error();
      return Event{std::move(q).value()};
    }
    case EventType::kRowsQuery: {
      // ROWS_QUERY: length u8 (truncated to 255, ignored) | text (to the end)
      ByteReader r(view.body, view.body_offset());
      r.skip(1, "rows query length");
      if (r.failed()) return r.error();
      return Event{RowsQueryEvent{as_chars(r.rest())}};
    }
    case EventType::kMariaAnnotateRows:
      // ANNOTATE_ROWS: the text is the whole body.
      return Event{AnnotateRowsEvent{as_chars(view.body)}};
    default:
      return DecodeError{view.offset, "not a statement event: type " + std::to_string(code)};
  }
}

}  // namespace twinlog::protocol
