// The times --start-datetime / --stop-datetime take, read as mysqlbinlog reads
// them: a DATETIME in the local time zone (TZ honoured).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace twinlog::cli {

// "2026-11-22 16:00:00" (fractions ignored), "2026-11-22 16:00", "2026-11-22 16",
// 'T' for the space, any punctuation between the date's parts ("2026/11/22"), a
// two-digit year (70-99: 19xx, else 20xx), "20261122160000", all in the local
// time zone as mysqlbinlog reads them; also "2026-11-22" (midnight), which
// mariadb-binlog refuses, and seconds since the epoch (up to 10 digits). Seconds
// since the epoch, or nullopt when the text is none of these or not a valid time.
std::optional<uint32_t> parse_datetime(const std::string& text);

}  // namespace twinlog::cli
