// MySQL's login path file (~/.mylogin.cnf, written by mysql_config_editor), which
// MySQL's clients read after every other option file and MariaDB's do not read at
// all. twinlog reads it as MySQL's mysqlbinlog does: the [client] and [mysqlbinlog]
// groups, and the group --login-path names.
//
// The file (MySQL mysys/my_default.cc):
//   4 bytes   unused
//  20 bytes   the key; the AES-128 key is these bytes XOR-folded into 16
//             (key[i % 16] ^= stored[i])
//   then, per line of option file text:
//   4 bytes   length N of the encrypted line, little-endian
//   N bytes   the line, newline included, AES-128-ECB with PKCS#7 padding
// It is obfuscation, not protection (the key is in the file): MySQL ignores the
// file unless only its owner may read and write it, and so does twinlog.
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "protocol/result.h"

namespace twinlog {

// The option file text in a login path file's bytes, or where they are not one.
protocol::Result<std::string> decrypt_login_file(std::span<const std::byte> bytes);

// $MYSQL_TEST_LOGIN_FILE, else $HOME/.mylogin.cnf (MySQL's clients' order); empty
// when neither variable is set.
std::string login_file_path();

// What a login path gives: mysql_config_editor writes no other options.
struct LoginPathOptions {
  std::optional<std::string> host, user, password, socket;
  std::optional<unsigned> port;
};

// The options of `groups` in the login path file at `path`, later groups and lines
// winning. Throws ConnectionError (FailureKind::kClient) for a file that cannot be
// read, that others may read or write, that does not decrypt, or that holds an
// option a login path does not have; and, when `login_path` is not empty, for a
// missing file or a file without [login_path].
LoginPathOptions read_login_path(const std::string& path, const std::string& login_path,
                                 const std::vector<std::string>& groups);

}  // namespace twinlog
