// A live master's replica channels: read from the replica status statement's
// columns (both spellings), and the findings they give - a channel fed by a
// third server, IGNORE_SERVER_IDS dropping a member's changes, and a replica
// stopped with error 1062 tied to the colliding transaction it stopped on.
#include "src/config/replica_status.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "src/checks/autoinc_check.h"
#include "src/checks/loop_check.h"
#include "src/source/memory_source.h"
#include "tests/support/event_builder.h"
#include "tests/support/findings.h"

namespace twinlog {
namespace {

using twinlog::testing::with_code;

using config::ReplicaChannel;
using config::ServerConfig;
using report::Finding;
using report::Severity;
using testing::BodyBuilder;
using testing::ByteVec;
using testing::HeaderFields;

const config::ServerIdentity kMaria{protocol::Flavor::kMariaDB, protocol::ServerVersion{10, 11, 6}};

ServerConfig config_of(const std::string& text) {
  return config::server_config_from_options(config::read_option_text(text, "x.cnf"), kMaria);
}

ReplicaChannel channel(uint32_t master, std::vector<uint32_t> ignored = {}) {
  ReplicaChannel c;
  c.master_server_id = master;
  c.ignore_server_ids = std::move(ignored);
  c.source = "SHOW ALL SLAVES STATUS";
  return c;
}

TEST(ReplicaStatus, ColumnsInEitherSpelling) {
  const std::vector<std::string> maria{"Connection_name",
                                       "Master_Server_Id",
                                       "Last_SQL_Errno",
                                       "Last_SQL_Error",
                                       "Relay_Master_Log_File",
                                       "Exec_Master_Log_Pos",
                                       "Replicate_Ignore_Server_Ids"};
  auto c = config::replica_channels_from(
      maria,
      {{"c", "3", "1062", "Could not execute Write_rows", "mysql-bin.000002", "1234", "2, 3"}},
      "SHOW ALL SLAVES STATUS");
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].name, "c");
  EXPECT_EQ(c[0].master_server_id, 3u);
  EXPECT_EQ(c[0].last_sql_errno, 1062u);
  EXPECT_EQ(c[0].last_sql_error, "Could not execute Write_rows");
  EXPECT_EQ(c[0].relay_master_log_file, "mysql-bin.000002");
  EXPECT_EQ(c[0].exec_master_log_pos, 1234u);
  EXPECT_EQ(c[0].ignore_server_ids, (std::vector<uint32_t>{2, 3}));
  EXPECT_EQ(c[0].source, "SHOW ALL SLAVES STATUS");

  const std::vector<std::string> mysql{"Channel_Name", "Source_Server_Id", "Relay_Source_Log_File",
                                       "Exec_Source_Log_Pos"};
  auto m = config::replica_channels_from(mysql, {{"", "7", "binlog.000001", std::nullopt}},
                                         "SHOW REPLICA STATUS");
  ASSERT_EQ(m.size(), 1u);
  EXPECT_EQ(m[0].master_server_id, 7u);
  EXPECT_EQ(m[0].relay_master_log_file, "binlog.000001");
  EXPECT_EQ(m[0].exec_master_log_pos, 0u);
  EXPECT_EQ(m[0].last_sql_errno, 0u);
  EXPECT_TRUE(m[0].ignore_server_ids.empty());
}

TEST(ReplicaStatus, ServerIdList) {
  EXPECT_TRUE(config::server_id_list("").empty());
  EXPECT_EQ(config::server_id_list("2"), (std::vector<uint32_t>{2}));
  EXPECT_EQ(config::server_id_list("2,3, 40"), (std::vector<uint32_t>{2, 3, 40}));
}

const char* kA = "[mysqld]\nserver-id=1\nlog-bin\nlog-slave-updates\n";
const char* kB = "[mysqld]\nserver-id=2\nlog-bin\nlog-slave-updates\n";

TEST(LoopChannels, EachOtherOnlyIsClean) {
  ServerConfig a = config_of(kA), b = config_of(kB);
  a.replica_channels = {channel(2)};
  b.replica_channels = {channel(1), channel(0)};  // 0: a channel never connected
  EXPECT_TRUE(checks::loop_config_findings(a, b, false).empty());
}

TEST(LoopChannels, AThirdServerFeedingAMaster) {
  ServerConfig a = config_of(kA), b = config_of(kB);
  a.replica_channels = {channel(2), channel(3)};
  a.replica_channels[1].name = "c";
  b.replica_channels = {channel(1)};
  auto f = checks::loop_config_findings(a, b, false);
  auto third = with_code(f, "loop.third_source");
  ASSERT_EQ(third.size(), 1u);
  EXPECT_EQ(third[0]->severity, Severity::kWarning);
  EXPECT_NE(third[0]->message.find("A's replica channel 'c' replicates from server id 3"),
            std::string::npos)
      << third[0]->message;
  EXPECT_EQ(third[0]->evidence.at(0).origin_server_id, 3u);
  // The third source is one: gtid_ignore_duplicates off now matters on both.
  EXPECT_EQ(with_code(f, "config.gtid_ignore_duplicates_off").size(), 2u);
}

TEST(LoopChannels, IgnoreServerIdsNamingThePeerOrTheChannelsMaster) {
  ServerConfig a = config_of(kA), b = config_of(kB);
  a.replica_channels = {channel(2, {2})};
  b.replica_channels = {channel(1, {1, 9})};  // 9: a server that has left, no finding
  auto f = checks::loop_config_findings(a, b, false);
  auto ignored = with_code(f, "loop.ignore_server_ids");
  ASSERT_EQ(ignored.size(), 2u);
  EXPECT_EQ(ignored[0]->severity, Severity::kError);
  EXPECT_NE(ignored[0]->message.find("A's replica channel '' has IGNORE_SERVER_IDS naming B's "
                                     "server id (2)"),
            std::string::npos)
      << ignored[0]->message;
  EXPECT_EQ(ignored[0]->evidence.at(0).option, "IGNORE_SERVER_IDS=(2)");
  EXPECT_NE(ignored[1]->message.find("naming A's server id (1)"), std::string::npos);

  a.replica_channels = {channel(3, {3})};  // the channel's own (third) master
  f = checks::loop_config_findings(a, b, false);
  ignored = with_code(f, "loop.ignore_server_ids");
  ASSERT_EQ(ignored.size(), 2u);
  EXPECT_NE(ignored[0]->message.find("the server id of the channel's own master (3)"),
            std::string::npos);
}

// ------------------------------------------------------------ autoinc

const char* kSameA = "[mysqld]\nserver-id=1\nauto_increment_increment=2\nauto_increment_offset=1\n";
const char* kSameB = "[mysqld]\nserver-id=2\nauto_increment_increment=2\nauto_increment_offset=1\n";

HeaderFields from(uint32_t server_id) {
  HeaderFields h;
  h.server_id = server_id;
  return h;
}

// CREATE TABLE test.t, then one statement-format insert taking `id`.
std::vector<ByteVec> create_and_insert(uint32_t server_id, uint64_t id) {
  testing::QueryFields fields;
  fields.status = BodyBuilder().u8(3).u16(2).u16(1);
  auto query = [&](std::string_view sql) {
    return testing::make_event(testing::EventType::kQuery, testing::query_body("test", sql, fields),
                               from(server_id));
  };
  return {testing::make_fde(),
          testing::maria_gtid_event(1, 0, 1, from(server_id)),
          query("CREATE TABLE t (id int NOT NULL AUTO_INCREMENT, v int, PRIMARY KEY (id))"),
          testing::maria_gtid_event(2, 0, 0, from(server_id)),
          query("BEGIN"),
          testing::make_event(testing::EventType::kIntvar, BodyBuilder().u8(2).u64(id),
                              from(server_id)),
          query("INSERT INTO t (v) VALUES (1)"),
          testing::xid_event(2, from(server_id))};
}

std::vector<Finding> run(const ServerConfig& a, const ServerConfig& b, bool read_b = true) {
  checks::AutoIncrementCheck check(a, b);
  for (const auto& [reader, server] : {std::pair{"A", 1u}, {"B", 2u}}) {
    if (reader == std::string("B") && !read_b) continue;
    const ByteVec file = testing::make_binlog(create_and_insert(server, 1));
    EventStream stream(memory_binlog_opener("mysql-bin.000001", ByteSpan(file.data(), file.size())),
                       {});
    check.begin(reader);
    StreamEvent se;
    while (stream.next(se)) check.add(se);
    check.end();
  }
  return check.findings();
}

TEST(AutoincReplicaStop, TiedToTheCollidingTransactionItStoppedOn) {
  ServerConfig a = config_of(kSameA), b = config_of(kSameB);
  auto before = run(a, b);
  auto collision = with_code(before, "autoinc.collision");
  ASSERT_EQ(collision.size(), 1u);
  EXPECT_TRUE(with_code(before, "autoinc.replica_stopped_1062").empty());
  const uint64_t a_start = *collision[0]->evidence.at(0).start;

  // B's replica stopped on A's insert: Exec_Master_Log_Pos is where it starts.
  ReplicaChannel stopped = channel(1);
  stopped.last_sql_errno = 1062;
  stopped.last_sql_error = "Duplicate entry '1' for key 'PRIMARY'";
  stopped.relay_master_log_file = "mysql-bin.000001";
  stopped.exec_master_log_pos = a_start;
  b.replica_channels = {stopped};
  auto f = run(a, b);
  auto stop = with_code(f, "autoinc.replica_stopped_1062");
  ASSERT_EQ(stop.size(), 1u);
  EXPECT_EQ(stop[0]->severity, Severity::kError);
  EXPECT_NE(stop[0]->message.find("B's replica channel '' stopped with error 1062 at "
                                  "mysql-bin.000001:" +
                                  std::to_string(a_start) +
                                  ", on A's transaction 0-1-2 that inserted test.t id 1, which B "
                                  "had inserted too: Duplicate entry '1' for key 'PRIMARY'"),
            std::string::npos)
      << stop[0]->message;
  ASSERT_EQ(stop[0]->evidence.size(), 3u);
  EXPECT_EQ(stop[0]->evidence[0].server, "B");
  EXPECT_EQ(stop[0]->evidence[0].statement, "Duplicate entry '1' for key 'PRIMARY'");
  EXPECT_EQ(stop[0]->evidence[1].server, "A");
  EXPECT_EQ(stop[0]->evidence[1].gtid, "0-1-2");
  EXPECT_EQ(stop[0]->evidence[1].start, a_start);
  EXPECT_EQ(stop[0]->evidence[2].server, "B");
  EXPECT_EQ(stop[0]->evidence[2].gtid, "0-2-2");

  // A position no transaction read starts at, or A's binlog not read: still the
  // stop, untied, saying why.
  b.replica_channels[0].exec_master_log_pos = a_start + 1;
  const std::vector<Finding> untied = run(a, b);
  stop = with_code(untied, "autoinc.replica_stopped_1062");
  ASSERT_EQ(stop.size(), 1u);
  EXPECT_NE(stop[0]->message.find("that the binlogs read do not hold"), std::string::npos);
  EXPECT_EQ(stop[0]->evidence.size(), 1u);
}

TEST(AutoincReplicaStop, OtherErrorsAreNotThisFinding) {
  ServerConfig a = config_of(kSameA), b = config_of(kSameB);
  ReplicaChannel stopped = channel(1);
  stopped.last_sql_errno = 1146;
  b.replica_channels = {stopped};
  const std::vector<Finding> other_errors = run(a, b, false);
  EXPECT_TRUE(with_code(other_errors, "autoinc.replica_stopped_1062").empty());
}

}  // namespace
}  // namespace twinlog
