// What the check tests ask of their output: whether a text holds a part, and the
// findings of one code.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "src/report/finding.h"

namespace twinlog::testing {

inline bool has(const std::string& text, std::string_view part) {
  return text.find(part) != std::string::npos;
}

// Pointers into `findings`, which must outlive them (a temporary is refused).
inline std::vector<const report::Finding*> with_code(const std::vector<report::Finding>& findings,
                                                     std::string_view code) {
  std::vector<const report::Finding*> out;
  for (const report::Finding& f : findings) {
    if (f.code == code) out.push_back(&f);
  }
  return out;
}
std::vector<const report::Finding*> with_code(std::vector<report::Finding>&& findings,
                                              std::string_view code) = delete;

}  // namespace twinlog::testing
