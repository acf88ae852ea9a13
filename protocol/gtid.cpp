// Transaction identity: MySQL GTID / ANONYMOUS_GTID / GTID_TAGGED,
// PREVIOUS_GTIDS, TRANSACTION_CONTEXT, VIEW_CHANGE, XA_PREPARE, and MariaDB's
// GTID and GTID_LIST.
#include <string>

#include "protocol/events.h"

namespace twinlog::protocol {
namespace {

constexpr uint8_t kLogicalTimestampTypecode = 2;
constexpr uint64_t kCommitTsHasOriginal = 1ull << 55;  // top bit of the 7-byte timestamp
constexpr uint32_t kServerVersionHasOriginal = 1u << 31;
constexpr std::size_t kMaxTagLength = 32;
constexpr uint32_t kMaxXidPart = 64;  // MAXGTRIDSIZE, MAXBQUALSIZE

Uuid read_uuid(ByteReader& r) {
  Uuid u;
  Bytes b = r.bytes(16, "uuid");
  if (!r.failed()) {
    for (std::size_t i = 0; i < 16; ++i) u.bytes[i] = std::to_integer<uint8_t>(b[i]);
  }
  return u;
}

// mysql::serialization variable-length unsigned integer: the number of trailing
// one bits of the first byte, plus one, is the length (1..9 bytes); the value
// follows those bits, little-endian (libs/mysql/serialization/variable_length_integers.h).
uint64_t read_varlen_unsigned(ByteReader& r, std::string_view what) {
  const uint8_t first = r.u8(what);
  if (r.failed()) return 0;
  std::size_t n = 1;
  while (n < 9 && ((first >> (n - 1)) & 1)) ++n;
  if (n == 1) return first >> 1;
  const uint64_t rest = r.uint_n(n - 1, what);
  if (r.failed()) return 0;
  if (n == 9) return rest;  // all 8 low-order bits of the first byte are length bits
  return (first >> n) | (rest << (8 - n));
}
// An unsigned varlen integer that must fit `max` (the field's type in the server).
uint64_t read_varlen_at_most(ByteReader& r, std::string_view what, uint64_t max) {
  const uint64_t v = read_varlen_unsigned(r, what);
  if (!r.failed() && v > max) r.fail(std::string(what) + " " + std::to_string(v) + " out of range");
  return v;
}
// Signed: zigzag with the sign in the lowest bit.
int64_t read_varlen_signed(ByteReader& r, std::string_view what) {
  const uint64_t u = read_varlen_unsigned(r, what);
  const uint64_t mag = u >> 1;
  return static_cast<int64_t>((u & 1) ? ~mag : mag);
}

// MySQL GTID (33) and ANONYMOUS_GTID (34):
//   flags u8 | sid[16] | gno i64 | lt_type u8 (2) | last_committed i64 | sequence_number i64
//   then each present only when bytes remain (MySQL 8.0):
//   immediate_commit_ts u56 (top bit: original_commit_ts u56 follows) |
//   transaction_length (packed) |
//   immediate_server_version u32 (top bit: original_server_version u32 follows) |
//   commit_group_ticket u64 (8.0.27+)
Result<Event> decode_mysql_gtid(ByteReader& r, bool anonymous) {
  GtidEvent e;
  e.anonymous = anonymous;
  e.flags = r.u8("gtid flags");
  e.sid = read_uuid(r);
  e.gno = static_cast<int64_t>(r.u64("gno"));
  if (!r.failed() && !r.at_end()) {
    const uint64_t at = r.absolute();
    const uint8_t lt_type = r.u8("logical timestamp type");
    if (!r.failed() && lt_type != kLogicalTimestampTypecode) {
      return DecodeError{at, "unknown logical timestamp type " + std::to_string(lt_type)};
    }
    e.last_committed = static_cast<int64_t>(r.u64("last_committed"));
    e.sequence_number = static_cast<int64_t>(r.u64("sequence_number"));
  }
  if (!r.failed() && !r.at_end()) {
    uint64_t ts = r.uint_n(7, "immediate commit timestamp");
    if (ts & kCommitTsHasOriginal) {
      ts &= ~kCommitTsHasOriginal;
      e.original_commit_ts = r.uint_n(7, "original commit timestamp");
    } else {
      e.original_commit_ts = ts;
    }
    e.immediate_commit_ts = ts;
  }
  if (!r.failed() && !r.at_end()) e.transaction_length = r.packed_int("transaction length");
  if (!r.failed() && !r.at_end()) {
    uint32_t v = r.u32("immediate server version");
    if (v & kServerVersionHasOriginal) {
      v &= ~kServerVersionHasOriginal;
      e.original_server_version = r.u32("original server version");
    } else {
      e.original_server_version = v;
    }
    e.immediate_server_version = v;
  }
  if (!r.failed() && !r.at_end()) e.commit_group_ticket = r.u64("commit group ticket");
  if (r.failed()) return r.error();
  if (!r.at_end()) {
    return DecodeError{r.absolute(),
                       std::to_string(r.remaining()) + " unknown bytes after the GTID fields"};
  }
  return Event{e};
}

// GTID_TAGGED (42, MySQL 8.3+): one mysql::serialization message, every integer
// a varlen integer (see read_varlen_unsigned):
//   format_version (1) | message size (from the message start) | last non-ignorable
//   field id | fields, each: field id | value, ids ascending, absent fields skipped:
//   0 flags u8 | 1 uuid (16 varlen bytes) | 2 gno (signed) | 3 tag (length, chars) |
//   4 last_committed (signed) | 5 sequence_number (signed) | 6 immediate_commit_ts |
//   7 original_commit_ts (absent: = immediate) | 8 transaction_length |
//   9 immediate_server_version | 10 original_server_version (absent: = immediate) |
//   11 commit_group_ticket
// Fields with ids past 11 are ignorable by definition and skipped to the message end.
Result<Event> decode_gtid_tagged(ByteReader& outer) {
  constexpr uint64_t kLastKnownField = 11;
  const uint64_t start = outer.absolute();
  const std::size_t start_pos = outer.position();
  const uint64_t version = read_varlen_unsigned(outer, "serialization format version");
  const uint64_t size = read_varlen_unsigned(outer, "serialized message size");
  const uint64_t last_non_ignorable = read_varlen_unsigned(outer, "last non-ignorable field id");
  if (outer.failed()) return outer.error();
  if (version != 1) {
    return DecodeError{start,
                       "unknown GTID_TAGGED serialization format " + std::to_string(version)};
  }
  const std::size_t header_len = outer.position() - start_pos;
  if (size < header_len) {
    return DecodeError{start,
                       "GTID_TAGGED message size " + std::to_string(size) + " is below its header"};
  }
  if (last_non_ignorable > kLastKnownField + 1) {
    return DecodeError{start, "GTID_TAGGED has unknown non-ignorable field " +
                                  std::to_string(last_non_ignorable - 1)};
  }
  const uint64_t fields_at = outer.absolute();
  Bytes fields = outer.bytes(size - header_len, "GTID_TAGGED fields");
  if (outer.failed()) return outer.error();

  ByteReader r(fields, fields_at);
  GtidEvent e;
  int64_t next_id = -1;
  while (!r.failed() && !r.at_end()) {
    const uint64_t at = r.absolute();
    const uint64_t id = read_varlen_unsigned(r, "field id");
    if (r.failed()) break;
    if (static_cast<int64_t>(id) <= next_id) {
      return DecodeError{at, "GTID_TAGGED field id " + std::to_string(id) + " out of order"};
    }
    next_id = static_cast<int64_t>(id);
    if (id > kLastKnownField) break;  // ignorable fields of a newer server
    switch (id) {
      case 0:
        e.flags = static_cast<uint8_t>(read_varlen_at_most(r, "gtid flags", 0xff));
        break;
      case 1:
        for (auto& b : e.sid.bytes)
          b = static_cast<uint8_t>(read_varlen_at_most(r, "uuid byte", 0xff));
        break;
      case 2:
        e.gno = read_varlen_signed(r, "gno");
        break;
      case 3: {
        const uint64_t len = read_varlen_unsigned(r, "tag length");
        if (!r.failed() && len > kMaxTagLength) {
          return DecodeError{r.absolute(),
                             "GTID tag of " + std::to_string(len) + " characters (max 32)"};
        }
        e.tag = r.chars(len, "tag");
        break;
      }
      case 4:
        e.last_committed = read_varlen_signed(r, "last_committed");
        break;
      case 5:
        e.sequence_number = read_varlen_signed(r, "sequence_number");
        break;
      case 6:
        e.immediate_commit_ts = read_varlen_unsigned(r, "immediate commit timestamp");
        break;
      case 7:
        e.original_commit_ts = read_varlen_unsigned(r, "original commit timestamp");
        break;
      case 8:
        e.transaction_length = read_varlen_unsigned(r, "transaction length");
        break;
      case 9:
        e.immediate_server_version =
            static_cast<uint32_t>(read_varlen_at_most(r, "immediate server version", 0xffffffff));
        break;
      case 10:
        e.original_server_version =
            static_cast<uint32_t>(read_varlen_at_most(r, "original server version", 0xffffffff));
        break;
      case 11:
        e.commit_group_ticket = read_varlen_unsigned(r, "commit group ticket");
        break;
    }
  }
  if (r.failed()) return r.error();
  if (!e.original_commit_ts) e.original_commit_ts = e.immediate_commit_ts;
  if (!e.original_server_version) e.original_server_version = e.immediate_server_version;
  if (!outer.at_end()) {
    return DecodeError{outer.absolute(),
                       std::to_string(outer.remaining()) + " bytes after the GTID_TAGGED message"};
  }
  return Event{e};
}

// PREVIOUS_GTIDS (35):
//   word u64: untagged (top byte 0): n_sids = the low 56 bits;
//             tagged (top byte 1, 8.3+): n_sids = bits 8..55, low byte 1
//   per sid: uuid[16] | tagged: tag (varlen length, chars) | n_intervals u64 |
//            intervals: start i64, end i64 (end exclusive)
Result<Event> decode_previous_gtids(ByteReader& r) {
  PreviousGtidsEvent e;
  const uint64_t at = r.absolute();
  const uint64_t word = r.u64("sid count");
  if (r.failed()) return r.error();
  const uint8_t format = static_cast<uint8_t>(word >> 56);
  bool tagged = false;
  uint64_t n_sids = 0;
  if (format == 0) {
    n_sids = word;
  } else if (format == 1 && (word & 0xff) == 1) {
    tagged = true;
    n_sids = (word >> 8) & ((1ull << 48) - 1);
  } else {
    return DecodeError{at, "unknown GTID set format " + std::to_string(format)};
  }
  // Each sid takes at least 24 bytes: a count beyond the body is garbage, not a reason to allocate.
  if (n_sids > r.remaining() / 24) {
    return DecodeError{at, "GTID set claims " + std::to_string(n_sids) + " sids in " +
                               std::to_string(r.remaining()) + " bytes"};
  }
  for (uint64_t i = 0; i < n_sids; ++i) {
    GtidSetEntry s;
    s.sid = read_uuid(r);
    if (tagged) {
      const uint64_t len = read_varlen_unsigned(r, "tag length");
      if (!r.failed() && len > kMaxTagLength) {
        return DecodeError{r.absolute(),
                           "GTID tag of " + std::to_string(len) + " characters (max 32)"};
      }
      s.tag = r.chars(len, "tag");
    }
    const uint64_t n_intervals = r.u64("interval count");
    if (r.failed()) return r.error();
    if (n_intervals > r.remaining() / 16) {
      return DecodeError{r.absolute() - 8, "GTID set claims " + std::to_string(n_intervals) +
                                               " intervals in " + std::to_string(r.remaining()) +
                                               " bytes"};
    }
    for (uint64_t k = 0; k < n_intervals; ++k) {
      GtidInterval iv;
      iv.start = static_cast<int64_t>(r.u64("interval start"));
      iv.end = static_cast<int64_t>(r.u64("interval end"));
      s.intervals.push_back(iv);
    }
    if (r.failed()) return r.error();
    e.sets.push_back(std::move(s));
  }
  if (!r.at_end()) {
    return DecodeError{r.absolute(), std::to_string(r.remaining()) + " bytes after the GTID set"};
  }
  return Event{std::move(e)};
}

// TRANSACTION_CONTEXT (36):
//   server_uuid_len u8 | thread_id u32 | gtid_specified u8 | snapshot_version_len u32 |
//   write_set_len u32 | read_set_len u32 | server_uuid | rest (snapshot version, sets)
Result<Event> decode_transaction_context(ByteReader& r) {
  TransactionContextEvent e;
  const uint8_t uuid_len = r.u8("server uuid length");
  e.thread_id = r.u32("thread id");
  e.gtid_specified = r.u8("gtid specified") != 0;
  r.skip(12, "set lengths");
  e.server_uuid = r.chars(uuid_len, "server uuid");
  e.rest = r.rest();
  if (r.failed()) return r.error();
  return Event{e};
}

// VIEW_CHANGE (37): view_id char[40] (NUL padded) | seq_number u64 |
//   certification info count u32 | rest
Result<Event> decode_view_change(ByteReader& r) {
  ViewChangeEvent e;
  std::string_view id = r.chars(40, "view id");
  e.view_id = id.substr(0, id.find('\0'));
  e.seq_number = r.u64("view change sequence number");
  e.rest = r.rest();
  if (r.failed()) return r.error();
  return Event{e};
}

// XA_PREPARE (38): one_phase u8 | format_id i32 | gtrid_len u32 | bqual_len u32 |
//   gtrid[gtrid_len] | bqual[bqual_len]
Result<Event> decode_xa_prepare(ByteReader& r) {
  XaPrepareEvent e;
  e.one_phase = r.u8("one phase") != 0;
  e.xid.format_id = static_cast<int32_t>(r.u32("xid format id"));
  const uint64_t at = r.absolute();
  const uint32_t gtrid_len = r.u32("gtrid length");
  const uint32_t bqual_len = r.u32("bqual length");
  if (r.failed()) return r.error();
  if (gtrid_len > kMaxXidPart || bqual_len > kMaxXidPart) {
    return DecodeError{at, "XA xid lengths " + std::to_string(gtrid_len) + "/" +
                               std::to_string(bqual_len) + " exceed 64"};
  }
  e.xid.gtrid = r.bytes(gtrid_len, "gtrid");
  e.xid.bqual = r.bytes(bqual_len, "bqual");
  if (r.failed()) return r.error();
  return Event{e};
}

// MariaDB GTID (162):
//   seq_no u64 | domain_id u32 | flags u8 |
//   FL_GROUP_COMMIT_ID (2): commit_id u64 |
//   FL_PREPARED_XA (64) / FL_COMPLETED_XA (128): format_id u32, gtrid_len u8,
//     bqual_len u8, data[gtrid_len + bqual_len] |
//   when bytes remain (10.x+): flags_extra u8 | FL_EXTRA_MULTI_ENGINE (1): engines u8 |
//     FL_COMMIT_ALTER (4) / FL_ROLLBACK_ALTER (8): start alter seq_no u64 |
//   zero padding up to the 19-byte post-header
Result<Event> decode_maria_gtid(ByteReader& r) {
  constexpr uint8_t kFlGroupCommitId = 0x02, kFlPreparedXa = 0x40, kFlCompletedXa = 0x80;
  constexpr uint8_t kFlExtraMultiEngine = 0x01, kFlCommitAlter = 0x04, kFlRollbackAlter = 0x08;
  MariaGtidEvent e;
  e.seq_no = r.u64("gtid sequence number");
  e.domain_id = r.u32("gtid domain id");
  e.flags = r.u8("gtid flags");
  if (e.flags & kFlGroupCommitId) e.commit_id = r.u64("commit id");
  if (e.flags & (kFlPreparedXa | kFlCompletedXa)) {
    XidData x;
    x.format_id = static_cast<int32_t>(r.u32("xid format id"));
    const uint8_t gtrid_len = r.u8("gtrid length");
    const uint8_t bqual_len = r.u8("bqual length");
    if (!r.failed() && (gtrid_len > kMaxXidPart || bqual_len > kMaxXidPart)) {
      return DecodeError{r.absolute() - 2, "XA xid lengths " + std::to_string(gtrid_len) + "/" +
                                               std::to_string(bqual_len) + " exceed 64"};
    }
    x.gtrid = r.bytes(gtrid_len, "gtrid");
    x.bqual = r.bytes(bqual_len, "bqual");
    e.xid = x;
  }
  if (!r.failed() && !r.at_end()) {
    e.flags_extra = r.u8("gtid extra flags");
    if (e.flags_extra & kFlExtraMultiEngine) r.skip(1, "gtid extra engines");
    if (e.flags_extra & (kFlCommitAlter | kFlRollbackAlter))
      r.skip(8, "start alter sequence number");
  }
  if (r.failed()) return r.error();
  return Event{e};
}

// MariaDB GTID_LIST (163): count u32 (low 28 bits; top 4 bits flags) |
//   count * (domain_id u32 | server_id u32 | seq_no u64)
Result<Event> decode_maria_gtid_list(ByteReader& r) {
  MariaGtidListEvent e;
  const uint64_t at = r.absolute();
  const uint32_t word = r.u32("gtid list count");
  if (r.failed()) return r.error();
  e.flags = static_cast<uint8_t>(word >> 28);
  const uint32_t count = word & 0x0fffffff;
  if (count > r.remaining() / 16) {
    return DecodeError{at, "GTID list claims " + std::to_string(count) + " entries in " +
                               std::to_string(r.remaining()) + " bytes"};
  }
  for (uint32_t i = 0; i < count; ++i) {
    MariaGtid g;
    g.domain_id = r.u32("gtid domain id");
    g.server_id = r.u32("gtid server id");
    g.seq_no = r.u64("gtid sequence number");
    e.gtids.push_back(g);
  }
  if (r.failed()) return r.error();
  return Event{std::move(e)};
}

}  // namespace

Result<Event> decode_gtid_event(const EventView& view, const FormatDescription&) {
  ByteReader r(view.body, view.body_offset());
  switch (static_cast<EventType>(view.header.type_code)) {
    case EventType::kGtid:
      return decode_mysql_gtid(r, false);
    case EventType::kAnonymousGtid:
      return decode_mysql_gtid(r, true);
    case EventType::kGtidTagged:
      return decode_gtid_tagged(r);
    case EventType::kPreviousGtids:
      return decode_previous_gtids(r);
    case EventType::kTransactionContext:
      return decode_transaction_context(r);
    case EventType::kViewChange:
      return decode_view_change(r);
    case EventType::kXaPrepare:
      return decode_xa_prepare(r);
    case EventType::kMariaGtid:
      return decode_maria_gtid(r);
    case EventType::kMariaGtidList:
      return decode_maria_gtid_list(r);
    default:
      return DecodeError{view.offset,
                         "not a GTID event: type " + std::to_string(view.header.type_code)};
  }
}

}  // namespace twinlog::protocol
