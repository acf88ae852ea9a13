#include "tools/workload/workload_tables.h"

#include <chrono>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "src/report/concat.h"

namespace twinlog::workload {
namespace {

// Text is built by appending (report::concat): GCC 12 at -O3 takes `"literal" +
// std::string` here for an overlapping copy (a false -Wrestrict).
using report::concat;

std::string enum_values(int n) {
  std::string s;
  for (int i = 0; i < n; ++i) {
    if (i) s += ',';
    s.append("'v").append(std::to_string(i)).append("'");
  }
  return s;
}

}  // namespace

std::vector<Table> workload_tables() {
  std::vector<Table> t;
  t.push_back({"wl_ints",
               {{"ti", "TINYINT"},
                {"tiu", "TINYINT UNSIGNED"},
                {"si", "SMALLINT"},
                {"siu", "SMALLINT UNSIGNED"},
                {"mi", "MEDIUMINT"},
                {"miu", "MEDIUMINT UNSIGNED"},
                {"i", "INT"},
                {"iu", "INT UNSIGNED"},
                {"bi", "BIGINT"},
                {"biu", "BIGINT UNSIGNED"},
                {"bo", "BOOLEAN"}}});
  t.push_back({"wl_numeric",
               {{"d1", "DECIMAL(1,0)"},
                {"d5_2", "DECIMAL(5,2)"},
                {"d10_4", "DECIMAL(10,4)"},
                {"d18_9", "DECIMAL(18,9)"},
                {"d20_0", "DECIMAL(20,0)"},
                {"d38_10", "DECIMAL(38,10)"},
                {"d65_30", "DECIMAL(65,30)"},
                {"du", "DECIMAL(12,3) UNSIGNED"},
                {"f", "FLOAT"},
                {"db", "DOUBLE"}}});
  Table temporal{"wl_temporal", {{"d", "DATE"}, {"y", "YEAR"}}};
  for (int p = 0; p <= 6; ++p) {
    const std::string n = std::to_string(p);
    temporal.columns.push_back({concat("t", n), concat("TIME(", n, ")")});
    temporal.columns.push_back({concat("dt", n), concat("DATETIME(", n, ")")});
    temporal.columns.push_back({concat("ts", n), concat("TIMESTAMP(", n, ") NULL")});
  }
  t.push_back(temporal);
  t.push_back({"wl_strings",
               {{"c_latin", "CHAR(10) CHARACTER SET latin1"},
                {"vc_latin", "VARCHAR(300) CHARACTER SET latin1"},
                {"txt_latin", "TEXT CHARACTER SET latin1"},
                {"c_utf", "CHAR(10) CHARACTER SET utf8mb4"},
                {"vc_utf_short", "VARCHAR(60) CHARACTER SET utf8mb4"},
                {"vc_utf", "VARCHAR(300) CHARACTER SET utf8mb4"},
                {"tt_utf", "TINYTEXT CHARACTER SET utf8mb4"},
                {"txt_utf", "TEXT CHARACTER SET utf8mb4"},
                {"mt_utf", "MEDIUMTEXT CHARACTER SET utf8mb4"},
                {"lt_utf", "LONGTEXT CHARACTER SET utf8mb4"},
                {"c_bin", "CHAR(8) CHARACTER SET binary"},
                {"vc_bin", "VARCHAR(40) CHARACTER SET binary"}}});
  t.push_back({"wl_binary",
               {{"b16", "BINARY(16)"},
                {"vb", "VARBINARY(300)"},
                {"tb", "TINYBLOB"},
                {"bl", "BLOB"},
                {"mb", "MEDIUMBLOB"},
                {"lb", "LONGBLOB"}}});
  t.push_back({"wl_misc",
               {{"e", "ENUM('red','green','blue')"},
                {"e_big", concat("ENUM(", enum_values(300), ")")},
                {"st", "SET('a','b','c','d')"},
                {"st_big", "SET('s0','s1','s2','s3','s4','s5','s6','s7','s8','s9','s10')"},
                {"bit1", "BIT(1)"},
                {"bit7", "BIT(7)"},
                {"bit8", "BIT(8)"},
                {"bit17", "BIT(17)"},
                {"bit64", "BIT(64)"},
                {"j", "JSON"},
                {"g", "GEOMETRY"},
                {"p", "POINT"},
                {"ls", "LINESTRING"},
                {"u", "UUID"},
                {"ip4", "INET4"},
                {"ip6", "INET6"}}});
  return t;
}

void create_schema(Connection& a, Connection* b, const std::vector<Table>& tables,
                   const Options& o) {
  a.exec("USE " + o.database);
  if (o.reset) {
    for (const auto& t : tables) a.exec("DROP TABLE IF EXISTS " + t.name);
    a.exec("DROP TABLE IF EXISTS wl_autoinc");
  }
  for (const auto& t : tables) {
    std::string ddl =
        "CREATE TABLE IF NOT EXISTS " + t.name + " (id BIGINT UNSIGNED NOT NULL PRIMARY KEY";
    for (const auto& c : t.columns) ddl += ", " + c.name + " " + c.type;
    a.exec(ddl + ") ENGINE=InnoDB");
  }
  a.exec(
      "CREATE TABLE IF NOT EXISTS wl_autoinc (id INT UNSIGNED AUTO_INCREMENT PRIMARY KEY, "
      "origin VARCHAR(8) NOT NULL, label VARCHAR(40), ref_name VARCHAR(20)) ENGINE=InnoDB");
  // wl_ref: a second database, the same on every master, never logged.
  std::vector<Connection*> all{&a};
  if (b != nullptr) all.push_back(b);
  for (Connection* c : all) {
    c->exec("SET SESSION sql_log_bin = 0");
    c->exec("CREATE DATABASE IF NOT EXISTS wl_ref");
    c->exec("CREATE TABLE IF NOT EXISTS wl_ref.names (n INT PRIMARY KEY, name VARCHAR(20))");
    c->exec(
        "INSERT IGNORE INTO wl_ref.names VALUES "
        "(0,'zero'),(1,'one'),(2,'two'),(3,'three'),(4,'four'),"
        "(5,'five'),(6,'six'),(7,'seven'),(8,'eight'),(9,'nine')");
    c->exec("SET SESSION sql_log_bin = 1");
    c->exec("USE " + o.database);
  }
  if (b == nullptr) return;
  // Wait until B has every table (created on A, replicated).
  const std::string count_sql =
      "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = '" + o.database +
      "' AND table_name LIKE 'wl\\_%'";
  const std::string want = std::to_string(tables.size() + 1);
  for (int i = 0; i < 600; ++i) {
    if (b->value(count_sql) == want) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  throw std::runtime_error(
      "the workload's tables did not reach master B within 60 s (is replication running?)");
}

}  // namespace twinlog::workload
