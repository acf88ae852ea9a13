// A server's configuration from option-file text, as the check tests build
// their pairs: read as a MariaDB 10.11.6 server reads its option files.
#pragma once

#include <string>

#include "src/config/option_file.h"
#include "src/config/server_config.h"

namespace twinlog::testing {

inline const config::ServerIdentity kMaria10116{protocol::Flavor::kMariaDB,
                                                protocol::ServerVersion{10, 11, 6}};

inline config::ServerConfig config_of(const std::string& text, const std::string& name,
                                      const config::ServerIdentity& id = kMaria10116) {
  return config::server_config_from_options(config::read_option_text(text, name), id);
}

}  // namespace twinlog::testing
