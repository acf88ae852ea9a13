// Typed binlog events. Each struct views the bytes of the event it came from
// (string_view / span into the source's buffer, or into the framer's buffer for
// unpacked compressed events): it is valid while that buffer is.
//
// decode_event() turns an EventView into an Event (a std::variant); consumers
// std::visit. One decoder file per event family: control.cpp, statement.cpp,
// load.cpp, rows_events.cpp, gtid.cpp, payload.cpp.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <variant>
#include <vector>

#include "protocol/byte_reader.h"
#include "protocol/event_type.h"
#include "protocol/format_description.h"
#include "protocol/result.h"

namespace twinlog::protocol {

// One framed event: header, body (after the header, before any checksum) and its
// place in the input. Produced by the Framer.
struct EventView {
  EventHeader header;
  Bytes raw;                 // the whole event as framed (header .. checksum)
  Bytes body;                // after the common header, checksum excluded
  uint64_t offset = 0;       // file offset of the event (of the enclosing payload for inner events)
  uint32_t inner_index = 0;  // 1-based index inside a TRANSACTION_PAYLOAD, 0 for top level
  // For MariaDB compressed events the framer inflates the body and sets
  // header.type_code to the uncompressed type; the original code is kept here.
  uint8_t original_type_code = 0;
  // The common header's length from the FDE: 19, or more for servers that
  // extended it (Google's 5.1 group ids: 27); the extra bytes are skipped.
  uint8_t header_length = kHeaderLength;
  bool compressed() const {
    return original_type_code != 0 && original_type_code != header.type_code;
  }
  // Absolute offset of body[0] (for error messages).
  uint64_t body_offset() const { return inner_index ? offset : offset + header_length; }
};

// ---------------------------------------------------------------- control

struct StartV3Event {
  uint16_t binlog_version = 0;
  std::string_view server_version;
  uint32_t created = 0;
};
struct FormatDescriptionEvent {
  FormatDescription format;
};
struct StopEvent {};
struct RotateEvent {
  uint64_t position = 0;
  std::string_view next_file;
};
struct IntvarEvent {
  enum Kind : uint8_t { kInvalid = 0, kLastInsertId = 1, kInsertId = 2 };
  uint8_t kind = 0;
  uint64_t value = 0;
};
struct RandEvent {
  uint64_t seed1 = 0, seed2 = 0;
};
struct UserVarEvent {
  std::string_view name;
  bool is_null = false;
  uint8_t value_type =
      0;  // STRING_RESULT 0, REAL_RESULT 1, INT_RESULT 2, ROW_RESULT 3, DECIMAL_RESULT 4
  uint32_t charset = 0;
  Bytes value;
  uint8_t flags = 0;  // 0x01 UNSIGNED
};
struct XidEvent {
  uint64_t xid = 0;
};
struct IncidentEvent {
  uint16_t incident = 0;  // 1 LOST_EVENTS
  std::string_view message;
};
struct HeartbeatEvent {
  std::string_view log_file;
  std::optional<uint64_t> position;  // HEARTBEAT_V2 only
};
struct IgnorableEvent {
  Bytes body;
};
struct BinlogCheckpointEvent {  // MariaDB
  std::string_view file;
};
struct StartEncryptionEvent {  // MariaDB: the rest of the file is encrypted
  uint8_t scheme = 0;
  uint32_t key_version = 0;
  Bytes nonce;
};
// A type twinlog does not know (a newer server, a vendor's event such as Aurora's 100).
struct UnknownEvent {
  uint8_t type_code = 0;
  Bytes body;
};

// ---------------------------------------------------------------- statements

struct QueryStatusVars {
  std::optional<uint32_t> flags2;
  std::optional<uint64_t> sql_mode;
  std::optional<std::string_view> catalog;
  struct AutoIncrement {
    uint16_t increment = 1, offset = 1;
  };
  std::optional<AutoIncrement> auto_increment;
  struct Charset {
    uint16_t client = 0, connection = 0, server = 0;
  };
  std::optional<Charset> charset;
  std::optional<std::string_view> time_zone;
  std::optional<uint16_t> lc_time_names;
  std::optional<uint16_t> charset_database;
  std::optional<uint64_t> table_map_for_update;
  std::optional<uint32_t> master_data_written;
  struct Invoker {
    std::string_view user, host;
  };
  std::optional<Invoker> invoker;
  // Q_UPDATED_DB_NAMES: the databases the statement changed; `over_max` when the
  // server wrote OVER_MAX_DBS_IN_EVENT_MTS (254) instead of a list.
  bool has_updated_db_names = false;
  bool updated_db_names_over_max = false;
  std::vector<std::string_view> updated_db_names;
  std::optional<uint32_t> microseconds;
  // MySQL numbers these 14 Q_COMMIT_TS, 15 Q_COMMIT_TS2 (never read by the
  // servers: treated as unknown), 16 explicit_defaults_for_timestamp (1 byte),
  // 17 ddl xid, 18 utf8mb4 collation, 19 sql_require_primary_key,
  // 20 default_table_encryption.
  std::optional<uint64_t> commit_ts;                      // unused: code 14 is never decoded
  std::optional<uint16_t> explicit_defaults_ts;           // MySQL 16
  std::optional<uint64_t> ddl_xid;                        // MySQL 17
  std::optional<uint16_t> default_collation_for_utf8mb4;  // MySQL 18
  std::optional<uint8_t> sql_require_primary_key;         // MySQL 19
  std::optional<uint8_t> default_table_encryption;        // MySQL 20
  std::optional<uint64_t> hrnow;                          // MariaDB 128 (3 bytes, microseconds)
  std::optional<uint64_t> xid;                            // MariaDB 129
  std::optional<uint8_t> gtid_flags3;                     // MariaDB 130 Q_GTID_FLAGS3
  std::optional<uint64_t> start_alter_seq_no;             // MariaDB 130, COMMIT/ROLLBACK ALTER
  // MariaDB 131 Q_CHARACTER_SET_COLLATIONS: a count, then count 4-byte entries (raw).
  std::optional<uint8_t> character_set_collations_len;
  Bytes character_set_collations;
  // The first status variable code twinlog does not know. Parsing stops there
  // (its length is unknown); database and query are still found through
  // status_vars_len, and the caller reports the code as a warning.
  std::optional<uint8_t> unknown_code;
};

//   +0 thread_id u32 | +4 exec_time u32 | +8 db_len u8 | +9 error_code u16
//   +11 status_vars_len u16 (v4 only)
//   status vars | db NUL | query text (to the end)
struct QueryEvent {
  uint32_t thread_id = 0;
  uint32_t exec_time = 0;
  uint16_t error_code = 0;
  QueryStatusVars status;
  Bytes status_raw;
  std::string_view database;
  std::string_view query;
};
struct RowsQueryEvent {  // MySQL ROWS_QUERY: +0 length u8 (ignored), then the text
  std::string_view query;
};
struct AnnotateRowsEvent {  // MariaDB ANNOTATE_ROWS
  std::string_view query;
};

// ---------------------------------------------------------------- LOAD DATA

// Old LOAD (6) and NEW_LOAD (12), also the head of CREATE_FILE (8).
struct LoadEvent {
  uint8_t type_code = 0;
  uint32_t thread_id = 0, exec_time = 0, skip_lines = 0;
  uint32_t field_count = 0;
  std::optional<uint32_t> file_id;  // CREATE_FILE only
  std::string_view field_term, enclosed, line_term, line_start, escaped;
  uint8_t opt_flags = 0, empty_flags = 0;
  std::vector<std::string_view> fields;
  std::string_view table, database, file_name;
  Bytes block;  // CREATE_FILE: the first data block
};
struct AppendBlockEvent {  // APPEND_BLOCK (9) and BEGIN_LOAD_QUERY (17)
  uint8_t type_code = 0;
  uint32_t file_id = 0;
  Bytes block;
};
struct ExecLoadEvent {  // EXEC_LOAD (10) and DELETE_FILE (11)
  uint8_t type_code = 0;
  uint32_t file_id = 0;
};
struct ExecuteLoadQueryEvent {  // 18: a QUERY with 13 more post-header bytes
  QueryEvent query;
  uint32_t file_id = 0;
  uint32_t fn_pos_start = 0, fn_pos_end = 0;
  uint8_t dup_handling = 0;
};
struct SlaveEvent {  // 7: never written by real servers, decoded as bytes
  Bytes body;
};

// ---------------------------------------------------------------- rows

// Column type codes as in TABLE_MAP.
// ColumnDef::meta holds the type metadata decoded as follows (FORMAT-NOTES.md):
//   FLOAT, DOUBLE: pack length (4, 8)    VARCHAR, VAR_STRING: max byte length
//   BIT: (bytes << 8) | (bits % 8)       NEWDECIMAL: (precision << 8) | scale
//   BLOB, GEOMETRY, JSON, VECTOR: length bytes (1..4)
//   TIMESTAMP2, DATETIME2, TIME2: fractional digits (0..6)
//   STRING (254): real_type is resolved to ENUM / SET / STRING; for STRING meta is
//   the max byte length ((((b0 & 0x30) ^ 0x30) << 4) | b1), for ENUM / SET the pack
//   length (b1). For every other type real_type == type and meta is 0.
enum class ColumnType : uint8_t {
  kDecimal = 0,
  kTiny = 1,
  kShort = 2,
  kLong = 3,
  kFloat = 4,
  kDouble = 5,
  kNull = 6,
  kTimestamp = 7,
  kLongLong = 8,
  kInt24 = 9,
  kDate = 10,
  kTime = 11,
  kDateTime = 12,
  kYear = 13,
  kNewDate = 14,
  kVarchar = 15,
  kBit = 16,
  kTimestamp2 = 17,
  kDateTime2 = 18,
  kTime2 = 19,
  kTypedArray = 20,
  kVector = 242,
  kInvalid = 243,
  kBool = 244,
  kJson = 245,
  kNewDecimal = 246,
  kEnum = 247,
  kSet = 248,
  kTinyBlob = 249,
  kMediumBlob = 250,
  kLongBlob = 251,
  kBlob = 252,
  kVarString = 253,
  kString = 254,
  kGeometry = 255,
};

// One column as the table map describes it.
struct ColumnDef {
  ColumnType type = ColumnType::kNull;       // as in the table map
  ColumnType real_type = ColumnType::kNull;  // ENUM/SET/STRING resolved from STRING metadata
  uint16_t meta = 0;                         // type metadata, decoded per FORMAT-NOTES
  bool nullable = true;
  std::optional<bool> is_unsigned;            // from optional metadata SIGNEDNESS
  std::optional<uint32_t> charset;            // collation id, when metadata has it
  std::string_view name;                      // empty unless COLUMN_NAME metadata
  std::vector<std::string_view> enum_values;  // ENUM_STR_VALUE / SET_STR_VALUE
  std::optional<uint32_t> geometry_type;
  bool visible = true;
  std::optional<uint32_t> vector_dimensions;
};

//   +0 table_id (6 bytes, or 4 when post-header length is 6) | flags u16
//   body: db lstring8 NUL | table lstring8 NUL | column count (packed) |
//         types[count] | metadata (packed length + bytes) | null bitmap |
//         optional metadata TLVs to the end
struct TableMapEvent {
  uint64_t table_id = 0;
  uint16_t flags = 0;
  std::string_view database;
  std::string_view table;
  std::vector<ColumnDef> columns;
  std::vector<uint32_t>
      primary_key;  // column indexes (SIMPLE_PRIMARY_KEY / PRIMARY_KEY_WITH_PREFIX)
  std::vector<uint32_t> primary_key_prefix;  // prefix length per key column, 0 = whole
  Bytes optional_metadata;                   // raw TLVs
  // False for MySQL 5.1.15-5.1.17 table maps, which carry no column metadata: the
  // rows of such a table cannot be walked (variable-length columns have no size).
  bool has_column_metadata = true;
  bool has_optional_metadata() const { return !optional_metadata.empty(); }
};

enum class RowsKind : uint8_t { kWrite, kUpdate, kDelete, kPartialUpdate };

// Rows events: pre-GA (20-22), v1 (23-25), v2 (30-32), PARTIAL_UPDATE (39),
// MariaDB compressed (166-171, inflated by the framer).
//   +0 table_id (6, or 4) | flags u16 | v2: extra_len u16 (includes itself), extra
//   body: column count (packed) | present bitmap | UPDATE: after bitmap | rows
struct RowsEvent {
  RowsKind kind = RowsKind::kWrite;
  uint8_t version = 2;  // 0 pre-GA, 1, 2
  uint64_t table_id = 0;
  uint16_t flags = 0;  // 0x01 STMT_END_F
  Bytes extra_data;    // v2 extra data (without its length)
  uint64_t column_count = 0;
  Bytes columns_before;  // bitmap, (column_count+7)/8 bytes
  Bytes columns_after;   // UPDATE / PARTIAL_UPDATE only, otherwise empty
  Bytes rows;            // the row images
  bool end_of_statement() const { return flags & 0x01; }
  bool has_two_images() const {
    return kind == RowsKind::kUpdate || kind == RowsKind::kPartialUpdate;
  }
};

// ---------------------------------------------------------------- GTIDs

struct Uuid {
  std::array<uint8_t, 16> bytes{};
  bool operator==(const Uuid&) const = default;
};

// MySQL GTID (33), ANONYMOUS_GTID (34), GTID_TAGGED (42).
struct GtidEvent {
  bool anonymous = false;
  uint8_t flags = 0;  // bit 0: may have been committed (commit_flag)
  Uuid sid;
  int64_t gno = 0;
  std::string_view tag;  // GTID_TAGGED only
  std::optional<int64_t> last_committed, sequence_number;
  std::optional<uint64_t> immediate_commit_ts, original_commit_ts;  // microseconds
  std::optional<uint64_t> transaction_length;
  std::optional<uint32_t> immediate_server_version, original_server_version;
  std::optional<uint64_t> commit_group_ticket;
};

struct GtidInterval {
  int64_t start = 0, end = 0;  // [start, end) as on the wire
};
struct GtidSetEntry {
  Uuid sid;
  std::string_view tag;
  std::vector<GtidInterval> intervals;
};
struct PreviousGtidsEvent {
  std::vector<GtidSetEntry> sets;
};
struct TransactionContextEvent {
  std::string_view server_uuid;
  uint32_t thread_id = 0;
  bool gtid_specified = false;
  Bytes rest;
};
struct ViewChangeEvent {
  std::string_view view_id;
  uint64_t seq_number = 0;
  Bytes rest;
};
struct XidData {
  int32_t format_id = -1;
  Bytes gtrid, bqual;
};
struct XaPrepareEvent {
  bool one_phase = false;
  XidData xid;
};

// MariaDB GTID (162): seq_no u64 | domain_id u32 | flags u8 | [commit_id u64] | [xa]
struct MariaGtidEvent {
  uint64_t seq_no = 0;
  uint32_t domain_id = 0;
  uint8_t flags = 0;  // FL_STANDALONE 1, FL_GROUP_COMMIT_ID 2, FL_TRANSACTIONAL 4,
                      // FL_ALLOW_PARALLEL 8, FL_WAITED 16, FL_DDL 32,
                      // FL_PREPARED_XA 64, FL_COMPLETED_XA 128
  std::optional<uint64_t> commit_id;
  std::optional<XidData> xid;
  uint8_t flags_extra = 0;
  bool standalone() const { return flags & 0x01; }
};
struct MariaGtid {
  uint32_t domain_id = 0;
  uint32_t server_id = 0;
  uint64_t seq_no = 0;
};
struct MariaGtidListEvent {
  uint8_t flags = 0;
  std::vector<MariaGtid> gtids;
};

// ---------------------------------------------------------------- payload

// MySQL TRANSACTION_PAYLOAD (40): TLV header then the compressed events. The framer
// unpacks it and delivers the inner events after this one.
struct TransactionPayloadEvent {
  uint64_t compression_type = 0;  // 0 zstd, 255 none
  uint64_t payload_size = 0;
  uint64_t uncompressed_size = 0;
  Bytes payload;
};

using Event =
    std::variant<UnknownEvent, StartV3Event, FormatDescriptionEvent, StopEvent, RotateEvent,
                 IntvarEvent, RandEvent, UserVarEvent, XidEvent, IncidentEvent, HeartbeatEvent,
                 IgnorableEvent, BinlogCheckpointEvent, StartEncryptionEvent, QueryEvent,
                 RowsQueryEvent, AnnotateRowsEvent, LoadEvent, AppendBlockEvent, ExecLoadEvent,
                 ExecuteLoadQueryEvent, SlaveEvent, TableMapEvent, RowsEvent, GtidEvent,
                 PreviousGtidsEvent, TransactionContextEvent, ViewChangeEvent, XaPrepareEvent,
                 MariaGtidEvent, MariaGtidListEvent, TransactionPayloadEvent>;

// Decodes one framed event. An unknown type code gives UnknownEvent (the caller
// decides whether that is a warning or, with --strict, an error).
Result<Event> decode_event(const EventView& view, const FormatDescription& format);

// Per-family decoders (each in its own file), used by decode_event.
Result<Event> decode_control_event(const EventView& view, const FormatDescription& format);
Result<Event> decode_statement_event(const EventView& view, const FormatDescription& format);
Result<Event> decode_load_event(const EventView& view, const FormatDescription& format);
Result<Event> decode_rows_family_event(const EventView& view, const FormatDescription& format);
Result<Event> decode_gtid_event(const EventView& view, const FormatDescription& format);
Result<Event> decode_payload_event(const EventView& view, const FormatDescription& format);

// Parses QUERY status variables (also used for EXECUTE_LOAD_QUERY).
Result<QueryStatusVars> decode_query_status_vars(Bytes bytes, uint64_t offset);

// Which kind of rows event a type code is, if any.
std::optional<RowsKind> rows_kind_of(uint8_t type_code);

}  // namespace twinlog::protocol
