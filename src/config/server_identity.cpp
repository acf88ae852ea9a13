#include "src/config/server_identity.h"

#include "protocol/event_type.h"
#include "src/server/server_statements.h"
#include "src/source/file_source.h"

namespace twinlog::config {

std::optional<ServerIdentity> identity_from_version(std::string_view version_text) {
  const ServerFlavor server = server_flavor(version_text);
  if (server.version.major == 0) return std::nullopt;
  return ServerIdentity{server.flavor, server.version};
}

std::optional<ServerIdentity> identity_from_binlog(const std::string& path) {
  auto source = open_binlog_file(path);
  RawEvent first;
  if (!source->next(first) || first.bytes.size() < protocol::kHeaderLength) return std::nullopt;
  auto header = protocol::parse_header(first.bytes, first.offset);
  if (!header || header->type_code != static_cast<uint8_t>(protocol::EventType::kFormatDescription))
    return std::nullopt;
  auto format = protocol::decode_format_description(first.bytes.subspan(protocol::kHeaderLength),
                                                    first.offset + protocol::kHeaderLength);
  if (!format || format->version.major == 0) return std::nullopt;
  return ServerIdentity{format->flavor, format->version};
}

std::string identity_text(const ServerIdentity& identity) {
  std::string text = identity.flavor == protocol::Flavor::kMariaDB ? "MariaDB" : "MySQL";
  if (!identity.version) return text + " (version unknown)";
  const protocol::ServerVersion& v = *identity.version;
  return text + " " + std::to_string(v.major) + "." + std::to_string(v.minor) + "." +
         std::to_string(v.patch);
}

}  // namespace twinlog::config
