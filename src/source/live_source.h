// Reads a server's binlogs live, as a replica does: one connection through
// libmariadb, then COM_BINLOG_DUMP on it. Every packet after that is an OK byte and
// one event; LiveSource hands out the event's bytes straight from the connector's
// network buffer and leaves all decoding to protocol/.
//
// Why not mariadb_rpl_fetch: it parses every event as it reads it, refuses event
// types it does not know (a newer server's) unless they are flagged ignorable, and
// inflates compressed rows events twinlog never asked to be inflated. The dump is
// sent through the connection's method table instead (FORMAT-NOTES, "The
// connector"), and packets are read with mysql_net_read_packet.
//
// What it yields is exactly what the server's binlog files hold, event by event, with
// the file name and offset: the fake ROTATE that names the file, the FORMAT
// DESCRIPTION re-sent when a dump starts past offset 4, heartbeats and other
// artificial events are consumed here. On a lost connection it reconnects with
// backoff, restarts the dump at the end of the last complete transaction it
// delivered, and skips what it had already delivered of the one in progress, so
// nothing is seen twice or missed.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/format_description.h"
#include "protocol/gtid_set.h"
#include "protocol/transaction_boundary.h"
#include "src/server/connection.h"
#include "src/server/server_statements.h"
#include "src/source/dump_packet_reader.h"
#include "src/source/event_source.h"

namespace twinlog {

struct BinlogPosition {
  std::string file;
  uint64_t offset = 0;
  bool operator==(const BinlogPosition&) const = default;
};

// Orders binlog file names of one server: "mysql-bin.000010" after "mysql-bin.000009",
// and "mysql-bin.1000000" after "mysql-bin.999999". <0, 0, >0.
int compare_binlog_names(std::string_view a, std::string_view b);
// Orders positions: by file name, then offset.
int compare_positions(const BinlogPosition& a, const BinlogPosition& b);

struct StartPoint {
  enum class Kind { kPosition, kOldest, kCurrentEnd, kGtid };
  Kind kind = Kind::kOldest;
  BinlogPosition position;       // kPosition
  protocol::GtidSet gtid_state;  // kGtid: the server's flavor of GTID set
};

struct StopPoint {
  enum class Kind { kEndAtConnect, kPosition, kTime, kNever };
  Kind kind = Kind::kEndAtConnect;
  BinlogPosition position;  // kPosition: stop once an event ends at or past it
  uint32_t timestamp = 0;   // kTime: stop at the first transaction starting at or after it
};

struct LiveSourceOptions {
  ConnectionOptions connection;
  StartPoint start;
  StopPoint stop;
  std::optional<uint32_t> replica_server_id;  // explicit; refused if it clashes
  std::vector<uint32_t> other_server_ids;     // ids to avoid besides what the server shows
  std::string report_host;         // register (COM_REGISTER_SLAVE) under this name when set
  unsigned heartbeat_seconds = 5;  // 0: no heartbeats
  unsigned give_up_seconds = 60;   // reconnect attempts stop after this
  bool verify_checksums = false;   // the Framer verifies; capture asks for it here
  bool whole_files = false;  // a start inside a file starts at that file's beginning (capture)
  // A dump that starts inside a file re-sends its FORMAT_DESCRIPTION first: handed
  // on (at offset 4) so that a reader decodes what follows; capture, which writes
  // the file and has it already, turns this off.
  bool resent_format = true;
  std::function<void(const std::string&)> note;  // reconnects and the like, for stderr
  std::function<void()> on_heartbeat;            // the server is idle: a moment to flush
  // Called after every 200 ms of waiting in vain for the server: a moment to flush
  // that comes sooner than a heartbeat. Not on a TLS or compressed connection,
  // which waits inside the connector.
  std::function<void()> on_idle;
  // Asked before each packet and while waiting for one: true ends the read (next()
  // returns false) after the last whole event. A signal handler's flag, typically.
  // On a TLS or compressed connection a wait is only cut short by the next packet
  // (a heartbeat at the latest).
  std::function<bool()> should_stop;
  // Testing: drop the connection after every N events delivered (0: never), as a
  // killed dump thread would, so that resuming mid-transaction can be proven.
  unsigned drop_connection_every = 0;
};

// The server_ids a replica must not use: the server's own, its replicas' (SHOW SLAVE
// HOSTS), the masters it replicates from and any the caller names.
struct TakenServerIds {
  std::set<uint32_t> ids;
  std::vector<std::string> reasons;  // "server_id 1 is the server's own", one per id
};

// A number a server sent as text (a server_id, a binlog position), at most `max`;
// anything else is a SourceError naming the server, the statement and the value.
uint64_t server_number(std::string_view text, uint64_t max, const std::string& server,
                       std::string_view statement, std::string_view what);

// A free id in a high range (replicas are usually numbered low), derived from `seed`.
uint32_t choose_replica_server_id(const std::set<uint32_t>& taken, uint64_t seed);
// Empty when `id` may be used, else why not.
std::string check_replica_server_id(uint32_t id, const TakenServerIds& taken);

class LiveSource : public EventSource {
 public:
  explicit LiveSource(LiveSourceOptions options);
  ~LiveSource() override;

  // Connects, checks the replica identity, resolves the start and stop points and
  // starts the dump. next() calls it when needed; call it first to fail early.
  // Throws ConnectionError, or SourceError for a start point the server does not have
  // or a number from the server that is not one.
  void open();
  // Throws SourceError only (connection failures included, with their words).
  bool next(RawEvent& out) override;

  uint32_t replica_server_id() const { return server_id_; }
  const std::string& server_version() const { return server_version_; }
  uint32_t server_id() const { return master_server_id_; }
  // The end of the last complete transaction delivered: where a new reader resumes.
  const BinlogPosition& resume_point() const { return resume_; }
  // The stop position resolved at connect time (kEndAtConnect), else empty.
  const BinlogPosition& stop_position() const { return stop_.position; }
  // True when the event last returned ended a transaction (or stood alone).
  bool at_transaction_boundary() const { return tracker_.at_boundary(); }
  const protocol::FormatDescription& format() const { return format_; }
  unsigned reconnects() const { return reconnects_; }
  // True when nothing more has arrived from the server yet: a follower has caught up
  // (bytes the connector already buffered may still be there; then it is a bit early).
  bool caught_up() const;
  // The TLS cipher of the current connection, empty when not encrypted.
  std::string tls_cipher() const { return conn_ ? conn_->tls_cipher() : std::string(); }

 private:
  bool read_next(RawEvent& out);
  enum class PacketStatus { kEvent, kReconnected, kEnd };
  // The next event of the dump. A lost connection is reconnected (kReconnected);
  // an error the server sends ends the read (fail_dump); kEnd: the dump has ended
  // or should_stop said so.
  PacketStatus read_packet(std::span<const std::byte>& event);
  // Drops the connection when testing asks, then asks should_stop.
  bool stop_before_packet();
  // True when `ev` is handed out in `out`; false when it is not in the file or
  // was delivered already, or the read has reached its stop (finished_).
  bool take_event(std::span<const std::byte> ev, RawEvent& out);
  void follow_dump_rotate(std::span<const std::byte> ev);
  void on_heartbeat();
  bool time_stop_reached(uint64_t timestamp) const;
  // Takes the FORMAT_DESCRIPTION; false when it is the dump's re-sent copy, not
  // in the file at `offset` (which becomes 4 for the file's own).
  bool take_format(std::span<const std::byte> ev, const protocol::EventHeader& h, uint64_t& offset);
  void deliver(std::span<const std::byte> ev, const protocol::EventHeader& h, uint64_t offset,
               RawEvent& out);

  void connect(bool first);
  // @@server_id, the checksum and VERSION(), which decides the statements.
  void read_server_variables();
  uint32_t pick_replica_server_id();
  void register_replica();
  void start_dump(const BinlogPosition& from, bool by_gtid);
  BinlogPosition resolve_start();
  BinlogPosition binlog_status();
  BinlogPosition oldest_binlog();
  TakenServerIds taken_server_ids();
  [[noreturn]] void fail_dump(unsigned code, const std::string& message);
  static std::vector<std::string> binlog_names(Connection& conn);
  // Throws the purged / unknown file SourceError when `at` is not in `names`.
  void check_binlog_listed(const BinlogPosition& at, const std::vector<std::string>& names);
  void reconnect_after(const std::string& why);
  bool reached_stop() const;
  void note(const std::string& text) const;

  LiveSourceOptions options_;
  StopPoint stop_;
  std::unique_ptr<Connection> conn_;
  std::unique_ptr<DumpPacketReader> reader_;  // null: read through the connector
  unsigned read_timeout_seconds_ = 0;
  std::shared_ptr<std::string> password_ = std::make_shared<std::string>();
  bool opened_ = false;
  bool finished_ = false;
  uint32_t server_id_ = 0;
  uint32_t master_server_id_ = 0;
  std::string server_version_;
  ServerFlavor server_;  // decided once, from VERSION()
  ServerStatements statements_;
  protocol::FormatDescription fake_rotate_format_ = protocol::default_format();
  bool crc_negotiated_ = false;
  unsigned reconnects_ = 0;
  uint64_t delivered_count_ = 0;
  uint64_t dropped_at_ = 0;

  BinlogPosition start_;      // resolved start (file empty for a GTID start)
  std::string current_file_;  // from the last ROTATE
  uint64_t expected_offset_ = 0;
  BinlogPosition delivered_;  // end of the last event handed out
  BinlogPosition resume_;     // end of the last complete transaction handed out
  protocol::FormatDescription format_ = protocol::default_format();
  std::string format_file_;  // the file whose FORMAT_DESCRIPTION was handed on last
  protocol::TransactionBoundaryTracker tracker_;
};

}  // namespace twinlog
