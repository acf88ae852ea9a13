// `twinlog capture` option handling, through the binary: what is refused before
// any connection is tried, and that a password never comes from the command line.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <string>

namespace {

struct CliRun {
  int code = -1;
  std::string output;  // stdout and stderr
};

CliRun twinlog(const std::string& args) {
  CliRun r;
  std::string cmd = std::string(TWINLOG_BINARY) + " capture " + args + " 2>&1";
  FILE* p = popen(cmd.c_str(), "r");
  if (p == nullptr) return r;
  std::array<char, 4096> buf{};
  std::size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), p)) > 0) r.output.append(buf.data(), n);
  int status = pclose(p);
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

TEST(CaptureCli, HelpListsTheMysqlClientOptions) {
  CliRun r = twinlog("--help");
  EXPECT_EQ(r.code, 0);
  for (const char* opt :
       {"--host", "--port", "--socket", "--user", "--defaults-file", "--defaults-extra-file",
        "--defaults-group-suffix", "--ssl-mode", "--ssl-ca", "--ssl-cert", "--ssl-key", "--follow",
        "--compress", "--replica-server-id", "--start-gtid", "--stop-datetime"})
    EXPECT_NE(r.output.find(opt), std::string::npos) << opt;
}

TEST(CaptureCli, PasswordOnTheCommandLineIsRefusedAndNotEchoed) {
  CliRun r =
      twinlog("--host 127.0.0.1 --port 1 --no-defaults --password=hunter2secret --dir /tmp/x");
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.output.find("does not take a password on the command line"), std::string::npos);
  EXPECT_EQ(r.output.find("hunter2secret"), std::string::npos);
}

TEST(CaptureCli, BadValuesAreUsageErrors) {
  CliRun mode = twinlog("--host 127.0.0.1 --ssl-mode SOMETIMES --dir /tmp/x");
  EXPECT_EQ(mode.code, 2);
  EXPECT_NE(mode.output.find("--ssl-mode must be"), std::string::npos);
  CliRun nodir = twinlog("--host 127.0.0.1");
  EXPECT_EQ(nodir.code, 2);
  EXPECT_NE(nodir.output.find("--dir is required"), std::string::npos);
  CliRun gtid = twinlog("--host 127.0.0.1 --start-gtid 0-1-5 --dir /tmp/x");
  EXPECT_EQ(gtid.code, 2);
  EXPECT_NE(gtid.output.find("--start-gtid"), std::string::npos);
  CliRun two = twinlog("--host 127.0.0.1 --start-oldest --start-end --dir /tmp/x");
  EXPECT_EQ(two.code, 2);
  CliRun pos = twinlog("--host 127.0.0.1 --start-position 100 --dir /tmp/x");
  EXPECT_EQ(pos.code, 2);
  EXPECT_NE(pos.output.find("--start-position needs --start-file"), std::string::npos);
  CliRun when = twinlog("--host 127.0.0.1 --stop-datetime yesterday --dir /tmp/x");
  EXPECT_EQ(when.code, 2);
  EXPECT_NE(when.output.find("not a time"), std::string::npos);
  CliRun compress = twinlog("--host 127.0.0.1 --compress lz4 --dir /tmp/x");
  EXPECT_EQ(compress.code, 2);
}

TEST(CaptureCli, NothingListeningSaysSo) {
  std::string dir = "/tmp/twinlog-cli-unreachable-" + std::to_string(getpid());
  CliRun r = twinlog(
      "--host 127.0.0.1 --port 1 --no-defaults --user nobody --connect-timeout 2 --dir " + dir);
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.output.find("cannot reach 127.0.0.1:1"), std::string::npos) << r.output;
  std::string rm = "rm -rf " + dir;
  EXPECT_EQ(std::system(rm.c_str()), 0);
}

// The directory was created before the connection was tried: a capture that
// cannot connect must leave nothing behind.
TEST(CaptureCli, NothingIsCreatedWhenTheServerCannotBeReached) {
  std::string parent = "/tmp/twinlog-cli-nodir-" + std::to_string(getpid());
  std::string dir = parent + "/capture";
  CliRun r = twinlog(
      "--host 127.0.0.1 --port 1 --no-defaults --user nobody --connect-timeout 2 --dir " + dir);
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.output.find("cannot reach 127.0.0.1:1"), std::string::npos) << r.output;
  EXPECT_FALSE(std::filesystem::exists(dir));
  EXPECT_FALSE(std::filesystem::exists(parent));
  std::filesystem::remove_all(parent);
}

TEST(CaptureCli, MissingOptionFileIsNamed) {
  CliRun r =
      twinlog("--host 127.0.0.1 --port 1 --defaults-extra-file /nonexistent/x.cnf --dir /tmp/x");
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.output.find("/nonexistent/x.cnf"), std::string::npos);
}

}  // namespace
