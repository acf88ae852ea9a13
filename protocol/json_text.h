// JSON text helpers shared by every JSON renderer (column values, binary JSON,
// the JSON-lines writer): a UTF-8 check and string escaping.
#pragma once

#include <string>
#include <string_view>

namespace twinlog::protocol {

// True when `s` is well-formed UTF-8 (no overlongs, surrogates or code points
// above U+10FFFF).
bool valid_utf8(std::string_view s);
// The same, one sequence at a time (valid_utf8 uses it below 64 bytes and hands
// longer strings to simdjson::validate_utf8).
bool valid_utf8_scalar(std::string_view s);

// Appends `s`, which must be valid UTF-8, as a JSON string: '"', '\\' and control
// characters escaped, everything else copied.
void append_json_string(std::string& out, std::string_view s);

// Appends `s` as a JSON string when it is valid UTF-8 and returns true; returns
// false and appends nothing when it is not. One pass for plain ASCII text.
bool append_json_string_if_utf8(std::string& out, std::string_view s);

}  // namespace twinlog::protocol
