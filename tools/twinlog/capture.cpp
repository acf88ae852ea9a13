// PLACEHOLDER: replaced by the live reader work.
#include <iostream>

#include "tools/twinlog/commands.h"

namespace twinlog::cli {
int run_capture(const Args&) {
  std::cerr << "twinlog capture: not available\n";
  return kExitError;
}
}  // namespace twinlog::cli
