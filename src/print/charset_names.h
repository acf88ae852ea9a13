// Collation ids to character set names, for the session lines of decode's text.
#pragma once

#include <cstdint>
#include <string_view>

namespace twinlog {

// The character set a collation id belongs to ("utf8mb4" for 45), or empty for an
// id MariaDB 10.11 does not know.
std::string_view charset_name(uint32_t collation_id);
// The collation's name ("utf8mb4_general_ci" for 45), or empty.
std::string_view collation_name(uint32_t collation_id);

}  // namespace twinlog
