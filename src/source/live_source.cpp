#include "src/source/live_source.h"

#include <mysql.h>
#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <ctime>
#include <thread>

#include "protocol/dump_packet.h"
#include "protocol/event_type.h"
#include "src/source/dump_packet_reader.h"

namespace twinlog {
namespace {

using protocol::EventType;
using Clock = std::chrono::steady_clock;

constexpr uint16_t kFlagArtificial = 0x0020;  // LOG_EVENT_ARTIFICIAL_F
constexpr uint16_t kDumpNonBlock = 0x0001;    // BINLOG_DUMP_NON_BLOCK
// MariaDB sends ANNOTATE_ROWS only to a replica asking for it; without them the
// stream would not be the file.
constexpr uint16_t kDumpSendAnnotateRows = 0x0002;  // BINLOG_SEND_ANNOTATE_ROWS_EVENT
constexpr unsigned kErrReadingBinlog = 1236;        // ER_MASTER_FATAL_ERROR_READING_BINLOG
constexpr uint64_t kMaxServerId = UINT32_MAX;

void put_le(std::string& buf, uint64_t v, int n) {
  for (int i = 0; i < n; ++i) buf += static_cast<char>((v >> (8 * i)) & 0xff);
}

std::string position_text(const BinlogPosition& p) {
  return p.file + ":" + std::to_string(p.offset);
}

}  // namespace

int compare_binlog_names(std::string_view a, std::string_view b) {
  auto split = [](std::string_view s) {
    auto dot = s.rfind('.');
    return dot == std::string_view::npos ? std::pair{s, std::string_view{}}
                                         : std::pair{s.substr(0, dot), s.substr(dot + 1)};
  };
  auto [base_a, num_a] = split(a);
  auto [base_b, num_b] = split(b);
  if (base_a != base_b) return base_a < base_b ? -1 : 1;
  if (num_a.size() != num_b.size()) return num_a.size() < num_b.size() ? -1 : 1;
  return num_a == num_b ? 0 : (num_a < num_b ? -1 : 1);
}

int compare_positions(const BinlogPosition& a, const BinlogPosition& b) {
  int c = compare_binlog_names(a.file, b.file);
  if (c != 0) return c;
  return a.offset == b.offset ? 0 : (a.offset < b.offset ? -1 : 1);
}

uint32_t choose_replica_server_id(const std::set<uint32_t>& taken, uint64_t seed) {
  // 0x70000000..0x7fffffff: far from the small numbers operators give servers.
  constexpr uint32_t kBase = 0x70000000u;
  constexpr uint32_t kSpan = 0x10000000u;
  uint32_t id = kBase + static_cast<uint32_t>((seed * 0x9E3779B97F4A7C15ull) >> 36) % kSpan;
  for (uint32_t tries = 0; tries < kSpan && taken.contains(id); ++tries)
    id = kBase + (id - kBase + 1) % kSpan;
  return id;
}

std::string check_replica_server_id(uint32_t id, const TakenServerIds& taken) {
  if (id == 0) return "server_id 0 cannot be used by a replica";
  if (!taken.ids.contains(id)) return {};
  std::string why = "server_id " + std::to_string(id) + " clashes: ";
  std::string sep;
  for (const auto& r : taken.reasons) {
    if (r.starts_with("server_id " + std::to_string(id) + " ")) {
      why += sep + r;
      sep = "; ";
    }
  }
  return why + " (a replica connecting with an id in use disconnects the other one)";
}

std::vector<std::string> LiveSource::binlog_names(Connection& conn) {
  std::vector<std::string> names;
  for (const auto& row : conn.query("SHOW BINARY LOGS").rows)
    if (row[0]) names.push_back(*row[0]);
  return names;
}

void LiveSource::check_binlog_listed(const BinlogPosition& at,
                                     const std::vector<std::string>& names) {
  if (std::find(names.begin(), names.end(), at.file) != names.end()) return;
  std::string target = conn_ ? conn_->target() : "the server";
  std::string have = names.empty() ? "no binlogs" : names.front() + " to " + names.back();
  if (!names.empty() && compare_binlog_names(at.file, names.front()) < 0)
    throw SourceError(at.file, at.offset,
                      "binlog " + at.file + " has been purged from " + target + " (it has " + have +
                          "): the events there are lost to a live read");
  throw SourceError(at.file, at.offset,
                    "no binlog named " + at.file + " on " + target + " (it has " + have + ")");
}

LiveSource::LiveSource(LiveSourceOptions options)
    : options_(std::move(options)), stop_(options_.stop) {}

LiveSource::~LiveSource() = default;

void LiveSource::note(const std::string& text) const {
  if (options_.note) options_.note(text);
}

uint64_t server_number(std::string_view text, uint64_t max, const std::string& server,
                       std::string_view statement, std::string_view what) {
  uint64_t value = 0;
  const char* end = text.data() + text.size();
  auto [stop, ec] = std::from_chars(text.data(), end, value);
  if (text.empty() || ec != std::errc() || stop != end || value > max)
    throw SourceError(server, 0,
                      std::string(statement) + " gave " + std::string(what) + " '" +
                          std::string(text) + "', not a number from 0 to " + std::to_string(max));
  return value;
}

TakenServerIds LiveSource::taken_server_ids() {
  TakenServerIds taken;
  auto add = [&](uint32_t id, const std::string& why) {
    taken.ids.insert(id);
    taken.reasons.push_back("server_id " + std::to_string(id) + " " + why);
  };
  add(master_server_id_, "is the server's own (" + conn_->target() + ")");
  for (uint32_t id : options_.other_server_ids) add(id, "was named as a server of the pair");
  auto id_in = [&](const std::string& text, std::string_view statement) {
    return static_cast<uint32_t>(
        server_number(text, kMaxServerId, conn_->target(), statement, "server_id"));
  };
  // Either may be refused to a user without the monitor privileges: what can be
  // seen is avoided, and the id range keeps clear of the rest.
  const std::string hosts_sql(statements_.replica_hosts);
  try {
    auto hosts = conn_->query(hosts_sql);
    int col = hosts.column("Server_id");
    int host_col = hosts.column("Host");
    for (const auto& row : hosts.rows) {
      if (col >= 0 && row[col])
        add(id_in(*row[col], hosts_sql),
            "is a replica of it (" + hosts_sql +
                (host_col >= 0 && row[host_col] ? ": " + *row[host_col] : std::string()) + ")");
    }
  } catch (const ConnectionError& e) {
    note("cannot list replicas (" + hosts_sql + "): " + std::string(e.what()));
  }
  const std::string status_sql(statements_.replica_status);
  try {
    auto sources = conn_->query(status_sql);
    int col = sources.column(statements_.source_id_column);
    for (const auto& row : sources.rows) {
      if (col >= 0 && row[col] && *row[col] != "0")
        add(id_in(*row[col], status_sql), "is a master it replicates from");
    }
  } catch (const ConnectionError& e) {
    note("cannot list its masters (" + status_sql + "): " + std::string(e.what()));
  }
  return taken;
}

void LiveSource::connect(bool first) {
  ConnectionOptions co = options_.connection;
  if (options_.heartbeat_seconds != 0 && co.read_timeout_seconds == 0)
    co.read_timeout_seconds = options_.heartbeat_seconds * 3 + 5;
  read_timeout_seconds_ = co.read_timeout_seconds;
  reader_.reset();
  conn_ = Connection::open(co, password_);
  read_server_variables();
  if (first) server_id_ = pick_replica_server_id();
  for (const auto& sql : statements_.dump_session) conn_->execute(sql);
  if (options_.heartbeat_seconds != 0)
    conn_->execute(heartbeat_statement(options_.heartbeat_seconds));
  if (!options_.report_host.empty()) register_replica();
}

void LiveSource::read_server_variables() {
  static constexpr std::string_view kSql =
      "SELECT @@server_id, @@global.binlog_checksum, VERSION()";
  auto vars = conn_->query(kSql);
  if (vars.rows.empty()) throw conn_->last_error("SELECT @@server_id");
  master_server_id_ = static_cast<uint32_t>(server_number(
      vars.rows[0][0].value_or("0"), kMaxServerId, conn_->target(), kSql, "@@server_id"));
  crc_negotiated_ = vars.rows[0][1].value_or("NONE") == "CRC32";
  server_version_ = vars.rows[0][2].value_or("");
  // The flavor is decided here, once; every statement that differs by it comes
  // from statements_.
  server_ = server_flavor(server_version_);
  statements_ = statements_for(server_);
  // The dump's own ROTATE comes before any FORMAT_DESCRIPTION, with the checksum
  // the connection negotiated.
  fake_rotate_format_ = protocol::default_format();
  fake_rotate_format_.checksum =
      crc_negotiated_ ? protocol::ChecksumAlg::kCrc32 : protocol::ChecksumAlg::kNone;
}

uint32_t LiveSource::pick_replica_server_id() {
  TakenServerIds taken = taken_server_ids();
  if (options_.replica_server_id) {
    std::string why = check_replica_server_id(*options_.replica_server_id, taken);
    if (!why.empty()) throw ConnectionError(FailureKind::kClient, 0, why);
    return *options_.replica_server_id;
  }
  uint64_t seed = static_cast<uint64_t>(getpid()) ^
                  static_cast<uint64_t>(Clock::now().time_since_epoch().count());
  return choose_replica_server_id(taken.ids, seed);
}

void LiveSource::register_replica() {
  // COM_REGISTER_SLAVE: server_id u32 | host lstr | user lstr | password lstr |
  // port u16 | rank u32 | master_id u32. No user or password is sent.
  std::string pkt;
  put_le(pkt, server_id_, 4);
  std::string host = options_.report_host.substr(0, 255);
  pkt += static_cast<char>(host.size());
  pkt += host;
  pkt += '\0';
  pkt += '\0';
  put_le(pkt, 0, 2);
  put_le(pkt, 0, 4);
  put_le(pkt, 0, 4);
  MYSQL* m = conn_->handle();
  if (m->methods->db_command(m, COM_REGISTER_SLAVE, pkt.data(), pkt.size(), 0, nullptr) != 0)
    throw conn_->last_error("registering as a replica (COM_REGISTER_SLAVE)");
}

void LiveSource::start_dump(const BinlogPosition& from, bool by_gtid) {
  if (by_gtid) {
    for (const auto& sql : mariadb_gtid_start(options_.start.gtid_state.to_string()))
      conn_->execute(sql);
  }
  // COM_BINLOG_DUMP: position u32 | flags u16 | server_id u32 | file name (to the end)
  std::string pkt;
  put_le(pkt, by_gtid ? 4 : from.offset, 4);
  put_le(pkt, (stop_.kind == StopPoint::Kind::kNever ? 0 : kDumpNonBlock) | kDumpSendAnnotateRows,
         2);
  put_le(pkt, server_id_, 4);
  if (!by_gtid) pkt += from.file;
  MYSQL* m = conn_->handle();
  if (m->methods->db_command(m, COM_BINLOG_DUMP, pkt.data(), pkt.size(), 1, nullptr) != 0)
    throw conn_->last_error("starting the binlog dump");
  // With TLS or protocol compression the socket does not carry the packets as they
  // are: those connections are read through the connector.
  if (mysql_get_ssl_cipher(m) == nullptr && !m->net.compress)
    reader_ = std::make_unique<DumpPacketReader>(static_cast<int>(mysql_get_socket(m)),
                                                 read_timeout_seconds_, options_.should_stop,
                                                 options_.on_idle);
  current_file_ = from.file;
  expected_offset_ = from.offset;
}

BinlogPosition LiveSource::binlog_status() {
  const std::string sql(statements_.binlog_status);
  auto st = conn_->query(sql);
  if (st.rows.empty() || !st.rows[0][0])
    throw ConnectionError(FailureKind::kServer, 0,
                          conn_->target() + " does not write a binary log (log_bin is off)");
  return {*st.rows[0][0],
          server_number(st.rows[0][1].value_or("4"), UINT64_MAX, conn_->target(), sql, "Position")};
}

BinlogPosition LiveSource::oldest_binlog() {
  auto logs = conn_->query("SHOW BINARY LOGS");
  if (logs.rows.empty() || !logs.rows[0][0])
    throw ConnectionError(FailureKind::kServer, 0,
                          conn_->target() + " does not write a binary log (log_bin is off)");
  return {*logs.rows[0][0], 4};
}

BinlogPosition LiveSource::resolve_start() {
  switch (options_.start.kind) {
    case StartPoint::Kind::kPosition: {
      std::optional<std::vector<std::string>> names;
      try {
        names = binlog_names(*conn_);
      } catch (const ConnectionError& e) {
        if (e.kind() != FailureKind::kPrivileges) throw;  // without BINLOG MONITOR, the dump tells
      }
      if (names) check_binlog_listed(options_.start.position, *names);
      return options_.start.position;
    }
    case StartPoint::Kind::kCurrentEnd:
      return binlog_status();
    case StartPoint::Kind::kGtid: {
      std::string refusal = protocol::flavor_refusal(options_.start.gtid_state, server_.flavor);
      if (!refusal.empty()) throw SourceError(conn_->target(), 0, refusal);
      // Both refusals at open, once: a start GTID the server can take in its own
      // form may still need a dump command twinlog does not send (MySQL's
      // COM_BINLOG_DUMP_GTID).
      if (!statements_.gtid_start) {
        throw SourceError(
            conn_->target(), 0,
            "a GTID start is for MariaDB servers; " + conn_->target() + " runs " + server_version_);
      }
      return {};
    }
    case StartPoint::Kind::kOldest:
      break;
  }
  return oldest_binlog();
}

void LiveSource::open() {
  if (opened_) return;
  connect(true);
  start_ = resolve_start();
  if (options_.whole_files && !start_.file.empty()) start_.offset = 4;
  if (stop_.kind == StopPoint::Kind::kEndAtConnect) stop_.position = binlog_status();
  resume_ = start_;
  delivered_ = start_;
  opened_ = true;
  if (reached_stop()) {
    finished_ = true;
    return;
  }
  start_dump(start_, options_.start.kind == StartPoint::Kind::kGtid);
}

bool LiveSource::reached_stop() const {
  if (stop_.kind != StopPoint::Kind::kEndAtConnect && stop_.kind != StopPoint::Kind::kPosition)
    return false;
  BinlogPosition here = delivered_.file.empty() ? start_ : delivered_;
  if (here.file.empty()) return false;
  return compare_positions(here, stop_.position) >= 0;
}

void LiveSource::fail_dump(unsigned code, const std::string& message) {
  BinlogPosition at = resume_.file.empty() ? start_ : resume_;
  if (code == kErrReadingBinlog) {
    if (at.file.empty() || options_.start.kind == StartPoint::Kind::kGtid) {
      throw SourceError(at.file.empty() ? conn_->target() : at.file, at.offset,
                        "the server cannot start from GTID position '" +
                            options_.start.gtid_state.to_string() +
                            "': its binlogs no longer (or never) held it (" + message + ")");
    }
    // The server ends a connection whose dump failed: list the binlogs on a new one.
    std::optional<std::vector<std::string>> names;
    try {
      ConnectionOptions co = options_.connection;
      auto fresh = Connection::open(co, password_);
      names = binlog_names(*fresh);
    } catch (const ConnectionError&) {
      // The listing only sharpens the message.
    }
    if (names) check_binlog_listed(at, *names);
    throw SourceError(at.file, at.offset,
                      "the server refused to read from here: " + message + " (error 1236)");
  }
  FailureKind kind = classify_error(code);
  std::string where = current_file_.empty() ? conn_->target() : current_file_;
  if (kind == FailureKind::kPrivileges)
    throw SourceError(where, expected_offset_,
                      "user '" + conn_->user() +
                          "' may not read binlogs: it needs the REPLICATION SLAVE privilege (" +
                          message + ")");
  throw SourceError(where, expected_offset_, message + " (error " + std::to_string(code) + ")");
}

void LiveSource::reconnect_after(const std::string& why) {
  reader_.reset();
  conn_.reset();
  auto deadline = Clock::now() + std::chrono::seconds(options_.give_up_seconds);
  BinlogPosition from = resume_.file.empty() ? start_ : resume_;
  bool by_gtid = from.file.empty();
  note("connection lost (" + why + "); resuming from " +
       (by_gtid ? "GTID " + options_.start.gtid_state.to_string() : position_text(from)));
  auto delay = std::chrono::milliseconds(200);
  std::string last = why;
  for (;;) {
    try {
      connect(false);
      start_dump(from, by_gtid);
      ++reconnects_;
      // A restarted dump re-sends the ROTATE and FORMAT_DESCRIPTION, and the
      // transaction that was open from its start: next() skips what was delivered,
      // and the tracker, fed only delivered events, is still inside it.
      note("reconnected to " + conn_->target());
      return;
    } catch (const ConnectionError& e) {
      FailureKind k = e.kind();
      if (k != FailureKind::kLost && k != FailureKind::kUnreachable) throw;
      last = e.what();
    }
    reader_.reset();
    conn_.reset();
    if (Clock::now() + delay > deadline)
      throw SourceError(
          from.file.empty() ? "live" : from.file, from.offset,
          "gave up reconnecting after " + std::to_string(options_.give_up_seconds) + " s: " + last);
    std::this_thread::sleep_for(delay);
    delay = std::min(delay * 2, std::chrono::milliseconds(5000));
  }
}

bool LiveSource::caught_up() const {
  if (!conn_) return true;
  if (reader_ && reader_->buffered() != 0) return false;
  pollfd p{static_cast<int>(mysql_get_socket(conn_->handle())), POLLIN, 0};
  return ::poll(&p, 1, 0) == 0;
}

bool LiveSource::next(RawEvent& out) {
  // Connection failures end the read as SourceErrors, as for any other source.
  try {
    return read_next(out);
  } catch (const ConnectionError& e) {
    std::string where = current_file_.empty() ? start_.file : current_file_;
    throw SourceError(where.empty() ? "live" : where, expected_offset_, e.what());
  }
}

LiveSource::PacketStatus LiveSource::read_packet(std::span<const std::byte>& event) {
  std::span<const std::byte> packet;
  if (!reader_) {
    MYSQL* m = conn_->handle();
    unsigned long len = mysql_net_read_packet(m);
    if (len == static_cast<unsigned long>(packet_error)) {
      unsigned code = mysql_errno(m);
      std::string message = mysql_error(m);
      if (classify_error(code) != FailureKind::kLost) fail_dump(code, message);
      reconnect_after(message);
      return PacketStatus::kReconnected;
    }
    packet = {reinterpret_cast<const std::byte*>(m->net.read_pos), len};
  } else {
    try {
      if (reader_->next(packet) == DumpPacketReader::Result::kStopped) return PacketStatus::kEnd;
    } catch (const ConnectionError& e) {
      reconnect_after(e.what());
      return PacketStatus::kReconnected;
    }
  }
  auto parsed = protocol::parse_dump_packet(packet, expected_offset_);
  if (!parsed) throw SourceError(current_file_, expected_offset_, parsed.error().message);
  if (auto* ev = std::get_if<protocol::DumpEvent>(&*parsed)) {
    event = ev->event;
    return PacketStatus::kEvent;
  }
  if (std::holds_alternative<protocol::DumpEnd>(*parsed)) return PacketStatus::kEnd;
  const auto& error = std::get<protocol::DumpError>(*parsed);
  std::string message(error.message);
  if (classify_error(error.code) != FailureKind::kLost) fail_dump(error.code, message);
  reconnect_after(message);
  return PacketStatus::kReconnected;
}

bool LiveSource::read_next(RawEvent& out) {
  if (!opened_) open();
  while (!finished_) {
    if (stop_before_packet()) {
      finished_ = true;
      break;
    }
    std::span<const std::byte> event;
    PacketStatus status = read_packet(event);
    if (status == PacketStatus::kEnd)
      finished_ = true;
    else if (status == PacketStatus::kEvent && take_event(event, out))
      return true;
  }
  return false;
}

bool LiveSource::stop_before_packet() {
  if (options_.drop_connection_every != 0 &&
      delivered_count_ >= dropped_at_ + options_.drop_connection_every) {
    dropped_at_ = delivered_count_;
    reconnect_after("dropped for testing");
  }
  return options_.should_stop && options_.should_stop();
}

bool LiveSource::take_event(std::span<const std::byte> ev, RawEvent& out) {
  auto parsed = protocol::parse_header(ev, expected_offset_);
  if (!parsed) throw SourceError(current_file_, expected_offset_, parsed.error().message);
  const protocol::EventHeader& h = *parsed;
  if (h.event_size != ev.size())
    throw SourceError(current_file_, expected_offset_,
                      "event size " + std::to_string(h.event_size) +
                          " in the header, but the packet holds " + std::to_string(ev.size()) +
                          " bytes");
  const auto type = static_cast<EventType>(h.type_code);
  if (type == EventType::kRotate && (h.log_pos == 0 || (h.flags & kFlagArtificial))) {
    follow_dump_rotate(ev);
    return false;
  }
  if (type == EventType::kHeartbeat || type == EventType::kHeartbeatV2) {
    on_heartbeat();
    return false;
  }
  if (h.log_pos != 0 && h.log_pos < h.event_size)
    throw SourceError(current_file_, expected_offset_,
                      "event end position " + std::to_string(h.log_pos) + " is before its size " +
                          std::to_string(h.event_size));
  uint64_t offset = h.log_pos != 0 ? uint64_t{h.log_pos} - h.event_size : expected_offset_;
  if (type == EventType::kFormatDescription) {
    if (!take_format(ev, h, offset)) return false;
    if (h.log_pos == 0 && offset != expected_offset_) {
      // The copy a dump that starts past offset 4 sends: handed on (at 4, where
      // the file holds it) so that the reader decodes what follows with its
      // checksum and header lengths, as mariadb-binlog prints it first; where the
      // dump stands is left as it is.
      format_file_ = current_file_;
      out.bytes = ev;
      out.file = current_file_;
      out.offset = offset;
      return true;
    }
    format_file_ = current_file_;
  }
  if (h.flags & kFlagArtificial) return false;  // made up by the dump thread, not in the file
  if (delivered_.file == current_file_ && offset < delivered_.offset) {
    expected_offset_ = offset + h.event_size;  // delivered before the reconnect
    return false;
  }
  if (stop_.kind == StopPoint::Kind::kPosition &&
      compare_binlog_names(current_file_, stop_.position.file) > 0) {
    finished_ = true;  // the stop file has ended
    return false;
  }
  if (options_.verify_checksums && format_.checksum == protocol::ChecksumAlg::kCrc32 &&
      type != EventType::kFormatDescription && !protocol::checksum_matches(ev))
    throw SourceError(current_file_, offset, "CRC32 mismatch in a live event");
  if (time_stop_reached(h.timestamp)) {
    finished_ = true;
    return false;
  }
  deliver(ev, h, offset, out);
  return true;
}

void LiveSource::follow_dump_rotate(std::span<const std::byte> ev) {
  // Names the file the dump is in and where in it the dump starts.
  auto rotate = protocol::decode_rotate_event(ev, fake_rotate_format_, expected_offset_);
  if (!rotate) throw SourceError(current_file_, expected_offset_, "short ROTATE event");
  current_file_ = rotate->next_file;
  expected_offset_ = rotate->position;
  // Everything before where the dump starts counts as delivered.
  if (delivered_.file != current_file_) delivered_ = {current_file_, expected_offset_};
}

void LiveSource::on_heartbeat() {
  if (time_stop_reached(static_cast<uint64_t>(std::time(nullptr)))) {
    finished_ = true;
    return;
  }
  if (options_.on_heartbeat) options_.on_heartbeat();
}

bool LiveSource::time_stop_reached(uint64_t timestamp) const {
  return stop_.kind == StopPoint::Kind::kTime && tracker_.at_boundary() &&
         timestamp >= stop_.timestamp;
}

bool LiveSource::take_format(std::span<const std::byte> ev, const protocol::EventHeader& h,
                             uint64_t& offset) {
  auto fde = protocol::decode_format_description(ev.subspan(protocol::kHeaderLength),
                                                 offset + protocol::kHeaderLength);
  if (!fde.ok())
    throw SourceError(current_file_, offset, "bad FORMAT_DESCRIPTION: " + fde.error().message);
  format_ = *fde;
  // Re-sent (log_pos 0) when the dump starts past offset 4; in the file only at 4.
  // Handed on once per file: a dump restarted within a file sends it again.
  if (h.log_pos != 0) return true;
  if (expected_offset_ != 4 && (!options_.resent_format || format_file_ == current_file_)) {
    return false;
  }
  offset = 4;
  return true;
}

void LiveSource::deliver(std::span<const std::byte> ev, const protocol::EventHeader& h,
                         uint64_t offset, RawEvent& out) {
  bool boundary = tracker_.feed(ev, format_);
  out.bytes = ev;
  out.file = current_file_;
  out.offset = offset;
  expected_offset_ = offset + h.event_size;
  // Assigned member by member: the strings keep their buffers, no allocation per event.
  delivered_.file = current_file_;
  delivered_.offset = expected_offset_;
  if (boundary) resume_ = delivered_;
  if (static_cast<EventType>(h.type_code) == EventType::kRotate) {
    // A real ROTATE ends its file and names the next.
    auto rotate = protocol::decode_rotate_event(ev, format_, offset);
    if (rotate) {
      current_file_ = rotate->next_file;
      expected_offset_ = rotate->position;
      if (boundary) resume_ = {current_file_, expected_offset_};
    }
  }
  if (reached_stop()) finished_ = true;
  ++delivered_count_;
}

}  // namespace twinlog
