// MySQL's login path file, read from bytes whose text is known independently: the
// test vectors of PyMySQL/myloginpath (test/*.mylogin.cnf at commit 2dc7b2d, MIT
// licence, Copyright (c) 2019 Inada Naoki), written by mysql_config_editor, and the
// text its test_decrypt.py expects of each.
#include "src/server/login_file.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "protocol/byte_reader.h"
#include "src/server/connection_error.h"
#include "tests/support/cli_run.h"
#include "tests/support/findings.h"

namespace twinlog {
namespace {

using testing::CliRun;
using testing::has;
using testing::run_shell;

std::string from_hex(std::string_view hex) {
  std::string out;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2)
    out += static_cast<char>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16));
  return out;
}

// test/test.mylogin.cnf
const std::string kPlain = from_hex(
    "0000000003000d0e181111031c1c0a0910010104090a0e0810000000dcd00cc7f7f3330e985df0fe"
    "9cc295f420000000d3497511764e974f8dfeedcaba175bfff4294b253ae65d0262dc9b5ceea4fbec"
    "20000000c9a56ee22e24cd12389f26a6e54ebaf4e1cef7237a2e5833557ed22620a7a63b20000000"
    "546b709a3ba95df868b9bdb0cc54afdef4294b253ae65d0262dc9b5ceea4fbec20000000af543bb2"
    "95c0f0632813278056769c8ce9ba63e9fcc6a27f3a54edee9ead909a10000000dedc44185915b2d8"
    "6156d7b7bc6fbe56");
const std::string kPlainText =
    "[test]\nuser = testuser\npassword = testpass\nhost = testhost\nsocket = testsocket\n"
    "port = 1234\n";
// test/test_quoted.mylogin.cnf
const std::string kQuoted = from_hex(
    "00000000180c1d1d070e021209020f1a120f1c161d1809011000000016f2702a0d10d85dd9d20ece"
    "a72bb58f20000000e7e7ba540570ab1e3538433a84dfa13b39e865afadf7501ec99b676ba36c8607"
    "2000000012d2ff015cc2c85b5f730c32344e06cd750af23861eee7d09e559200f6bdf42b20000000"
    "823687d79e3ca84315eaeb12be65fb2839e865afadf7501ec99b676ba36c8607200000004844614f"
    "2b00543d076454b9d9baab77ae23066a31a4895de1b6b4807ad44685100000001bcacf35f85e6377"
    "e559f1676c108957");
const std::string kQuotedText =
    "[test]\nuser = \"testuser\"\npassword = \"testpass\"\nhost = \"testhost\"\nsocket = "
    "\"testsocket\"\nport = 1234\n";
// test/test_special.mylogin.cnf
const std::string kSpecial = from_hex(
    "0000000002171a04091e0514100f0d0913000e111e0f0d1010000000a403de9d0c42384861c7ca15"
    "9b8de1ac20000000f973223274bf353ced2f920d60e83e2cbf00b7ce63faa8131802a64d24e05d01");
const std::string kSpecialText = "[test]\nhost = \"host with \\\" quote\"\n";

std::string decrypted(const std::string& file) {
  auto text = decrypt_login_file(protocol::as_bytes(file));
  EXPECT_TRUE(text.ok()) << (text.ok() ? "" : text.error().message);
  return text.ok() ? *text : std::string();
}

// The bytes in a file only its owner may read and write, as mysql_config_editor
// leaves it.
std::string write_login_file(const std::string& name, const std::string& bytes,
                             mode_t mode = 0600) {
  const std::string path = (std::filesystem::temp_directory_path() /
                            (name + "-" + std::to_string(getpid()) + ".mylogin.cnf"))
                               .string();
  std::ofstream(path, std::ios::binary) << bytes;
  ::chmod(path.c_str(), mode);
  return path;
}

std::string error_of(const std::string& path, const std::string& login_path) {
  try {
    read_login_path(path, login_path, {"client", "mysqlbinlog"});
  } catch (const ConnectionError& e) {
    EXPECT_EQ(e.kind(), FailureKind::kClient);
    return e.what();
  }
  return "(no error)";
}

TEST(LoginFile, DecryptsMysqlConfigEditorsFilesToTheirKnownText) {
  EXPECT_EQ(decrypted(kPlain), kPlainText);
  EXPECT_EQ(decrypted(kQuoted), kQuotedText);
  EXPECT_EQ(decrypted(kSpecial), kSpecialText);
  // A file with its key and no line yet is an empty option file.
  EXPECT_EQ(decrypted(kPlain.substr(0, 24)), "");
}

TEST(LoginFile, EveryPrefixIsAWholeLineOrAnErrorWithItsOffset) {
  for (std::size_t n = 0; n < kPlain.size(); ++n) {
    auto text = decrypt_login_file(protocol::as_bytes(std::string_view(kPlain).substr(0, n)));
    if (text.ok()) {
      EXPECT_EQ(kPlainText.rfind(*text, 0), 0u) << n;
      EXPECT_TRUE(text->empty() || text->back() == '\n') << n;
    } else {
      EXPECT_LE(text.error().offset, n) << n;
    }
  }
  std::string flipped = kPlain;
  flipped[24 + 4 + 15] = static_cast<char>(flipped[24 + 4 + 15] ^ 0x5a);  // the first line's
  EXPECT_FALSE(decrypt_login_file(protocol::as_bytes(flipped)).ok());
  std::string odd = kPlain;
  odd[24] = 15;  // a line length that is not whole AES blocks
  auto bad = decrypt_login_file(protocol::as_bytes(odd));
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().offset, 24u);
  EXPECT_TRUE(has(bad.error().message, "16 bytes")) << bad.error().message;
}

TEST(LoginFile, TheNamedLoginPathGivesHostUserPasswordSocketAndPort) {
  const std::string path = write_login_file("twinlog-login", kPlain);
  const LoginPathOptions o = read_login_path(path, "test", {"client", "mysqlbinlog"});
  EXPECT_EQ(o.host, "testhost");
  EXPECT_EQ(o.user, "testuser");
  EXPECT_EQ(o.password, "testpass");
  EXPECT_EQ(o.socket, "testsocket");
  EXPECT_EQ(o.port, 1234u);
  // Without --login-path only [client] and [mysqlbinlog] count: [test] gives nothing.
  const LoginPathOptions none = read_login_path(path, "", {"client", "mysqlbinlog"});
  EXPECT_FALSE(none.host || none.user || none.password || none.socket || none.port);
  EXPECT_EQ(read_login_path(path, "", {"client", "test"}).user, "testuser");
  EXPECT_TRUE(has(error_of(path, "prod"), "has no [prod]"));

  const std::string quoted = write_login_file("twinlog-login-quoted", kQuoted);
  EXPECT_EQ(read_login_path(quoted, "test", {}).password, "testpass");
  const std::string special = write_login_file("twinlog-login-special", kSpecial);
  EXPECT_EQ(read_login_path(special, "test", {}).host, "host with \" quote");
  for (const std::string& p : {path, quoted, special}) std::filesystem::remove(p);
}

TEST(LoginFile, AFileOthersMayReadOrThatIsMissingIsNamed) {
  const std::string open = write_login_file("twinlog-login-open", kPlain, 0644);
  EXPECT_TRUE(has(error_of(open, "test"), "readable and writable only by its owner"));
  EXPECT_TRUE(has(error_of(open, ""), "chmod 600"));
  std::filesystem::remove(open);
  EXPECT_TRUE(has(error_of(open, "test"), "does not exist, so --login-path test names nothing"));
  EXPECT_EQ(error_of(open, ""), "(no error)");  // no file and no --login-path: nothing to read
  const std::string junk = write_login_file("twinlog-login-junk", "[client]\nuser=x\n");
  EXPECT_TRUE(has(error_of(junk, ""), "not a login path file")) << error_of(junk, "");
  std::filesystem::remove(junk);
}

TEST(LoginFile, ItsPathIsMysqlTestLoginFileElseHomes) {
  const char* saved = std::getenv("MYSQL_TEST_LOGIN_FILE");
  const std::string keep = saved ? saved : "";
  setenv("MYSQL_TEST_LOGIN_FILE", "/x/login.cnf", 1);
  EXPECT_EQ(login_file_path(), "/x/login.cnf");
  unsetenv("MYSQL_TEST_LOGIN_FILE");
  EXPECT_EQ(login_file_path(), std::string(std::getenv("HOME")) + "/.mylogin.cnf");
  if (saved) setenv("MYSQL_TEST_LOGIN_FILE", keep.c_str(), 1);
}

TEST(LoginFile, TheCommandLineTakesLoginPathAndItsValuesGiveWay) {
  const std::string path = write_login_file("twinlog-login-cli", kPlain);
  const std::string run = "MYSQL_TEST_LOGIN_FILE=" + path + " " + TWINLOG_BINARY +
                          " stats --no-defaults --connect-timeout 1 -h 127.0.0.1 --login-path ";
  // The port is the login path's; the host given on the command line wins.
  CliRun r = run_shell(run + "test");
  EXPECT_EQ(r.code, 2);
  EXPECT_TRUE(has(r.err, "cannot reach 127.0.0.1:1234")) << r.err;
  CliRun port = run_shell(run + "test -P 1");
  EXPECT_TRUE(has(port.err, "cannot reach 127.0.0.1:1:")) << port.err;
  // --print-defaults shows them after the option files', as MySQL's clients do.
  CliRun printed = run_shell(run + "test --print-defaults");
  EXPECT_EQ(printed.code, 0) << printed.err;
  EXPECT_EQ(printed.out,
            "twinlog would have been started with the following arguments:\n--host=testhost "
            "--user=testuser --password=***** --port=1234 --socket=testsocket \n");
  CliRun missing = run_shell(run + "prod");
  EXPECT_EQ(missing.code, 2);
  EXPECT_TRUE(has(missing.err, "has no [prod]")) << missing.err;
  // Without a FILE, a login path names the server to read from, as the option files'
  // host= does: connecting says what is wrong with it.
  CliRun no_file = run_shell("MYSQL_TEST_LOGIN_FILE=" + path + " " + TWINLOG_BINARY +
                             " stats --no-defaults --login-path prod");
  EXPECT_EQ(no_file.code, 2);
  EXPECT_TRUE(has(no_file.err, "has no [prod]")) << no_file.err;
  EXPECT_FALSE(has(no_file.err, "no binlog file given")) << no_file.err;
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace twinlog
