// The mysql client's and mysqlbinlog's short options, as a DBA's fingers type them:
// -h is the host (not help), -P the port, -S the socket, -u the user, -p asks for
// the password without taking the next word, -? is help and -V the version.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "tests/support/cli_run.h"
#include "tests/support/findings.h"
#include "tools/twinlog/connection_cli.h"
#include "tools/twinlog/datetime_cli.h"

namespace {

using twinlog::testing::has;

using twinlog::testing::CliRun;
using twinlog::testing::run_twinlog;

const std::string kSample = std::string(TWINLOG_SAMPLES_DIR) + "/binlogs/row-full/mysql-bin.000001";

TEST(ClientOptions, DashHIsTheHostNotHelp) {
  // Nothing listens on port 1: the error names the host and port given.
  for (const char* command : {"stats", "decode", "capture --dir /nonexistent-twinlog-dir"}) {
    CliRun r = run_twinlog(std::string(command) + " -h 127.0.0.1 -P 1 --connect-timeout 1");
    EXPECT_EQ(r.code, 2) << command;
    EXPECT_TRUE(has(r.err, "cannot reach 127.0.0.1:1")) << command << ": " << r.err;
    EXPECT_FALSE(has(r.out, "usage:")) << command;
  }
}

TEST(ClientOptions, DashSIsTheSocket) {
  CliRun r = run_twinlog("stats -S /nonexistent-twinlog.sock --connect-timeout 1");
  EXPECT_EQ(r.code, 2);
  EXPECT_TRUE(has(r.err, "socket /nonexistent-twinlog.sock")) << r.err;
}

TEST(ClientOptions, QuestionMarkAndVersion) {
  for (const char* command : {"decode", "stats", "capture", "loops", "filters", "autoinc"}) {
    CliRun help = run_twinlog(std::string(command) + " -?");
    EXPECT_EQ(help.code, 0) << command;
    EXPECT_TRUE(has(help.out, "usage: twinlog " + std::string(command))) << command;
    CliRun version = run_twinlog(std::string(command) + " -V");
    EXPECT_EQ(version.code, 0) << command;
    EXPECT_EQ(version.out, std::string("twinlog ") + TWINLOG_VERSION + "\n") << command;
  }
  EXPECT_EQ(run_twinlog("--version").out, std::string("twinlog ") + TWINLOG_VERSION + "\n");
  EXPECT_EQ(run_twinlog("-V").code, 0);
  EXPECT_TRUE(has(run_twinlog("-?").out, "usage: twinlog <command>"));
}

TEST(ClientOptions, LonePasswordOptionDoesNotSwallowTheFile) {
  // Without a terminal nothing is asked; the file is read as a file.
  for (const char* form : {"-p", "--password", "-u bob -p"}) {
    CliRun r = run_twinlog("stats " + std::string(form) + " " + kSample, "/dev/null");
    EXPECT_EQ(r.code, 0) << form << ": " << r.err;
    EXPECT_TRUE(has(r.out, "Files: 1")) << form;
  }
}

TEST(ClientOptions, PasswordOnTheCommandLineIsRefusedWithTheReasonEverywhere) {
  for (const std::string& args :
       {"stats -pSECRET " + kSample, "decode --password=SECRET " + kSample,
        std::string("loops -pSECRET --a-cnf x --b-cnf y")}) {
    CliRun r = run_twinlog(args);
    EXPECT_EQ(r.code, 2) << args;
    EXPECT_TRUE(has(r.err, "does not take a password on the command line")) << r.err;
    EXPECT_TRUE(has(r.err, "process list")) << r.err;
    EXPECT_FALSE(has(r.err, "SECRET")) << r.err;
  }
}

TEST(ClientOptions, CheckCommandsRefuseHostPortSocketWithTheirWay) {
  for (const char* form : {"-h db1", "-P 3306", "-S /tmp/x.sock", "--host db1"}) {
    CliRun r = run_twinlog(std::string("loops ") + form);
    EXPECT_EQ(r.code, 2) << form;
    EXPECT_TRUE(has(r.err, "--a HOST[:PORT] and --b HOST[:PORT]")) << form << ": " << r.err;
  }
}

TEST(ClientOptions, HostInTheOptionFileReadsFromThatServer) {
  const std::string with_host =
      twinlog::testing::write_temp_file("twinlog-host.cnf", "[client]\nhost=127.0.0.1\nport=1\n");
  CliRun r = run_twinlog("stats --defaults-file " + with_host + " --connect-timeout 1");
  EXPECT_EQ(r.code, 2);
  EXPECT_TRUE(has(r.err, "cannot reach the server named in the option files")) << r.err;
  EXPECT_TRUE(has(r.err, "'127.0.0.1'")) << r.err;
  const std::string without =
      twinlog::testing::write_temp_file("twinlog-nohost.cnf", "[client]\nuser=bob\n");
  CliRun files = run_twinlog("stats --defaults-file " + without);
  EXPECT_EQ(files.code, 2);
  EXPECT_TRUE(has(files.err, "no binlog file given")) << files.err;
  // --no-defaults reads no file, and a FILE given is read whatever the files say.
  EXPECT_TRUE(has(run_twinlog("stats --no-defaults").err, "no binlog file given"));
  EXPECT_EQ(run_twinlog("stats --defaults-file " + with_host + " " + kSample).code, 0);
}

TEST(ClientOptions, ZstdIsKnownByItsMagicNumber) {
  namespace fs = std::filesystem;
  const std::string plain_name =
      (fs::temp_directory_path() / ("twinlog-zstd-" + std::to_string(getpid()))).string();
  ASSERT_EQ(std::system(("zstd -q -f -o " + plain_name + " " + kSample).c_str()), 0);
  const std::string expected = run_twinlog("decode " + kSample).out;
  CliRun named = run_twinlog("decode " + plain_name);
  EXPECT_EQ(named.code, 0) << named.err;
  EXPECT_EQ(named.out, expected);
  CliRun piped = run_twinlog("decode -", plain_name);
  EXPECT_EQ(piped.code, 0) << piped.err;
  EXPECT_EQ(piped.out, expected);
  fs::remove(plain_name);
}

TEST(ClientOptions, DecodeAndStatsTakeTheSameFormats) {
  CliRun lines = run_twinlog("decode --format jsonl " + kSample);
  CliRun array = run_twinlog("decode --format json " + kSample);
  ASSERT_EQ(array.code, 0) << array.err;
  const auto doc = nlohmann::json::parse(array.out);
  ASSERT_TRUE(doc.is_array());
  EXPECT_EQ(doc.size(), static_cast<size_t>(std::count(lines.out.begin(), lines.out.end(), '\n')));
  EXPECT_EQ(doc.front()["type"], "FORMAT_DESCRIPTION_EVENT");
  EXPECT_EQ(nlohmann::json::parse(run_twinlog("decode --format json --server-id 99 " + kSample).out)
                .size(),
            2u);
  CliRun stats_lines = run_twinlog("stats --format jsonl " + kSample);
  EXPECT_EQ(stats_lines.code, 0);
  EXPECT_EQ(stats_lines.out, run_twinlog("stats --format json " + kSample).out);
  EXPECT_EQ(std::count(stats_lines.out.begin(), stats_lines.out.end(), '\n'), 1);
  EXPECT_EQ(run_twinlog("stats --format xml " + kSample).code, 2);
}

twinlog::ConnectionOptions connection_from(const std::vector<const char*>& argv) {
  namespace po = boost::program_options;
  po::options_description options;
  twinlog::cli::add_connection_options(options);
  std::vector<const char*> args = {"twinlog"};
  args.insert(args.end(), argv.begin(), argv.end());
  po::variables_map vm;
  po::store(po::parse_command_line(static_cast<int>(args.size()), args.data(), options), vm);
  po::notify(vm);
  return twinlog::cli::connection_options_from(vm);
}

TEST(ClientOptions, TheMysqlClientsTlsCompressionAndPluginOptionsReachTheConnection) {
  const twinlog::ConnectionOptions none = connection_from({});
  EXPECT_FALSE(none.compress);
  EXPECT_TRUE(none.ssl_capath.empty() && none.ssl_cipher.empty() && none.ssl_crl.empty() &&
              none.ssl_crlpath.empty() && none.tls_version.empty() && none.default_auth.empty() &&
              none.plugin_dir.empty());
  const twinlog::ConnectionOptions o = connection_from(
      {"--compress", "--ssl-capath", "/etc/ssl/certs", "--ssl-cipher=ECDHE-RSA-AES128-GCM-SHA256",
       "--ssl-crl", "/tmp/crl.pem", "--ssl-crlpath=/tmp/crls", "--tls-version", "TLSv1.2,TLSv1.3",
       "--default-auth", "ed25519", "--plugin-dir=/usr/lib/mysql/plugin"});
  EXPECT_TRUE(o.compress);
  EXPECT_EQ(o.ssl_capath, "/etc/ssl/certs");
  EXPECT_EQ(o.ssl_cipher, "ECDHE-RSA-AES128-GCM-SHA256");
  EXPECT_EQ(o.ssl_crl, "/tmp/crl.pem");
  EXPECT_EQ(o.ssl_crlpath, "/tmp/crls");
  EXPECT_EQ(o.tls_version, "TLSv1.2,TLSv1.3");
  EXPECT_EQ(o.default_auth, "ed25519");
  EXPECT_EQ(o.plugin_dir, "/usr/lib/mysql/plugin");
  EXPECT_TRUE(connection_from({"-C"}).compress);
  // The option files' compress as the mysql client reads it (the connector would
  // skip a bare one).
  for (const auto& [text, on] : std::vector<std::pair<std::string, bool>>{
           {"[client]\ncompress\n", true},
           {"[client]\ncompress=ON\n", true},
           {"[twinlog]\ncompress\n", true},
           {"[client]\ncompress\n[client]\ncompress=0\n", false},
           {"[client]\ncompress\nskip-compress\n", false},
           {"[mysqld]\ncompress\n", false}}) {
    const std::string cnf = twinlog::testing::write_temp_file("twinlog-compress.cnf", text);
    EXPECT_EQ(connection_from({"--defaults-file", cnf.c_str()}).compress, on) << text;
    EXPECT_FALSE(connection_from({"--no-defaults", "--defaults-file", cnf.c_str()}).compress)
        << text;
  }
  // The connector skips a version it does not know and connects with its defaults.
  for (const char* bad : {"TLSv1.9", "TLSv1.2,tls1.3", "", "TLSv1.2,"})
    EXPECT_THROW(connection_from({"--tls-version", bad}), boost::program_options::error) << bad;
  EXPECT_EQ(connection_from({"--tls-version", "TLSv1.2, TLSv1.3"}).tls_version, "TLSv1.2, TLSv1.3");
}

TEST(ClientOptions, EveryCommandThatConnectsTakesThem) {
  // Nothing listens on port 1: each command gets as far as connecting.
  for (const char* command : {"stats", "decode", "capture --dir /nonexistent-twinlog-dir",
                              "loops --a 127.0.0.1:1 --b 127.0.0.1:1"}) {
    const bool pair = std::string(command).rfind("loops", 0) == 0;
    CliRun r = run_twinlog(std::string(command) + (pair ? "" : " -h 127.0.0.1 -P 1") +
                           " --no-defaults --connect-timeout 1 -C --ssl-capath /etc/ssl/certs "
                           "--ssl-cipher HIGH --ssl-crl /x.pem --ssl-crlpath /x --tls-version "
                           "TLSv1.3 --default-auth ed25519 --plugin-dir /x");
    EXPECT_EQ(r.code, 2) << command;
    EXPECT_FALSE(has(r.err, "is not a twinlog option")) << command << ": " << r.err;
    EXPECT_FALSE(has(r.err, "unrecognised")) << command << ": " << r.err;
    EXPECT_TRUE(has(r.err, "127.0.0.1:1")) << command << ": " << r.err;
  }
}

TEST(ClientOptions, SslAndVerifyServerCertTakeTheMariadbClientsMeaning) {
  using twinlog::SslMode;
  EXPECT_FALSE(connection_from({}).ssl);
  EXPECT_EQ(connection_from({}).ssl_mode, SslMode::kDefault);
  for (const char* on : {"--ssl", "--ssl=1", "--ssl=ON", "--enable-ssl"}) {
    EXPECT_TRUE(connection_from({on}).ssl) << on;
    EXPECT_EQ(connection_from({on}).ssl_mode, SslMode::kDefault) << on;
  }
  for (const char* off : {"--skip-ssl", "--disable-ssl", "--ssl=0", "--ssl=off"}) {
    EXPECT_FALSE(connection_from({off}).ssl) << off;
    EXPECT_EQ(connection_from({off}).ssl_mode, SslMode::kDisabled) << off;
  }
  for (const char* verify : {"--ssl-verify-server-cert", "--ssl-verify-server-cert=true",
                             "--enable-ssl-verify-server-cert"})
    EXPECT_EQ(connection_from({verify}).ssl_mode, SslMode::kVerifyIdentity) << verify;
  EXPECT_EQ(connection_from({"--ssl", "--ssl-verify-server-cert"}).ssl_mode,
            SslMode::kVerifyIdentity);
  for (const char* no : {"--ssl-verify-server-cert=0", "--skip-ssl-verify-server-cert",
                         "--disable-ssl-verify-server-cert"})
    EXPECT_EQ(connection_from({no}).ssl_mode, SslMode::kDefault) << no;
  // Contradictions the mariadb client settles by their order, which twinlog does not see.
  for (const std::vector<const char*>& bad : std::vector<std::vector<const char*>>{
           {"--ssl=maybe"},
           {"--ssl-verify-server-cert=2"},
           {"--ssl", "--skip-ssl"},
           {"--skip-ssl", "--ssl-ca", "/x.pem"},
           {"--skip-ssl", "--ssl-verify-server-cert"},
           {"--ssl-verify-server-cert", "--skip-ssl-verify-server-cert"},
           {"--ssl-mode", "REQUIRED", "--ssl"},
           {"--ssl-mode", "DISABLED", "--ssl-verify-server-cert"}})
    EXPECT_THROW(connection_from(bad), boost::program_options::error) << bad.front();

  // From the option files' client groups, as the mariadb client reads them (the last
  // line wins, the command line over the files).
  struct FileCase {
    std::string text;
    std::vector<const char*> args;
    SslMode mode;
    bool ssl;
  };
  for (const FileCase& c : std::vector<FileCase>{
           {"[client]\nssl\n", {}, SslMode::kDefault, true},
           {"[client-mariadb]\nssl=1\n", {}, SslMode::kDefault, true},
           {"[client]\nskip-ssl\n", {}, SslMode::kDisabled, false},
           {"[client]\nssl-ca=/x.pem\nskip-ssl\n", {}, SslMode::kDisabled, false},
           {"[client]\nskip-ssl\nssl-ca=/x.pem\n", {}, SslMode::kDefault, true},
           {"[client]\nskip-ssl\n", {"--ssl"}, SslMode::kDefault, true},
           {"[client]\nskip-ssl\n", {"--ssl-ca", "/x.pem"}, SslMode::kDefault, false},
           {"[client]\nssl-verify-server-cert\n", {}, SslMode::kVerifyIdentity, false},
           {"[client]\nssl_verify_server_cert=ON\n", {}, SslMode::kVerifyIdentity, false},
           {"[client]\nssl-verify-server-cert\nskip-ssl-verify-server-cert\n",
            {},
            SslMode::kDefault,
            false},
           {"[client]\nssl-verify-server-cert\n",
            {"--ssl-verify-server-cert=0"},
            SslMode::kDefault,
            false},
           {"[client]\nssl-verify-server-cert\n",
            {"--ssl-mode", "REQUIRED"},
            SslMode::kRequired,
            false},
           {"[mysqld]\nssl-verify-server-cert\nskip-ssl\n", {}, SslMode::kDefault, false}}) {
    const std::string cnf = twinlog::testing::write_temp_file("twinlog-ssl.cnf", c.text);
    std::vector<const char*> args = {"--defaults-file", cnf.c_str()};
    args.insert(args.end(), c.args.begin(), c.args.end());
    const twinlog::ConnectionOptions o = connection_from(args);
    EXPECT_EQ(o.ssl_mode, c.mode) << c.text;
    EXPECT_EQ(o.ssl, c.ssl) << c.text;
  }
  // Said off, a file's line does not reach the connector, which would read it itself.
  const std::string verify_cnf =
      twinlog::testing::write_temp_file("twinlog-ssl.cnf", "[client]\nssl-verify-server-cert\n");
  EXPECT_TRUE(
      connection_from({"--defaults-file", verify_cnf.c_str(), "--skip-ssl-verify-server-cert"})
          .no_verify_server_cert);
  EXPECT_FALSE(connection_from({"--ssl"}).no_verify_server_cert);
  const std::string bad =
      twinlog::testing::write_temp_file("twinlog-ssl.cnf", "[client]\n\nssl=sometimes\n");
  try {
    connection_from({"--defaults-file", bad.c_str()});
    ADD_FAILURE() << "ssl=sometimes taken";
  } catch (const boost::program_options::error& e) {
    EXPECT_TRUE(has(e.what(), bad + ":3: ssl takes 0, 1, on, off")) << e.what();
  }
  // Taken, no longer refused, by every command that connects.
  CliRun r = run_twinlog(
      "stats -h 127.0.0.1 -P 1 --no-defaults --connect-timeout 1 --ssl --ssl-verify-server-cert");
  EXPECT_EQ(r.code, 2);
  EXPECT_TRUE(has(r.err, "127.0.0.1:1")) << r.err;
  EXPECT_FALSE(has(r.err, "not a twinlog option")) << r.err;
}

TEST(ClientOptions, TlsVersionInAnOptionFileIsCheckedAsOnTheCommandLine) {
  const std::string cnf =
      twinlog::testing::write_temp_file("twinlog-tls-bad.cnf", "[client]\ntls-version=TLSv1.9\n");
  try {
    connection_from({"--defaults-file", cnf.c_str()});
    ADD_FAILURE() << "TLSv1.9 taken";
  } catch (const boost::program_options::error& e) {
    EXPECT_TRUE(has(e.what(), "tls-version (" + cnf +
                                  ":2) takes TLSv1.0, TLSv1.1, TLSv1.2 or TLSv1.3 (several "
                                  "separated by commas), not 'TLSv1.9'"))
        << e.what();
  }
  // The command line's wins (the connector reads it after the files).
  EXPECT_EQ(
      connection_from({"--defaults-file", cnf.c_str(), "--tls-version", "TLSv1.3"}).tls_version,
      "TLSv1.3");
  EXPECT_NO_THROW(connection_from({"--no-defaults", "--defaults-file", cnf.c_str()}));
  // The last line is the one read; a group the connector does not read is not checked.
  for (const char* fine :
       {"[client]\ntls-version=TLSv1.9\n[twinlog]\ntls-version=TLSv1.2,TLSv1.3\n",
        "[mysqld]\ntls-version=TLSv1.9\n"}) {
    const std::string f = twinlog::testing::write_temp_file("twinlog-tls.cnf", fine);
    EXPECT_NO_THROW(connection_from({"--defaults-file", f.c_str()})) << fine;
  }
  CliRun r = run_twinlog("stats -h 127.0.0.1 -P 1 --connect-timeout 1 --defaults-file " + cnf);
  EXPECT_EQ(r.code, 2);
  EXPECT_TRUE(has(r.err, "tls-version (" + cnf + ":2) takes TLSv1.0")) << r.err;
  EXPECT_FALSE(has(r.err, "127.0.0.1:1")) << r.err;
}

TEST(ClientOptions, CaptureFileCompressionHasItsOwnNameAndTheOldSpellingStillWorks) {
  const std::string base = "capture -h 127.0.0.1 -P 1 --no-defaults --connect-timeout 1 --dir ";
  const std::string dir = "/tmp/twinlog-cli-file-compression-" + std::to_string(getpid());
  CliRun renamed = run_twinlog(base + dir + " --file-compression zstd");
  EXPECT_EQ(renamed.code, 2);
  EXPECT_TRUE(has(renamed.err, "cannot reach 127.0.0.1:1")) << renamed.err;
  EXPECT_FALSE(has(renamed.err, "note:")) << renamed.err;
  for (const char* old : {"--compress zstd", "--compress=zstd"}) {
    CliRun r = run_twinlog(base + dir + " " + old);
    EXPECT_EQ(r.code, 2) << old;
    EXPECT_TRUE(has(r.err, "note: --compress zstd is now --file-compression zstd")) << r.err;
    EXPECT_TRUE(has(r.err, "cannot reach 127.0.0.1:1")) << r.err;
  }
  CliRun bad = run_twinlog(base + dir + " --compress lz4");
  EXPECT_EQ(bad.code, 2);
  EXPECT_TRUE(has(bad.err, "--file-compression must be none or zstd, not 'lz4'")) << bad.err;
  // Alone, --compress is the connection's, as in the mysql client.
  CliRun alone = run_twinlog(base + dir + " --compress -q");
  EXPECT_EQ(alone.code, 2);
  EXPECT_FALSE(has(alone.err, "note:")) << alone.err;
  EXPECT_TRUE(has(alone.err, "cannot reach 127.0.0.1:1")) << alone.err;
  std::filesystem::remove_all(dir);
}

class LocalTime : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* tz = std::getenv("TZ");
    if (tz) saved_ = tz;
    had_ = tz != nullptr;
  }
  void TearDown() override {
    if (had_)
      setenv("TZ", saved_.c_str(), 1);
    else
      unsetenv("TZ");
    tzset();
  }
  static void zone(const char* tz) {
    setenv("TZ", tz, 1);
    tzset();
  }

 private:
  std::string saved_;
  bool had_ = false;
};

TEST_F(LocalTime, DatetimesAreReadAsMysqlbinlogReadsThem) {
  using twinlog::cli::parse_datetime;
  zone("UTC");
  const uint32_t t = 1795366738;  // 2026-11-22 16:58:58 UTC
  EXPECT_EQ(parse_datetime("2026-11-22 16:58:58"), t);
  EXPECT_EQ(parse_datetime("2026-11-22T16:58:58"), t);
  EXPECT_EQ(parse_datetime("2026/11/22 16:58:58"), t);
  EXPECT_EQ(parse_datetime("26-11-22 16:58:58"), t);
  EXPECT_EQ(parse_datetime("20261122165858"), t);
  EXPECT_EQ(parse_datetime("2026-11-22 16:58:58.75"), t);
  EXPECT_EQ(parse_datetime(" 2026-11-22 16:58:58 "), t);
  EXPECT_EQ(parse_datetime("2026-11-22 16:58"), t - 58);
  EXPECT_EQ(parse_datetime("2026-11-22 16"), t - 58 - 58 * 60);
  EXPECT_EQ(parse_datetime("2026-11-22"), t - 58 - 58 * 60 - 16 * 3600);
  EXPECT_EQ(parse_datetime("1795366738"), t);  // seconds since the epoch
  for (const char* bad : {"", "bogus", "2026-13-01", "2026-02-30", "2026-11-22 24:00:00",
                          "2026-11-22 16:60", "2026-11-22 16:58:58 x", "2026-11", "99999999999"})
    EXPECT_EQ(parse_datetime(bad), std::nullopt) << bad;
  // TZ is honoured: Berlin is an hour ahead of UTC in November.
  zone("Europe/Berlin");
  EXPECT_EQ(parse_datetime("2026-11-22 17:58:58"), t);
  zone("America/New_York");
  EXPECT_EQ(parse_datetime("2026-11-22 11:58:58"), t);
  EXPECT_EQ(parse_datetime("1795366738"), t);
}

}  // namespace
