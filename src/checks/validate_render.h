// `twinlog validate`'s report: every check, passed ones too, grouped.
//   text  - per group, one line per check (pass / warn / fail, what it asks, what
//           was found), and under a check that did not pass what it should be, why
//           it matters and its findings as the other checks print them; then the
//           checks not run and a summary line;
//   jsonl - per check one object {"kind":"check", ...}, followed by its findings
//           (one finding object per line, src/report/finding.schema.json);
//   json  - {"checks": [...], "findings": [...], "summary": {...}}.
#pragma once

#include <string>

#include "src/checks/validate.h"
#include "src/report/render.h"

namespace twinlog::checks {

void render_validation(const Validation& validation, report::Format format, std::string& out,
                       bool colour);

}  // namespace twinlog::checks
