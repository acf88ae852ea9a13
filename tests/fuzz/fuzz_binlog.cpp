// A whole binlog file in memory through the full read path: splitting, framing
// (CRC checks off so the fuzzer reaches the decoders), decoding, table maps, row
// walking, value decoding, text and JSON rendering, stats. Any input must end in
// a clean SourceError or a clean end, never a crash.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "src/print/binlog_stats.h"
#include "src/print/event_printer.h"
#include "src/source/memory_source.h"
#include "src/stream/event_stream.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
  const twinlog::ByteSpan bytes(reinterpret_cast<const std::byte*>(data), size);
  twinlog::StreamOptions options;
  options.verify_checksum = false;
  try {
    twinlog::EventStream stream(twinlog::memory_binlog_opener("fuzz", bytes), options);
    twinlog::EventPrinter text(twinlog::OutputFormat::kText);
    twinlog::EventPrinter json(twinlog::OutputFormat::kJsonLines);
    twinlog::BinlogStats stats;
    std::string out;
    twinlog::StreamEvent se;
    while (stream.next(se)) {
      out.clear();
      text.print(se, out);
      json.print(se, out);
      stats.add(se);
    }
    stats.finish();
  } catch (const twinlog::SourceError&) {
  }
  return 0;
}
