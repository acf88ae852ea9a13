// LOAD DATA INFILE events: the old family (LOAD, NEW_LOAD, CREATE_FILE,
// APPEND_BLOCK, EXEC_LOAD, DELETE_FILE; MySQL 3.23-5.0.2) and the current one
// (BEGIN_LOAD_QUERY, APPEND_BLOCK, EXECUTE_LOAD_QUERY; MySQL 5.0.3 on).
#include <string>

#include "protocol/events.h"
#include "protocol/query_layout.h"

namespace twinlog::protocol {
namespace {

constexpr std::size_t kLoadPostHeader = 18;
constexpr std::size_t kFileIdPostHeader = 4;
constexpr std::size_t kExecuteLoadQueryExtra = 13;  // file_id, fn_pos_start, fn_pos_end, dup

// Empty-string flags of the old single-character format.
constexpr uint8_t kFieldTermEmpty = 0x01;
constexpr uint8_t kEnclosedEmpty = 0x02;
constexpr uint8_t kLineTermEmpty = 0x04;
constexpr uint8_t kLineStartEmpty = 0x08;
constexpr uint8_t kEscapedEmpty = 0x10;

std::size_t post_header_or(const FormatDescription& format, EventType type, std::size_t fallback) {
  const std::size_t ph = format.post_header_length(static_cast<uint8_t>(type));
  return ph ? ph : fallback;
}

void skip_post_header_rest(ByteReader& r, std::size_t post_header_len, std::size_t known) {
  if (post_header_len > known) r.skip(post_header_len - known, "rest of post-header");
}

std::string_view until_nul(std::string_view s) {
  return s.substr(0, s.find('\0'));
}

// LOAD (6), NEW_LOAD (12), CREATE_FILE (8):
//   post-header (LOAD's length, 18): thread_id u32 | exec_time u32 | skip_lines u32 |
//     table_len u8 | db_len u8 | field_count u32
//   CREATE_FILE only, post-header (CREATE_FILE's length, 4): file_id u32
//   options: LOAD: field_term, enclosed, line_term, line_start, escaped (1 char each),
//              opt_flags u8, empty_flags u8 (a set bit makes that string empty)
//            NEW_LOAD, CREATE_FILE: the five strings as lstring8, then opt_flags u8
//   field_lens[field_count] u8 | fields, each NUL-terminated | table NUL | db NUL |
//   file name: LOAD, NEW_LOAD to the end; CREATE_FILE NUL-terminated, then the block
Result<Event> decode_load(ByteReader& r, const FormatDescription& format, uint8_t code) {
  const auto type = static_cast<EventType>(code);
  LoadEvent e;
  e.type_code = code;
  e.thread_id = r.u32("load thread id");
  e.exec_time = r.u32("load exec time");
  e.skip_lines = r.u32("load skip lines");
  const uint8_t table_len = r.u8("load table name length");
  const uint8_t db_len = r.u8("load database name length");
  e.field_count = r.u32("load field count");
  skip_post_header_rest(r, post_header_or(format, EventType::kLoad, kLoadPostHeader),
                        kLoadPostHeader);
  if (type == EventType::kCreateFile) {
    e.file_id = r.u32("create file id");
    skip_post_header_rest(r, post_header_or(format, type, kFileIdPostHeader), kFileIdPostHeader);
  }
  if (type == EventType::kLoad) {
    e.field_term = r.chars(1, "field terminator");
    e.enclosed = r.chars(1, "enclosed by");
    e.line_term = r.chars(1, "line terminator");
    e.line_start = r.chars(1, "line start");
    e.escaped = r.chars(1, "escaped by");
    e.opt_flags = r.u8("load option flags");
    e.empty_flags = r.u8("load empty flags");
    if (e.empty_flags & kFieldTermEmpty) e.field_term = {};
    if (e.empty_flags & kEnclosedEmpty) e.enclosed = {};
    if (e.empty_flags & kLineTermEmpty) e.line_term = {};
    if (e.empty_flags & kLineStartEmpty) e.line_start = {};
    if (e.empty_flags & kEscapedEmpty) e.escaped = {};
  } else {
    e.field_term = r.lstring8("field terminator");
    e.enclosed = r.lstring8("enclosed by");
    e.line_term = r.lstring8("line terminator");
    e.line_start = r.lstring8("line start");
    e.escaped = r.lstring8("escaped by");
    e.opt_flags = r.u8("load option flags");
  }
  Bytes field_lens = r.bytes(e.field_count, "load field name lengths");
  if (r.failed()) return r.error();
  for (std::byte len : field_lens) {
    e.fields.push_back(r.chars(std::to_integer<std::size_t>(len), "load field name"));
    if (r.u8("load field name terminator") != 0 && !r.failed()) {
      r.fail("load field name not NUL-terminated");
    }
    if (r.failed()) return r.error();
  }
  e.table = r.chars(table_len, "load table name");
  if (r.u8("load table name terminator") != 0 && !r.failed())
    r.fail("load table name not NUL-terminated");
  e.database = r.chars(db_len, "load database name");
  if (r.u8("load database name terminator") != 0 && !r.failed()) {
    r.fail("load database name not NUL-terminated");
  }
  if (type == EventType::kCreateFile) {
    e.file_name = r.cstring("create file name");
    e.block = r.rest();
  } else {
    e.file_name = until_nul(as_chars(r.rest()));
  }
  if (r.failed()) return r.error();
  return Event{std::move(e)};
}

// APPEND_BLOCK (9), BEGIN_LOAD_QUERY (17): file_id u32 | block (to the end)
Result<Event> decode_append_block(ByteReader& r, const FormatDescription& format, uint8_t code) {
  AppendBlockEvent e;
  e.type_code = code;
  e.file_id = r.u32("file id");
  skip_post_header_rest(r, post_header_or(format, static_cast<EventType>(code), kFileIdPostHeader),
                        kFileIdPostHeader);
  e.block = r.rest();
  if (r.failed()) return r.error();
  return Event{e};
}

// EXEC_LOAD (10), DELETE_FILE (11): file_id u32
Result<Event> decode_exec_load(ByteReader& r, uint8_t code) {
  ExecLoadEvent e;
  e.type_code = code;
  e.file_id = r.u32("file id");
  if (r.failed()) return r.error();
  return Event{e};
}

// EXECUTE_LOAD_QUERY (18): QUERY's layout with 13 more post-header bytes:
//   +13 file_id u32 | +17 fn_pos_start u32 | +21 fn_pos_end u32 | +25 dup_handling u8
//   (the file name sits in the query text between fn_pos_start and fn_pos_end)
Result<Event> decode_execute_load_query(const EventView& view, const FormatDescription& format) {
  const std::size_t ph =
      post_header_or(format, EventType::kExecuteLoadQuery, 13 + kExecuteLoadQueryExtra);
  if (ph < 13 + kExecuteLoadQueryExtra) {
    return DecodeError{view.body_offset(), "EXECUTE_LOAD_QUERY post-header length " +
                                               std::to_string(ph) + " is below 26"};
  }
  Bytes derived;
  uint64_t derived_at = 0;
  auto q = decode_query_layout(view, ph, &derived, &derived_at);
  if (!q) return q.error();
  ByteReader d(derived, derived_at);
  ExecuteLoadQueryEvent e;
  e.file_id = d.u32("file id");
  e.fn_pos_start = d.u32("file name start");
  e.fn_pos_end = d.u32("file name end");
  e.dup_handling = d.u8("duplicate handling");
  if (d.failed()) return d.error();
  e.query = std::move(q).value();
  if (e.fn_pos_start > e.fn_pos_end || e.fn_pos_end > e.query.query.size()) {
    return DecodeError{derived_at + 4, "EXECUTE_LOAD_QUERY file name position " +
                                           std::to_string(e.fn_pos_start) + ".." +
                                           std::to_string(e.fn_pos_end) + " outside the query (" +
                                           std::to_string(e.query.query.size()) + " bytes)"};
  }
  if (e.dup_handling > 2) {
    return DecodeError{derived_at + 12, "unknown EXECUTE_LOAD_QUERY duplicate handling " +
                                            std::to_string(e.dup_handling)};
  }
  return Event{std::move(e)};
}

}  // namespace

Result<Event> decode_load_event(const EventView& view, const FormatDescription& format) {
  const uint8_t code = view.header.type_code;
  ByteReader r(view.body, view.body_offset());
  switch (static_cast<EventType>(code)) {
    case EventType::kLoad:
    case EventType::kNewLoad:
    case EventType::kCreateFile:
      return decode_load(r, format, code);
    case EventType::kAppendBlock:
    case EventType::kBeginLoadQuery:
      return decode_append_block(r, format, code);
    case EventType::kExecLoad:
    case EventType::kDeleteFile:
      return decode_exec_load(r, code);
    case EventType::kExecuteLoadQuery:
      return decode_execute_load_query(view, format);
    case EventType::kSlave:
      // SLAVE (7): never written by a server; kept as bytes.
      return Event{SlaveEvent{view.body}};
    default:
      return DecodeError{view.offset, "not a LOAD DATA event: type " + std::to_string(code)};
  }
}

}  // namespace twinlog::protocol
