// GTIDs and GTID sets as values, for both flavors, parsed from and printed as the
// servers write them. protocol/ holds them because GTID_LIST and PREVIOUS_GTIDS
// events carry them, and both the live source and the stream use them.
//
//   MariaDB GTID:  domain-server-seq            0-1-24
//           set:   one per domain (gtid_binlog_pos, @slave_connect_state) or per
//                  domain-server (GTID_LIST, gtid_binlog_state), comma-separated:
//                  0-1-24,1-2-5
//   MySQL GTID:    uuid:gno, uuid:tag:gno (8.3+) 3e11fa47-71ca-11e1-9e33-c80aa9429562:23
//           set:   uuid[:tag]:interval[:interval...], an interval n or n-m, a tag
//                  switching the intervals after it to that tag (gtid_executed,
//                  PREVIOUS_GTIDS):
//                  3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5:11:blue:1-3,other-uuid:7
//
// MariaDB positions are per domain: a GTID is in a set when its domain has reached
// its sequence number, whichever server wrote it (the servers' own rule when a
// replica connects; DESIGN.md tells why a pair sharing one domain defeats it).
#pragma once

#include <compare>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "protocol/events.h"
#include "protocol/result.h"

namespace twinlog::protocol {

// "MariaDB" / "MySQL".
std::string_view flavor_name(Flavor flavor);
// The form a flavor's GTID positions take: "domain-server-seq[,...]" /
// "uuid:interval[,...]".
std::string_view gtid_set_form(Flavor flavor);

// The largest MySQL transaction number (GNO_MAX, INT64_MAX).
inline constexpr int64_t kMaxGno = INT64_MAX;

struct MysqlGtid {
  Uuid uuid;
  std::string tag;  // lower case, empty when untagged
  int64_t gno = 0;  // 1 .. kMaxGno
};

bool operator==(const MariaGtid& a, const MariaGtid& b);
std::strong_ordering operator<=>(const MariaGtid& a, const MariaGtid& b);
bool operator==(const MysqlGtid& a, const MysqlGtid& b);
std::strong_ordering operator<=>(const MysqlGtid& a, const MysqlGtid& b);

using Gtid = std::variant<MariaGtid, MysqlGtid>;

Flavor flavor_of(const Gtid& gtid);

// A transaction's GTID from its GTID event: MySQL GTID / GTID_TAGGED (nullopt for
// ANONYMOUS_GTID), MariaDB GTID (the server id is the event header's).
std::optional<Gtid> gtid_of(const GtidEvent& event);
Gtid gtid_of(const MariaGtidEvent& event, uint32_t server_id);

// Lower-case, with dashes: 3e11fa47-71ca-11e1-9e33-c80aa9429562.
std::string to_string(const Uuid& uuid);
std::string to_string(const MariaGtid& gtid);  // 0-1-24
std::string to_string(const MysqlGtid& gtid);  // uuid:23, uuid:tag:23
std::string to_string(const Gtid& gtid);

// One GTID of either flavor, the whole text.
Result<Gtid> parse_gtid(std::string_view text);

// [first, last], both included.
struct GnoInterval {
  int64_t first = 0, last = 0;
  bool operator==(const GnoInterval&) const = default;
};

class GtidSet {
 public:
  GtidSet() = default;
  // Either flavor, never both; empty text (blanks only) is the empty set. Blanks
  // around entries are skipped (gtid_executed prints ",\n" between uuids).
  static Result<GtidSet> parse(std::string_view text);
  // An error for an interval the servers never write (empty, or below 1).
  static Result<GtidSet> from(const PreviousGtidsEvent& event);
  static GtidSet from(const MariaGtidListEvent& event);

  // Unknown while the set is empty.
  std::optional<Flavor> flavor() const;
  bool empty() const { return maria_.empty() && mysql_.empty(); }

  // False when `gtid` is of the other flavor than the set's (the set is unchanged).
  bool add(const Gtid& gtid);
  bool contains(const Gtid& gtid) const;
  // MySQL: the GTIDs first..last of (uuid bytes, tag), merged with what is there.
  // False (and nothing added) for a MariaDB set or an empty interval.
  using MysqlKey = std::pair<std::array<uint8_t, 16>, std::string>;
  bool add_interval(const MysqlKey& key, GnoInterval iv);
  // Every GTID of `other` is in this set.
  bool contains(const GtidSet& other) const;
  bool operator==(const GtidSet&) const = default;

  // As the servers print it: MySQL uuids ascending, intervals merged ("1-5:7"),
  // tags after a uuid's untagged intervals; MariaDB domain-server-seq ascending.
  std::string to_string() const;

  // MariaDB: the last sequence number per (domain, server).
  const std::map<std::pair<uint32_t, uint32_t>, uint64_t>& maria() const { return maria_; }
  // MySQL: per (uuid bytes, tag), disjoint intervals in ascending order.
  const std::map<MysqlKey, std::vector<GnoInterval>>& mysql() const { return mysql_; }

 private:
  std::map<std::pair<uint32_t, uint32_t>, uint64_t> maria_;
  std::map<MysqlKey, std::vector<GnoInterval>> mysql_;
};

// Empty when `set` may be given to a server of `server_flavor`, else why not, in
// the server's terms: its flavor and the form it expects.
std::string flavor_refusal(const GtidSet& set, Flavor server_flavor);

}  // namespace twinlog::protocol
