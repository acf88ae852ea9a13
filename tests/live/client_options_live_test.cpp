// The mysql client's connection options against a real server with TLS (a CA and a
// server certificate made here, and revocation lists for it): --compress compresses
// the session, the TLS options reach the connector and change what it accepts,
// --plugin-dir is where the connector loads an account's authentication plugin
// from and --default-auth the plugin it starts with.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "src/server/connection.h"
#include "tests/live/sandbox_pair.h"

namespace twinlog {
namespace {

namespace fs = std::filesystem;
using live::shell_quote;
using live::trim;

using Shell = live::CommandResult;

// A shell command with stderr folded into the output (the tests read messages).
Shell sh(const std::string& cmd) {
  return live::run_command(cmd + " 2>&1");
}

// The connector's own plugin directory, where client_ed25519.so is.
std::string connector_plugin_dir() {
  return trim(live::run_command("mariadb_config --plugindir").output);
}

class ClientOptionsLive : public ::testing::Test {
 protected:
  static inline std::string certs;
  static inline std::unique_ptr<live::SandboxPair> pair;
  static inline unsigned port = 0;

  static void SetUpTestSuite() {
    char tmpl[] = "/tmp/twinlog-client-options-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    certs = tmpl;
    // A CA, a server certificate for 127.0.0.1 signed by it, one for another name
    // (B's), another CA, the CA in a hashed directory (--ssl-capath), and two
    // revocation lists: one empty, one that revokes A's certificate (also in a
    // hashed directory).
    Shell made =
        sh("cd " + certs +
           " && openssl req -x509 -newkey rsa:2048 -nodes -keyout ca-key.pem -out ca.pem -days 2 "
           "-subj '/CN=twinlog test CA'"
           " && openssl req -newkey rsa:2048 -nodes -keyout server-key.pem -out server.csr "
           "-subj '/CN=127.0.0.1'"
           " && printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\\n' > san.ext"
           " && openssl x509 -req -in server.csr -CA ca.pem -CAkey ca-key.pem -CAcreateserial "
           "-out server.pem -days 2 -extfile san.ext"
           " && openssl req -newkey rsa:2048 -nodes -keyout wrong-key.pem -out wrong.csr "
           "-subj '/CN=db.example' && printf 'subjectAltName=DNS:db.example\\n' > wrong.ext"
           " && openssl x509 -req -in wrong.csr -CA ca.pem -CAkey ca-key.pem -CAcreateserial "
           "-out wrong.pem -days 2 -extfile wrong.ext"
           " && openssl req -x509 -newkey rsa:2048 -nodes -keyout other-key.pem -out other-ca.pem "
           "-days 2 -subj '/CN=another CA'"
           " && mkdir capath other-capath crlpath && cp ca.pem capath/ && cp other-ca.pem "
           "other-capath/ && openssl rehash capath other-capath"
           " && printf '[ca]\\ndefault_ca=d\\n[d]\\ndatabase=index.txt\\ncrlnumber=crlnumber\\n"
           "default_md=sha256\\ndefault_crl_days=2\\n' > ca.cnf && touch index.txt && echo 01 > "
           "crlnumber"
           " && openssl ca -config ca.cnf -keyfile ca-key.pem -cert ca.pem -gencrl -out clean.crl"
           " && openssl ca -config ca.cnf -keyfile ca-key.pem -cert ca.pem -revoke server.pem"
           " && openssl ca -config ca.cnf -keyfile ca-key.pem -cert ca.pem -gencrl -out revoked.crl"
           " && cp revoked.crl crlpath/ && openssl rehash crlpath");
    ASSERT_EQ(made.exit_code, 0) << made.output;
    // A with that certificate, B with the one for another name, C without TLS.
    pair = live::SandboxPair::start({"--no-wire", "--with-c", "--format", "ROW", "--extra-a",
                                     "ssl-ca=" + certs + "/ca.pem;ssl-cert=" + certs +
                                         "/server.pem;ssl-key=" + certs + "/server-key.pem",
                                     "--extra-b",
                                     "ssl-ca=" + certs + "/ca.pem;ssl-cert=" + certs +
                                         "/wrong.pem;ssl-key=" + certs + "/wrong-key.pem"});
    port = static_cast<unsigned>(pair->port('A'));
    // An account whose plugin the connector loads from its plugin directory.
    pair->sql('A',
              "INSTALL SONAME 'auth_ed25519'; CREATE USER ed@'%' IDENTIFIED VIA ed25519 USING "
              "PASSWORD('edpw'); GRANT ALL ON *.* TO ed@'%'");
    // Binlogs that compress well, for --compress to show on the wire.
    pair->sql('A',
              "USE test; CREATE TABLE squeeze (id INT PRIMARY KEY, v TEXT); INSERT INTO squeeze "
              "SELECT seq, REPEAT('abcdefgh', 100) FROM seq_1_to_2000; FLUSH BINARY LOGS");
  }
  static void TearDownTestSuite() {
    pair.reset();
    if (!certs.empty()) fs::remove_all(certs);
  }
  void SetUp() override {
    if (!pair) GTEST_SKIP() << "the sandbox did not start";
  }

  static ConnectionOptions root() {
    ConnectionOptions o;
    o.host = "127.0.0.1";
    o.port = port;
    o.user = "root";
    o.no_defaults = true;
    return o;
  }
  static std::string cert(const std::string& name) { return certs + "/" + name; }
  static std::string status(Connection& c, const std::string& name) {
    auto rows = c.query("SHOW SESSION STATUS LIKE '" + name + "'");
    return rows.rows.empty() ? std::string() : rows.rows[0][1].value_or("");
  }
  // A twinlog command against the server, stderr folded into the output.
  static Shell twinlog(const std::string& args) {
    return sh(std::string(TWINLOG_BINARY) + " " + args + " -h 127.0.0.1 -P " +
              std::to_string(port));
  }
  static std::string write_cnf(const std::string& name, const std::string& text) {
    const std::string path = cert(name);
    std::ofstream(path) << text;
    return path;
  }
  // The ConnectionError opening `o` throws; fails the test when it connects.
  static std::string open_error(const ConnectionOptions& o, FailureKind kind) {
    try {
      Connection::open(o);
    } catch (const ConnectionError& e) {
      EXPECT_EQ(e.kind(), kind) << e.what();
      return e.what();
    }
    ADD_FAILURE() << "connected";
    return {};
  }
};

TEST_F(ClientOptionsLive, CompressCompressesTheSession) {
  ConnectionOptions o = root();
  EXPECT_EQ(status(*Connection::open(o), "Compression"), "OFF");
  o.compress = true;
  EXPECT_EQ(status(*Connection::open(o), "Compression"), "ON");
}

TEST_F(ClientOptionsLive, CompressedBinlogReadsSendFewerBytes) {
  // The server is not wired to a replica: only these sessions send it anything.
  auto sent = [] {
    auto rows = Connection::open(root())->query("SHOW GLOBAL STATUS LIKE 'Bytes_sent'");
    return std::stoull(rows.rows.at(0).at(1).value_or("0"));
  };
  const auto before = sent();
  Shell plain = twinlog("stats --no-defaults -u root");
  ASSERT_EQ(plain.exit_code, 0) << plain.output;
  const auto middle = sent();
  Shell packed = twinlog("stats --no-defaults -u root -C");
  ASSERT_EQ(packed.exit_code, 0) << packed.output;
  const auto after = sent();
  // A bare compress in the option files' [client], as the mysql client reads it.
  Shell from_file = twinlog("stats --defaults-file " +
                            write_cnf("compress.cnf", "[client]\nuser=root\ncompress\n"));
  ASSERT_EQ(from_file.exit_code, 0) << from_file.output;
  const auto last = sent();
  EXPECT_EQ(plain.output, packed.output);
  EXPECT_EQ(plain.output, from_file.output);
  const auto plain_bytes = middle - before, packed_bytes = after - middle,
             file_bytes = last - after;
  EXPECT_GT(plain_bytes, 1'000'000u);  // 2000 rows of 800 bytes
  EXPECT_LT(packed_bytes * 5, plain_bytes) << plain_bytes << " vs " << packed_bytes;
  EXPECT_LT(file_bytes * 5, plain_bytes) << plain_bytes << " vs " << file_bytes;
}

TEST_F(ClientOptionsLive, CapathCipherAndVersionReachTheConnector) {
  ConnectionOptions o = root();
  o.ssl_mode = SslMode::kVerifyCa;
  o.ssl_capath = cert("capath");
  EXPECT_NE(Connection::open(o)->tls_cipher(), "");
  o.ssl_capath = cert("other-capath");
  EXPECT_NE(open_error(o, FailureKind::kTls).find("TLS connection to 127.0.0.1"),
            std::string::npos);

  ConnectionOptions pinned = root();
  pinned.tls_version = "TLSv1.2";
  pinned.ssl_cipher = "ECDHE-RSA-AES128-GCM-SHA256";
  auto c = Connection::open(pinned);  // any TLS option asks for TLS, as in the clients
  EXPECT_EQ(c->tls_cipher(), "ECDHE-RSA-AES128-GCM-SHA256");
  EXPECT_EQ(status(*c, "Ssl_version"), "TLSv1.2");
  ConnectionOptions newest = root();
  newest.tls_version = "TLSv1.3";
  EXPECT_EQ(status(*Connection::open(newest), "Ssl_version"), "TLSv1.3");
  ConnectionOptions no_cipher = root();
  no_cipher.ssl_cipher = "NO-SUCH-CIPHER";
  no_cipher.tls_version = "TLSv1.2";
  EXPECT_NE(open_error(no_cipher, FailureKind::kTls).find("no cipher match"), std::string::npos);

  // The command line wins over the option files, as in the mysql client (the
  // connector reads the files last).
  const std::string wrong = write_cnf(
      "wrong-cipher.cnf", "[client]\nuser=root\nssl-cipher=NO-SUCH-CIPHER\ntls-version=TLSv1.2\n");
  ConnectionOptions over = root();
  over.no_defaults = false;
  over.defaults_file = wrong;
  EXPECT_NE(open_error(over, FailureKind::kTls).find("no cipher match"), std::string::npos);
  over.ssl_cipher = "ECDHE-RSA-AES128-GCM-SHA256";
  EXPECT_EQ(Connection::open(over)->tls_cipher(), "ECDHE-RSA-AES128-GCM-SHA256");
  EXPECT_EQ(twinlog("stats --defaults-file " + wrong).exit_code, 2);
  Shell wins =
      twinlog("stats --defaults-file " + wrong + " --ssl-cipher ECDHE-RSA-AES128-GCM-SHA256");
  EXPECT_EQ(wins.exit_code, 0) << wins.output;
}

TEST_F(ClientOptionsLive, RevocationListsRefuseARevokedCertificate) {
  ConnectionOptions o = root();
  o.ssl_mode = SslMode::kVerifyCa;
  o.ssl_ca = cert("ca.pem");
  o.ssl_crl = cert("clean.crl");
  EXPECT_NE(Connection::open(o)->tls_cipher(), "");
  o.ssl_crl = cert("revoked.crl");
  EXPECT_NE(open_error(o, FailureKind::kTls).find("certificate revoked"), std::string::npos);
  o.ssl_crl.clear();
  o.ssl_crlpath = cert("crlpath");
  EXPECT_NE(open_error(o, FailureKind::kTls).find("certificate revoked"), std::string::npos);

  // From the command line, with the options to look at named.
  Shell r = twinlog("stats --no-defaults -u root --ssl-mode VERIFY_CA --ssl-ca " + cert("ca.pem") +
                    " --ssl-crl " + cert("revoked.crl"));
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("certificate revoked"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("--ssl-crl"), std::string::npos) << r.output;
  Shell ok = twinlog("stats --no-defaults -u root --ssl-mode VERIFY_CA --ssl-capath " +
                     cert("capath") + " --ssl-crl " + cert("clean.crl") +
                     " --tls-version TLSv1.2 --ssl-cipher ECDHE-RSA-AES128-GCM-SHA256");
  EXPECT_EQ(ok.exit_code, 0) << ok.output;
  // And from the option files' [client] group.
  const std::string cnf = write_cnf("revoked.cnf", "[client]\nuser=root\nssl-ca=" + cert("ca.pem") +
                                                       "\nssl-crl=" + cert("revoked.crl") +
                                                       "\nssl-verify-server-cert\n");
  Shell file = twinlog("stats --defaults-file " + cnf);
  EXPECT_EQ(file.exit_code, 2) << file.output;
  EXPECT_NE(file.output.find("certificate revoked"), std::string::npos) << file.output;
}

// The MariaDB clients' --ssl and --ssl-verify-server-cert (from the command line and
// the option files' [client]) against A (a certificate for 127.0.0.1), B (one for
// another name, from the same CA) and C (no TLS): twinlog connects where the
// installed mariadb client connects, with TLS where it has TLS (the server's
// Ssl_accepts counts the handshakes; nothing else here uses TLS).
TEST_F(ClientOptionsLive, SslAndVerifyServerCertAsTheMariadbClientTakesThem) {
  const auto expand = [](std::string text) {
    for (std::size_t at; (at = text.find("@/")) != std::string::npos;)
      text.replace(at, 2, certs + "/");
    return text;
  };
  const auto accepts = [](char server) {
    ConnectionOptions o = root();
    o.port = static_cast<unsigned>(pair->port(server));
    auto rows = Connection::open(o)->query("SHOW GLOBAL STATUS LIKE 'Ssl_accepts'");
    return std::stoull(rows.rows.at(0).at(1).value_or("0"));
  };
  struct Case {
    char server;
    std::string cnf, args;  // cnf empty: --no-defaults
    bool connects, encrypted;
  };
  int n = 0;
  for (const Case& c : std::vector<Case>{
           {'A', "", "--ssl", true, true},
           {'A', "", "--skip-ssl", true, false},
           {'A', "", "--ssl=0", true, false},
           {'A', "", "--disable-ssl", true, false},
           {'A', "", "--ssl-verify-server-cert --ssl-ca @/ca.pem", true, true},
           {'A', "", "--ssl-verify-server-cert --ssl-capath @/capath", true, true},
           {'A', "", "--ssl-verify-server-cert --ssl-ca @/other-ca.pem", false, false},
           {'A', "", "--ssl-verify-server-cert", false, false},  // the system's CAs
           {'A', "", "--skip-ssl-verify-server-cert --ssl-ca @/ca.pem", true, true},
           {'B', "", "--ssl-verify-server-cert --ssl-ca @/ca.pem", false, false},  // the name
           {'B', "", "--ssl --ssl-ca @/ca.pem", true, true},
           {'C', "", "--ssl", true, false},
           {'C', "", "--ssl-verify-server-cert --ssl-ca @/ca.pem", false, false},
           {'A', "[client]\nssl\n", "", true, true},
           {'A', "[client]\nssl-ca=@/ca.pem\nskip-ssl\n", "", true, false},
           {'A', "[client]\nssl-ca=@/ca.pem\n", "--skip-ssl", true, false},
           {'A', "[client]\nssl-ca=@/ca.pem\nssl-verify-server-cert\n", "", true, true},
           {'B', "[client]\nssl-ca=@/ca.pem\nssl-verify-server-cert\n", "", false, false},
           {'B', "[client]\nssl-ca=@/ca.pem\nssl_verify_server_cert=1\n",
            "--skip-ssl-verify-server-cert", true, true},
           {'C', "[client]\nssl\n", "", true, false},
       }) {
    const std::string defaults =
        c.cnf.empty()
            ? std::string("--no-defaults")
            : "--defaults-file=" + write_cnf("ssl-" + std::to_string(++n) + ".cnf", expand(c.cnf));
    const std::string target =
        " -h 127.0.0.1 -P " + std::to_string(pair->port(c.server)) + " -u root " + expand(c.args);
    const std::string what = std::string(1, c.server) + ": " + c.cnf + " " + c.args;
    for (const std::string& tool : {"mariadb " + defaults + target + " -e 'SELECT 1'",
                                    std::string(TWINLOG_BINARY) + " stats " + defaults + target}) {
      const auto before = accepts(c.server);
      const Shell r = sh(tool);
      EXPECT_EQ(r.exit_code == 0, c.connects) << what << "\n" << tool << "\n" << r.output;
      if (c.connects) {
        EXPECT_EQ(accepts(c.server) > before, c.encrypted) << what << "\n" << tool;
      } else if (tool.rfind("mariadb", 0) != 0) {
        EXPECT_NE(r.output.find("see --ssl-mode, --ssl-verify-server-cert"), std::string::npos)
            << r.output;
      }
    }
  }
  // A deliberate difference: with no TLS option at all the mariadb client 10.11 uses
  // TLS when the server offers it (its --ssl is on by default); twinlog does not.
  const std::string plain = " --no-defaults -h 127.0.0.1 -P " + std::to_string(port) + " -u root";
  auto before = accepts('A');
  ASSERT_EQ(sh("mariadb" + plain + " -e 'SELECT 1'").exit_code, 0);
  EXPECT_GT(accepts('A'), before);
  before = accepts('A');
  ASSERT_EQ(sh(std::string(TWINLOG_BINARY) + " stats" + plain).exit_code, 0);
  EXPECT_EQ(accepts('A'), before);
  // --ssl-mode DISABLED is plain too when an option file names a CA (the connector
  // took the file's ssl-ca as a request for TLS).
  const std::string with_ca = write_cnf("with-ca.cnf", expand("[client]\nssl-ca=@/ca.pem\n"));
  before = accepts('A');
  ASSERT_EQ(twinlog("stats -u root --ssl-mode DISABLED --defaults-file " + with_ca).exit_code, 0);
  EXPECT_EQ(accepts('A'), before);
  before = accepts('A');
  ASSERT_EQ(twinlog("stats -u root --defaults-file " + with_ca).exit_code, 0);
  EXPECT_GT(accepts('A'), before);
}

// Each in its own twinlog process: the connector keeps a plugin it has loaded for
// the rest of the process, whatever directory a later connection names.
TEST_F(ClientOptionsLive, PluginDirIsWhereTheAccountsPluginIsLoadedFrom) {
  const std::string ed = "stats -u ed --defaults-file " +
                         write_cnf("ed.cnf", "[client]\npassword=edpw\n") + " --plugin-dir ";
  Shell r = twinlog(ed + "/nonexistent-twinlog-plugins");
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("cannot load the authentication plugin"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("/nonexistent-twinlog-plugins/client_ed25519.so"), std::string::npos)
      << r.output;
  EXPECT_NE(r.output.find("(see --plugin-dir and --default-auth)"), std::string::npos) << r.output;
  EXPECT_EQ(r.output.find("wrong user or password"), std::string::npos) << r.output;
  // The connector's own directory, and a directory of one's own that holds the plugin.
  EXPECT_EQ(twinlog(ed + connector_plugin_dir()).exit_code, 0);
  const std::string own = cert("plugins");
  fs::create_directories(own);
  fs::copy_file(connector_plugin_dir() + "/client_ed25519.so", own + "/client_ed25519.so");
  Shell mine = twinlog(ed + own);
  EXPECT_EQ(mine.exit_code, 0) << mine.output;
}

TEST_F(ClientOptionsLive, DefaultAuthIsThePluginTriedFirst) {
  ConnectionOptions ed = root();
  ed.user = "ed";
  ed.no_defaults = false;
  ed.defaults_file = write_cnf("ed-first.cnf", "[client]\npassword=edpw\n");
  ed.default_auth = "client_ed25519";
  EXPECT_EQ(Connection::open(ed)->user(), "ed");
  // Not found, the plugin to start with is the server's choice, as in the mysql
  // client (the connector falls back; the server's account decides).
  ConnectionOptions o = root();
  o.default_auth = "no_such_plugin";
  EXPECT_EQ(Connection::open(o)->user(), "root");
  ed.default_auth = "mysql_native_password";
  EXPECT_EQ(Connection::open(ed)->user(), "ed");
  EXPECT_EQ(twinlog("stats --no-defaults -u root --default-auth mysql_native_password").exit_code,
            0);
}

// A login path file made with the openssl command line's AES, not twinlog's: 4
// unused bytes, a 20-byte key whose last 4 bytes are 0 (so the AES key is its first
// 16), then each line's length (little-endian) and the line, AES-128-ECB.
std::string make_login_file(const std::string& dir, const std::vector<std::string>& lines) {
  const std::string key = "000102030405060708090a0b0c0d0e0f";
  std::string bytes(4, '\0');
  for (int i = 0; i < 16; ++i) bytes += static_cast<char>(i);
  bytes += std::string(4, '\0');
  for (const std::string& line : lines) {
    std::ofstream(dir + "/line") << line << "\n";
    Shell enc = sh("openssl enc -aes-128-ecb -K " + key + " -in " + dir + "/line -out " + dir +
                   "/line.enc");
    EXPECT_EQ(enc.exit_code, 0) << enc.output;
    const std::string cipher = live::read_file_bytes(dir + "/line.enc");
    for (int shift = 0; shift < 32; shift += 8)
      bytes += static_cast<char>((cipher.size() >> shift) & 0xff);
    bytes += cipher;
  }
  const std::string path = dir + "/login.cnf";
  std::ofstream(path, std::ios::binary) << bytes;
  fs::permissions(path, fs::perms::owner_read | fs::perms::owner_write);
  return path;
}

TEST_F(ClientOptionsLive, LoginPathFromALoginFileMadeByOpenssl) {
  const std::string file =
      make_login_file(certs, {"[client]", "user = ed", "password = \"edpw\"", "[sbx]",
                              "host = 127.0.0.1", "port = " + std::to_string(port)});
  const std::string env = "MYSQL_TEST_LOGIN_FILE=" + file + " ";
  // -R names the server without a host: the login path gives host, port, user and
  // password, even under --no-defaults, as in MySQL's clients.
  Shell r = sh(env + TWINLOG_BINARY + " stats -R --no-defaults --login-path sbx");
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("Transactions"), std::string::npos) << r.output;
  Shell printed =
      sh(env + TWINLOG_BINARY + " stats --no-defaults --login-path sbx --print-defaults");
  EXPECT_EQ(printed.output,
            "twinlog would have been started with the following arguments:\n--host=127.0.0.1 "
            "--user=ed --password=***** --port=" +
                std::to_string(port) + " \n");
  // The command line's user wins over the login path's (root has no password).
  Shell root_user = sh(env + TWINLOG_BINARY + " stats -R --no-defaults --login-path sbx -u root");
  EXPECT_EQ(root_user.exit_code, 2) << root_user.output;
  EXPECT_NE(root_user.output.find("user 'root'"), std::string::npos) << root_user.output;
}

}  // namespace
}  // namespace twinlog
