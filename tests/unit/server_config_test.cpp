// Option lines to settings as mariadbd applies them. The same files are checked
// against `mariadbd --verbose --help` in tests/live/option_file_server_test.cpp.
#include "src/config/server_config.h"

#include <gtest/gtest.h>

namespace twinlog::config {
namespace {

const ServerIdentity kMaria1011{protocol::Flavor::kMariaDB, protocol::ServerVersion{10, 11, 6}};

ServerConfig config_of(const std::string& text, const ServerIdentity& id = kMaria1011) {
  return server_config_from_options(read_option_text(text, "my.cnf"), id);
}

bool has_note(const ServerConfig& c, const std::string& code) {
  for (const auto& n : c.notes) {
    if (n.code == code) return true;
  }
  return false;
}

TEST(ServerConfig, TheClassicMasterA) {
  auto c = config_of(
      "[mysqld]\n"
      "server-id = 1\n"
      "log-bin = mysql-bin\n"
      "binlog-do-db = test\n"
      "binlog-ignore-db = mysql\n"
      "replicate-do-db = test\n"
      "replicate-ignore-db = mysql,information_schema\n"
      "log-slave-updates\n"
      "sync_binlog = 1\n"
      "auto_increment_increment = 2\n"
      "auto_increment_offset = 1\n");
  EXPECT_EQ(c.server_id.value, 1u);
  EXPECT_EQ(c.server_id.origin.text(), "my.cnf:2");
  EXPECT_TRUE(c.log_bin.value);
  EXPECT_TRUE(c.log_slave_updates.value);
  EXPECT_EQ(c.sync_binlog.value, 1u);
  EXPECT_EQ(c.auto_increment_increment.value, 2u);
  ASSERT_EQ(c.binlog_do_db.size(), 1u);
  EXPECT_EQ(c.binlog_do_db[0].value, "test");
  ASSERT_EQ(c.replicate_ignore_db.size(), 1u);
  EXPECT_EQ(c.replicate_ignore_db[0].value, "mysql,information_schema");
  EXPECT_EQ(c.replicate_ignore_db[0].origin.text(), "my.cnf:7");
  EXPECT_TRUE(has_note(c, "config.filter_comma_list"));
  // Defaults say where they came from.
  EXPECT_EQ(c.binlog_format.value, "MIXED");
  EXPECT_EQ(c.binlog_format.origin.text(), "the server's default");
}

TEST(ServerConfig, PrefixesDashesAndLastLineWins) {
  auto c = config_of(
      "[mysqld]\n"
      "log_bin\n"
      "skip-log-bin\n"
      "enable-log_slave_updates\n"
      "loose-gtid-strict-mode=on\n"
      "disable-read-only=0\n"
      "server_id=3\n"
      "server-id=4\n"
      "loose-skip-replicate-same-server-id\n");
  EXPECT_FALSE(c.log_bin.value);
  EXPECT_TRUE(c.log_slave_updates.value);
  EXPECT_TRUE(c.gtid_strict_mode.value);
  EXPECT_TRUE(c.read_only.value);  // disable-x=0: a double negation
  EXPECT_EQ(c.server_id.value, 4u);
  EXPECT_EQ(c.server_id.origin.file.line, 8u);
  EXPECT_FALSE(c.replicate_same_server_id.value);
  EXPECT_EQ(c.replicate_same_server_id.origin.file.line, 9u);
}

TEST(ServerConfig, NumbersSuffixesAndRanges) {
  auto c = config_of(
      "[mysqld]\n"
      "sync_binlog=1K\n"
      "auto_increment_increment=70000\n"
      "lower_case_table_names=7\n"
      "gtid_domain_id=5000000000\n");
  EXPECT_EQ(c.sync_binlog.value, 1024u);
  EXPECT_EQ(c.auto_increment_increment.value, 65535u);
  EXPECT_EQ(c.lower_case_table_names.value, 0u);  // 2, then 0 on Linux
  EXPECT_EQ(c.gtid_domain_id.value, 4294967295u);
  EXPECT_TRUE(has_note(c, "config.value_adjusted"));
  auto bad = config_of("[mysqld]\nsync_binlog=abc\nserver_id=-1\nserver-id\n");
  int refused = 0;
  for (const auto& n : bad.notes) refused += n.code == "config.refused_value";
  EXPECT_EQ(refused, 3);
  EXPECT_EQ(bad.server_id.value, 1u);  // unchanged: the default
}

TEST(ServerConfig, BooleansAndEnums) {
  auto c = config_of(
      "[mysqld]\n"
      "read_only=yes\n"
      "binlog_format=row\n"
      "binlog-checksum=none\n"
      "binlog_row_image=1\n");
  EXPECT_FALSE(c.read_only.value);
  EXPECT_TRUE(has_note(c, "config.bad_boolean"));
  EXPECT_EQ(c.binlog_format.value, "ROW");
  EXPECT_EQ(c.binlog_checksum.value, "NONE");
  EXPECT_EQ(c.binlog_row_image.value, "NOBLOB");
  auto nodup = config_of("[mysqld]\nbinlog_row_image=full_nodup\n");
  EXPECT_TRUE(has_note(nodup, "config.refused_value"));
}

TEST(ServerConfig, FilterRulesAccumulateOneNamePerLine) {
  auto c = config_of(
      "[mysqld]\n"
      "replicate-do-db=a\n"
      "replicate-do-db=b\n"
      "replicate-wild-ignore-table=test.tmp%\n"
      "replicate-do-table=nodot\n"
      "replicate-rewrite-db = db1 -> test \n"
      "replicate-rewrite-db=bad\n");
  ASSERT_EQ(c.replicate_do_db.size(), 2u);
  EXPECT_EQ(c.replicate_do_db[1].value, "b");
  ASSERT_EQ(c.replicate_wild_ignore_table.size(), 1u);
  EXPECT_TRUE(c.replicate_do_table.empty());
  ASSERT_EQ(c.replicate_rewrite_db.size(), 1u);
  EXPECT_EQ(c.replicate_rewrite_db[0].from, "db1");
  EXPECT_EQ(c.replicate_rewrite_db[0].to, "test");
  int refused = 0;
  for (const auto& n : c.notes) refused += n.code == "config.refused_value";
  EXPECT_EQ(refused, 2);
}

TEST(ServerConfig, GroupsFollowFlavorAndVersion) {
  std::string text =
      "[mysqld]\nserver-id=1\n[mariadb]\nserver-id=2\n[mysqld-10.11]\nserver-id=3\n"
      "[mysqld-8.0]\nserver-id=4\n[client]\nserver-id=5\n";
  EXPECT_EQ(config_of(text).server_id.value, 3u);
  auto mysql = config_of(text, {protocol::Flavor::kMySQL, protocol::ServerVersion{8, 0, 36}});
  EXPECT_EQ(mysql.server_id.value, 4u);
  auto unknown_version = config_of(text, {protocol::Flavor::kMariaDB, std::nullopt});
  EXPECT_EQ(unknown_version.server_id.value, 2u);
  EXPECT_TRUE(has_note(unknown_version, "config.version_group_not_read"));
}

TEST(ServerConfig, UnknownOptionsAreKept) {
  auto c = config_of(
      "[mysqld]\nloose-nonexistent=5\nmaximum-sync-binlog=10\ninnodb_buffer_pool_size=1G\n");
  ASSERT_EQ(c.other.size(), 3u);
  EXPECT_EQ(c.other[0].name, "loose-nonexistent");
  EXPECT_EQ(c.sync_binlog.value, 0u);
}

}  // namespace
}  // namespace twinlog::config
