// The live reader over TLS, against a sandbox of its own started with a CA and
// a server certificate: each --ssl-mode, and binlogs read over TLS equal the
// server's files.
#include <gtest/gtest.h>

#include "tests/live/live_reader_fixture.h"

namespace twinlog {
namespace {

using namespace live_reading;  // NOLINT(google-build-using-namespace)

// TLS: a sandbox of its own, started with a CA, a server certificate for 127.0.0.1,
// and not wired (one server is enough).
class LiveReaderTls : public ::testing::Test {
 protected:
  static inline std::string dir;
  static inline bool up = false;
  static inline unsigned port_a = 0;

  static void SetUpTestSuite() {
    char tmpl[] = "/tmp/twinlog-live-tls-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir = tmpl;
    std::string t = dir + "/tls";
    Shell certs =
        sh("mkdir -p " + t + " && cd " + t +
           " && openssl req -x509 -newkey rsa:2048 -nodes -keyout ca-key.pem -out ca.pem -days 2 "
           "-subj '/CN=twinlog test CA'"
           " && openssl req -newkey rsa:2048 -nodes -keyout server-key.pem -out server.csr "
           "-subj '/CN=127.0.0.1'"
           " && printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\n' > san.ext"
           " && openssl x509 -req -in server.csr -CA ca.pem -CAkey ca-key.pem -CAcreateserial "
           "-out server.pem -days 2 -extfile san.ext"
           " && openssl req -x509 -newkey rsa:2048 -nodes -keyout other-key.pem -out other-ca.pem "
           "-days 2 -subj '/CN=another CA'");
    ASSERT_EQ(certs.code, 0) << certs.out;
    Shell r =
        sh(in_sandbox(dir, "start --no-wire --watch " + std::to_string(getpid()) + " --extra " +
                               shell_quote("ssl-ca=" + t + "/ca.pem;ssl-cert=" + t +
                                           "/server.pem;ssl-key=" + t + "/server-key.pem")));
    ASSERT_EQ(r.code, 0) << r.out;
    port_a = std::stoul(trim(sh(in_sandbox(dir, "port A")).out));
    up = true;
  }
  static void TearDownTestSuite() {
    if (!dir.empty()) sh(in_sandbox(dir, "destroy"));
  }
  void SetUp() override {
    if (!up) GTEST_SKIP() << "TLS sandbox did not start";
  }
  static ConnectionOptions root(SslMode mode, const std::string& ca = "") {
    ConnectionOptions o;
    o.host = "127.0.0.1";
    o.port = port_a;
    o.user = "root";
    o.no_defaults = true;
    o.ssl_mode = mode;
    if (!ca.empty()) o.ssl_ca = dir + "/tls/" + ca;
    return o;
  }
};

TEST_F(LiveReaderTls, EachSslModeDoesWhatItSays) {
  EXPECT_EQ(Connection::open(root(SslMode::kDisabled))->tls_cipher(), "");
  EXPECT_NE(Connection::open(root(SslMode::kPreferred))->tls_cipher(), "");
  EXPECT_NE(Connection::open(root(SslMode::kRequired))->tls_cipher(), "");
  EXPECT_NE(Connection::open(root(SslMode::kVerifyCa, "ca.pem"))->tls_cipher(), "");
  EXPECT_NE(Connection::open(root(SslMode::kVerifyIdentity, "ca.pem"))->tls_cipher(), "");
  for (auto [mode, ca] :
       {std::pair{SslMode::kVerifyCa, "other-ca.pem"}, std::pair{SslMode::kVerifyIdentity, ""}}) {
    try {
      Connection::open(root(mode, ca));
      FAIL() << "verified a certificate against the wrong CA";
    } catch (const ConnectionError& e) {
      EXPECT_EQ(e.kind(), FailureKind::kTls) << e.what();
      EXPECT_NE(std::string(e.what()).find("TLS connection to 127.0.0.1"), std::string::npos)
          << e.what();
    }
  }
}

TEST_F(LiveReaderTls, BinlogsReadOverTlsAreTheServersBytes) {
  {
    auto c = Connection::open(root(SslMode::kRequired));
    c->execute("USE test");
    c->execute("CREATE TABLE tls_t (id INT PRIMARY KEY, v TEXT)");
    for (int i = 0; i < 50; ++i)
      c->execute("INSERT INTO tls_t VALUES (" + std::to_string(i) + ", REPEAT('t', 300))");
    c->execute("FLUSH BINARY LOGS");
  }
  std::string out = dir + "/capture";
  Shell r =
      sh(std::string(TWINLOG_BINARY) +
         " capture --no-defaults --user root --host 127.0.0.1 --port " + std::to_string(port_a) +
         " --ssl-mode VERIFY_IDENTITY --ssl-ca " + dir + "/tls/ca.pem --dir " + out);
  ASSERT_EQ(r.code, 0) << r.out;
  EXPECT_NE(r.out.find("TLS "), std::string::npos) << r.out;
  std::istringstream files(sh(in_sandbox(dir, "binlogs A")).out);
  std::vector<fs::path> server;
  for (std::string line; std::getline(files, line);)
    if (!line.empty()) server.emplace_back(line);
  ASSERT_GE(server.size(), 2u);
  for (std::size_t i = 0; i + 1 < server.size(); ++i)
    EXPECT_TRUE(read_file(out + "/" + server[i].filename().string()) == read_file(server[i]))
        << server[i];
}

}  // namespace
}  // namespace twinlog
