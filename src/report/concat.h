// Text of several parts in one string, built by appending (a chain of + makes a
// temporary string per part; clang-tidy's performance-inefficient-string-concatenation
// flags it in loops, where findings' messages are built).
#pragma once

#include <string>
#include <string_view>

namespace twinlog::report {

template <class... Parts>
std::string concat(const Parts&... parts) {
  std::string out;
  out.reserve((std::string_view(parts).size() + ...));
  (out.append(std::string_view(parts)), ...);
  return out;
}

}  // namespace twinlog::report
