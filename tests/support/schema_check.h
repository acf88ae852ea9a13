// Validates twinlog's JSON output against src/report/finding.schema.json with
// Debian's python3-jsonschema (/usr/bin/python3: the interpreter that package
// installs into), so that the schema the repository publishes is the one the
// output follows.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

namespace twinlog::testing {

inline const std::string kFindingSchema =
    std::string(TWINLOG_SAMPLES_DIR) + "/../src/report/finding.schema.json";

// Validates every line of `json_file` (lines) or the whole file (one value)
// against the schema's $defs entry `def` ("finding", "document",
// "filter_transaction"); with `by_kind`, a line with "kind" is checked against
// $defs/<its kind with "filter_" before it> instead. Returns 0 when all are valid.
inline int validate_json(const std::string& json_file, bool lines, const std::string& def,
                         bool by_kind = false) {
  const std::string script =
      "import json,sys,jsonschema\n"
      "schema=json.load(open(sys.argv[1]))\n"
      "text=open(sys.argv[2]).read()\n"
      "docs=[json.loads(l) for l in text.splitlines()] if sys.argv[4]=='lines' else "
      "[json.loads(text)]\n"
      "assert docs\n"
      "for d in docs:\n"
      "  name=sys.argv[3]\n"
      "  if sys.argv[5]=='by_kind' and 'kind' in d: name='filter_'+d['kind']\n"
      "  s={'$defs':schema['$defs'],'$ref':'#/$defs/'+name}\n"
      "  jsonschema.Draft202012Validator(s).validate(d)\n";
  const std::string py = json_file + ".py";
  std::ofstream(py) << script;
  const std::string cmd = "/usr/bin/python3 " + py + " " + kFindingSchema + " " + json_file + " " +
                          def + " " + (lines ? "lines" : "one") + " " +
                          (by_kind ? "by_kind" : "plain") + " >/dev/null 2>&1";
  const int rc = std::system(cmd.c_str());
  std::remove(py.c_str());
  return rc;
}

}  // namespace twinlog::testing
