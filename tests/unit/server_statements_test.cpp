// The statements that differ by flavor and version, chosen once: MariaDB keeps the
// old names; MySQL renamed SHOW SLAVE HOSTS / SHOW SLAVE STATUS at 8.0.22 and SHOW
// MASTER STATUS at 8.2.0 (gone in 8.4).
#include "src/server/server_statements.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace twinlog {
namespace {

TEST(ServerFlavor, DecidedFromTheVersionText) {
  ServerFlavor maria = server_flavor("10.11.6-MariaDB-0+deb12u1-log");
  EXPECT_TRUE(maria.is_mariadb());
  EXPECT_EQ(maria.version.major, 10);
  EXPECT_EQ(maria.version.minor, 11);
  EXPECT_EQ(maria.version.patch, 6);
  // A handshake from MariaDB 10+ to an old client carries a "5.5.5-" prefix.
  ServerFlavor prefixed = server_flavor("5.5.5-10.6.12-MariaDB");
  EXPECT_TRUE(prefixed.is_mariadb());
  EXPECT_EQ(prefixed.version.major, 10);
  EXPECT_EQ(prefixed.version.minor, 6);
  ServerFlavor mysql = server_flavor("8.0.36-0ubuntu0.22.04.1");
  EXPECT_FALSE(mysql.is_mariadb());
  EXPECT_EQ(mysql.version.minor, 0);
  EXPECT_EQ(mysql.version.patch, 36);
}

TEST(ServerStatements, MariaDbKeepsTheOldNamesAndItsSessionVariables) {
  for (const char* version : {"10.3.39-MariaDB", "10.11.6-MariaDB-log", "11.4.2-MariaDB"}) {
    ServerStatements s = statements_for(server_flavor(version));
    EXPECT_EQ(s.binlog_status, "SHOW MASTER STATUS") << version;
    EXPECT_EQ(s.replica_hosts, "SHOW SLAVE HOSTS") << version;
    EXPECT_EQ(s.replica_status, "SHOW ALL SLAVES STATUS") << version;
    EXPECT_EQ(s.source_id_column, "Master_Server_Id") << version;
    EXPECT_TRUE(s.gtid_start);
    EXPECT_NE(std::find(s.dump_session.begin(), s.dump_session.end(),
                        "SET @mariadb_slave_capability = 4"),
              s.dump_session.end());
  }
}

struct MySqlCase {
  const char* version;
  std::string_view binlog_status, replica_hosts, replica_status, source_id_column;
};

TEST(ServerStatements, MySqlNamesFollowTheVersion) {
  const MySqlCase cases[] = {
      {"5.7.44-log", "SHOW MASTER STATUS", "SHOW SLAVE HOSTS", "SHOW SLAVE STATUS",
       "Master_Server_Id"},
      {"8.0.21", "SHOW MASTER STATUS", "SHOW SLAVE HOSTS", "SHOW SLAVE STATUS", "Master_Server_Id"},
      {"8.0.22", "SHOW MASTER STATUS", "SHOW REPLICAS", "SHOW REPLICA STATUS", "Source_Server_Id"},
      {"8.1.0", "SHOW MASTER STATUS", "SHOW REPLICAS", "SHOW REPLICA STATUS", "Source_Server_Id"},
      {"8.2.0", "SHOW BINARY LOG STATUS", "SHOW REPLICAS", "SHOW REPLICA STATUS",
       "Source_Server_Id"},
      {"8.4.3", "SHOW BINARY LOG STATUS", "SHOW REPLICAS", "SHOW REPLICA STATUS",
       "Source_Server_Id"},
      {"9.1.0", "SHOW BINARY LOG STATUS", "SHOW REPLICAS", "SHOW REPLICA STATUS",
       "Source_Server_Id"},
  };
  for (const auto& c : cases) {
    ServerStatements s = statements_for(server_flavor(c.version));
    EXPECT_EQ(s.binlog_status, c.binlog_status) << c.version;
    EXPECT_EQ(s.replica_hosts, c.replica_hosts) << c.version;
    EXPECT_EQ(s.replica_status, c.replica_status) << c.version;
    EXPECT_EQ(s.source_id_column, c.source_id_column) << c.version;
    EXPECT_FALSE(s.gtid_start) << c.version;
    for (const auto& sql : s.dump_session)
      EXPECT_EQ(sql.find("mariadb"), std::string::npos) << c.version << ": " << sql;
  }
}

TEST(ServerStatements, GtidStartQuotesTheState) {
  auto sql = mariadb_gtid_start("0-1-5,1-2-3");
  ASSERT_FALSE(sql.empty());
  EXPECT_EQ(sql[0], "SET @slave_connect_state = '0-1-5,1-2-3'");
  EXPECT_EQ(mariadb_gtid_start("a'b")[0], "SET @slave_connect_state = 'a\\'b'");
  EXPECT_EQ(heartbeat_statement(5), "SET @master_heartbeat_period = 5000000000");
}

}  // namespace
}  // namespace twinlog
