// Letter case of ASCII text, without the C locale: server names, option names,
// SQL keywords and filter rules compare case-insensitively this way.
#pragma once

#include <algorithm>
#include <string_view>

namespace twinlog::protocol {

constexpr char ascii_lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

constexpr bool ascii_iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return ascii_lower(x) == ascii_lower(y);
         });
}

}  // namespace twinlog::protocol
