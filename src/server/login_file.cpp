#include "src/server/login_file.h"

#include <openssl/evp.h>
#include <sys/stat.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <memory>

#include "protocol/byte_reader.h"
#include "src/config/option_file.h"
#include "src/server/connection_error.h"

namespace twinlog {
namespace {

constexpr std::size_t kUnused = 4;
constexpr std::size_t kStoredKey = 20;
constexpr std::size_t kAesKey = 16;
// MySQL writes a line of at most 4096 bytes; its encryption is a little longer.
constexpr uint32_t kMaxLine = 4096 + 16;

using Key = std::array<unsigned char, kAesKey>;

// One encrypted line, or nullopt when it does not decrypt (a wrong length or
// padding: not a login path file).
std::optional<std::string> decrypt_line(const Key& key, protocol::Bytes line) {
  std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)> ctx(EVP_CIPHER_CTX_new(),
                                                                      EVP_CIPHER_CTX_free);
  if (!ctx || EVP_DecryptInit_ex(ctx.get(), EVP_aes_128_ecb(), nullptr, key.data(), nullptr) != 1)
    return std::nullopt;
  std::string out(line.size() + kAesKey, '\0');
  int written = 0;
  int last = 0;
  auto* to = reinterpret_cast<unsigned char*>(out.data());
  if (EVP_DecryptUpdate(ctx.get(), to, &written,
                        reinterpret_cast<const unsigned char*>(line.data()),
                        static_cast<int>(line.size())) != 1 ||
      EVP_DecryptFinal_ex(ctx.get(), to + written, &last) != 1)
    return std::nullopt;
  out.resize(static_cast<std::size_t>(written + last));
  return out;
}

[[noreturn]] void fail(const std::string& path, const std::string& what) {
  throw ConnectionError(FailureKind::kClient, 0, "login path file " + path + ": " + what);
}

std::string read_whole(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) fail(path, "cannot be read");
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// MySQL's clients skip a login path file that anyone but its owner may read or
// write, or that its owner may execute; twinlog says so instead of skipping it.
void check_permissions(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) fail(path, "cannot be read");
  if ((st.st_mode & (S_IXUSR | S_IRWXG | S_IRWXO)) != 0)
    fail(path,
         "should be readable and writable only by its owner (chmod 600), as MySQL's "
         "clients require");
}

// A login file's text has no !include (MySQL does not follow one there).
std::string without_directives(const std::string& text) {
  std::string out;
  std::size_t at = 0;
  while (at < text.size()) {
    std::size_t end = text.find('\n', at);
    end = end == std::string::npos ? text.size() : end + 1;
    const std::string_view line(text.data() + at, end - at);
    const std::size_t first = line.find_first_not_of(" \t");
    if (first == std::string_view::npos || line[first] != '!') out.append(line);
    at = end;
  }
  return out;
}

void apply(const config::OptionLine& line, const std::string& path, LoginPathOptions& out) {
  const std::string value = line.value.value_or("");
  if (line.name == "host") {
    out.host = value;
  } else if (line.name == "user") {
    out.user = value;
  } else if (line.name == "password") {
    out.password = value;
  } else if (line.name == "socket") {
    out.socket = value;
  } else if (line.name == "port") {
    unsigned port = 0;
    auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), port);
    if (ec != std::errc() || end != value.data() + value.size() || port > 65535)
      fail(path, "[" + line.group + "] port is not a port number: '" + value + "'");
    out.port = port;
  } else {
    fail(path, "[" + line.group + "] has " + line.name +
                   ", which a login path does not have (host, user, password, port, socket): "
                   "put it in an option file");
  }
}

}  // namespace

protocol::Result<std::string> decrypt_login_file(std::span<const std::byte> bytes) {
  protocol::ByteReader r(bytes);
  r.skip(kUnused, "the login file's 4 unused bytes");
  protocol::Bytes stored = r.bytes(kStoredKey, "the login file's 20-byte key");
  if (r.failed()) return r.error();
  Key key{};
  for (std::size_t i = 0; i < stored.size(); ++i)
    key[i % kAesKey] ^= std::to_integer<unsigned char>(stored[i]);
  std::string text;
  while (!r.at_end()) {
    const uint64_t at = r.absolute();
    const uint32_t length = r.u32("the length of an encrypted line");
    if (!r.failed() && (length == 0 || length % kAesKey != 0 || length > kMaxLine))
      return protocol::DecodeError{at, "an encrypted line of " + std::to_string(length) +
                                           " bytes (AES blocks are 16 bytes)"};
    protocol::Bytes line = r.bytes(length, "an encrypted line");
    if (r.failed()) return r.error();
    auto plain = decrypt_line(key, line);
    if (!plain)
      return protocol::DecodeError{at, "a line that does not decrypt with the file's key"};
    text += *plain;
  }
  return text;
}

std::string login_file_path() {
  if (const char* test = std::getenv("MYSQL_TEST_LOGIN_FILE")) return test;
  if (const char* home = std::getenv("HOME")) return std::string(home) + "/.mylogin.cnf";
  return {};
}

LoginPathOptions read_login_path(const std::string& path, const std::string& login_path,
                                 const std::vector<std::string>& groups) {
  LoginPathOptions out;
  struct stat st {};
  if (path.empty() || ::stat(path.c_str(), &st) != 0) {
    if (!login_path.empty())
      fail(path.empty() ? "~/.mylogin.cnf" : path,
           "does not exist, so --login-path " + login_path +
               " names nothing (mysql_config_editor set --login-path=" + login_path +
               " writes it)");
    return out;
  }
  check_permissions(path);
  const std::string bytes = read_whole(path);
  auto text = decrypt_login_file(protocol::as_bytes(bytes));
  if (!text)
    fail(path, "not a login path file (at offset " + std::to_string(text.error().offset) + ": " +
                   text.error().message + ")");
  config::OptionFiles lines;
  try {
    lines = config::read_option_text(without_directives(*text), path);
  } catch (const config::OptionFileError& e) {
    fail(path, e.what());
  }
  bool found = login_path.empty();
  for (const config::OptionLine& line : lines.options) {
    const bool named = !login_path.empty() && line.group == login_path;
    found = found || named;
    if (named || std::find(groups.begin(), groups.end(), line.group) != groups.end())
      apply(line, path, out);
  }
  if (!found) fail(path, "has no [" + login_path + "] (the login path --login-path names)");
  return out;
}

}  // namespace twinlog
