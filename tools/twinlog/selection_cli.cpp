#include "tools/twinlog/selection_cli.h"

#include <charconv>
#include <iostream>

namespace twinlog::cli {
namespace {

// "1,2,3" as mysqlbinlog's --do-server-ids takes it; nullopt for anything else.
std::optional<std::vector<uint32_t>> id_list(const std::string& text) {
  std::vector<uint32_t> ids;
  size_t at = 0;
  while (at <= text.size()) {
    size_t comma = text.find(',', at);
    if (comma == std::string::npos) comma = text.size();
    uint32_t id = 0;
    const auto [end, ec] = std::from_chars(text.data() + at, text.data() + comma, id);
    if (ec != std::errc() || end != text.data() + comma) return std::nullopt;
    ids.push_back(id);
    at = comma + 1;
  }
  return ids;
}

}  // namespace

void add_selection_options(po::options_description& options) {
  options.add_options()("start-datetime", po::value<std::string>(),
                        "skip events before this time ('YYYY-MM-DD HH:MM:SS' in the local time "
                        "zone (TZ), as mysqlbinlog reads it)")(
      "database,d", po::value<std::string>(),
      "only statements with this default database and rows of its tables")(
      "table", po::value<std::string>(), "only rows of this table (DB.TABLE)")(
      "server-id", po::value<uint32_t>(), "only events from this originating server_id")(
      "do-server-ids", po::value<std::string>(), "only events from these server_ids (1,2,...)")(
      "ignore-server-ids", po::value<std::string>(), "no events from these server_ids (1,2,...)")(
      "do-domain-ids", po::value<std::string>(),
      "only transactions of these MariaDB GTID domains (0,1,...)")(
      "ignore-domain-ids", po::value<std::string>(),
      "no transactions of these MariaDB GTID domains")(
      "offset,o", po::value<uint64_t>(),
      "skip the first N events (from --start-position, the format description counted but "
      "shown), as mysqlbinlog does")(
      "include-gtids", po::value<std::string>(),
      "only these transactions: MariaDB GTIDs (0-1-5,0-2-7) or a MySQL GTID set (uuid:1-5)")(
      "exclude-gtids", po::value<std::string>(), "none of these transactions (as --include-gtids)")(
      "stop-gtid", po::value<std::string>(),
      "up to this GTID position and no further (0-1-20: domain 0 up to seq 20, included; "
      "mariadb-binlog's --stop-position=GTID)");
}

bool selection_filters_from(const po::variables_map& vm, bool files, SelectionRules& rules,
                            const char* command) {
  auto fail = [&](const std::string& text) {
    std::cerr << command << ": " << text << "\n";
    return false;
  };
  if (vm.count("database")) rules.database = vm["database"].as<std::string>();
  if (vm.count("table")) {
    rules.table = vm["table"].as<std::string>();
    if (rules.table->find('.') == std::string::npos)
      return fail("--table wants DB.TABLE, not '" + *rules.table + "'");
  }
  if (vm.count("server-id")) rules.server_id = vm["server-id"].as<uint32_t>();
  struct IdOption {
    const char* name;
    std::vector<uint32_t>& out;
  };
  for (IdOption o : {IdOption{"do-server-ids", rules.server_ids},
                     IdOption{"ignore-server-ids", rules.ignore_server_ids},
                     IdOption{"do-domain-ids", rules.domain_ids},
                     IdOption{"ignore-domain-ids", rules.ignore_domain_ids}}) {
    if (!vm.count(o.name)) continue;
    auto ids = id_list(vm[o.name].as<std::string>());
    if (!ids)
      return fail(std::string("--") + o.name + " wants numbers separated by commas, not '" +
                  vm[o.name].as<std::string>() + "'");
    o.out = std::move(*ids);
  }
  // mysqlbinlog's pairs that contradict each other.
  if (vm.count("do-server-ids") && vm.count("ignore-server-ids"))
    return fail("give --do-server-ids or --ignore-server-ids, not both");
  if (vm.count("do-domain-ids") && vm.count("ignore-domain-ids"))
    return fail("give --do-domain-ids or --ignore-domain-ids, not both");
  if (vm.count("offset")) rules.offset = vm["offset"].as<uint64_t>();
  for (const char* name : {"include-gtids", "exclude-gtids"}) {
    if (!vm.count(name)) continue;
    auto list = GtidList::parse(vm[name].as<std::string>());
    if (!list.ok()) return fail(std::string("--") + name + ": " + list.error().message);
    (std::string_view(name) == "include-gtids" ? rules.include_gtids : rules.exclude_gtids) =
        std::move(list.value());
  }
  for (const char* name : {"start-gtid", "stop-gtid"}) {
    // A server applies --start-gtid itself.
    if (!vm.count(name) || (!files && std::string_view(name) == "start-gtid")) continue;
    auto set = protocol::GtidSet::parse(vm[name].as<std::string>());
    if (!set.ok()) return fail(std::string("--") + name + ": " + set.error().message);
    (std::string_view(name) == "start-gtid" ? rules.start_gtid : rules.stop_gtid) =
        std::move(set.value());
  }
  return true;
}

}  // namespace twinlog::cli
