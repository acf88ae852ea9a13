// decode --rewrite-db=FROM->TO as mariadb-binlog applies it (client/mysqlbinlog.cc):
// a statement whose default database has a rule gets `use TO` before its header
// (print_use_stmt), and a table map of FROM is printed as one of TO, its bytes
// rewritten for the BINLOG statement (Table_map_log_event::rewrite_db, the old
// CRC32 kept, which a BINLOG statement does not check); the rows after it name TO.
// The statements' text is not touched, and --database still selects by the
// names the binlog has (mariadb-binlog filters before it rewrites).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/events.h"
#include "src/stream/event_stream.h"

namespace twinlog {

struct RewriteDbRule {
  std::string from, to;
};

// "FROM->TO" as mariadb-binlog reads it: blanks around FROM and before TO
// dropped, TO ends at its first blank; nullopt when a side is empty or there is
// no "->".
std::optional<RewriteDbRule> parse_rewrite_rule(std::string_view text);

class DatabaseRewrite {
 public:
  DatabaseRewrite() = default;
  explicit DatabaseRewrite(std::vector<RewriteDbRule> rules) : rules_(std::move(rules)) {}
  bool empty() const { return rules_.empty(); }
  // The name `database` is printed under; nullptr when no rule renames it (the
  // first rule whose FROM is `database`, compared exactly).
  const std::string* renamed(std::string_view database) const;
  // `se` as printed: a table map of a renamed database, or a rows event on one,
  // with TO in place of FROM (valid until the next call); `se` itself otherwise.
  const StreamEvent& apply(const StreamEvent& se);

 private:
  std::vector<RewriteDbRule> rules_;
  protocol::TableMapEvent table_;
  protocol::Event event_;
  protocol::EventView view_;
  std::vector<std::byte> raw_;
  StreamEvent rewritten_;
};

}  // namespace twinlog
