#include "src/audit/audit_run.h"

#include <cctype>
#include <charconv>
#include <map>
#include <mutex>

#include "protocol/gtid_set.h"
#include "src/audit/timeline.h"
#include "src/checks/autoinc_check.h"
#include "src/checks/diff_run.h"
#include "src/checks/filter_check.h"
#include "src/checks/loop_check.h"
#include "src/checks/stream_digest.h"

namespace twinlog::audit {
namespace {

std::string_view file_name(std::string_view path) {
  const std::size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

std::optional<uint64_t> sequence_of(std::string_view name) {
  const std::size_t dot = name.rfind('.');
  if (dot == std::string_view::npos) return std::nullopt;
  uint64_t n = 0;
  const char* first = name.data() + dot + 1;
  const char* last = name.data() + name.size();
  const auto [end, ec] = std::from_chars(first, last, n);
  if (ec != std::errc() || end != last || first == last) return std::nullopt;
  return n;
}

template <class Items>
void append(std::vector<report::Finding>& out, Items&& items) {
  out.insert(out.end(), std::make_move_iterator(items.begin()),
             std::make_move_iterator(items.end()));
}

// The GTIDs of a master's binlog up to the last audit's mark. A MariaDB GTID is
// in it when its origin server had logged as far in that domain: two masters
// writing one domain (a finding of validate's) interleave its sequence numbers,
// and the domain's highest would take in the other master's transactions not
// yet read.
class ReadBefore {
 public:
  ReadBefore() = default;
  explicit ReadBefore(std::string_view text) {
    if (auto set = protocol::GtidSet::parse(text)) set_ = std::move(*set);
    while (!text.empty()) {
      const std::size_t comma = text.find(',');
      std::string_view entry = text.substr(0, comma);
      text = comma == std::string_view::npos ? std::string_view() : text.substr(comma + 1);
      while (!entry.empty() && std::isspace(static_cast<unsigned char>(entry.front()))) {
        entry.remove_prefix(1);
      }
      uint64_t n[3] = {};
      const char* p = entry.data();
      const char* const end = entry.data() + entry.size();
      int parsed = 0;
      while (parsed < 3) {
        const auto [next, ec] = std::from_chars(p, end, n[parsed]);
        if (ec != std::errc()) break;
        ++parsed;
        p = next;
        if (parsed < 3 && (p == end || *p++ != '-')) break;
      }
      if (parsed == 3 && p == end) maria_[{n[0], n[1]}] = n[2];
    }
  }
  bool empty() const { return set_.empty(); }
  bool contains(const protocol::Gtid& gtid) const {
    if (const auto* m = std::get_if<protocol::MariaGtid>(&gtid)) {
      const auto it = maria_.find({m->domain_id, m->server_id});
      return it != maria_.end() && m->seq_no <= it->second;
    }
    return set_.contains(gtid);
  }

 private:
  protocol::GtidSet set_;
  std::map<std::pair<uint64_t, uint64_t>, uint64_t> maria_;  // (domain, server) -> seq
};

// One master's binlog, read once: every check of it sees each event. Each pass
// runs in the thread that reads its master (diff_run.h: A's own, B's the
// aligner's); the checks it feeds are its own (the
// auto-increment check too, merged after both passes), the timeline is shared
// under a lock. Read with the peer's binlogs, the pass hands run_diff its stream
// digest, whose filter check and transactions are the pass's too (one filter
// check and one assembly of the transactions per event, not two); read alone, it
// runs a filter check of its own and takes the transactions from it.
class MasterPass {
 public:
  // `is_a`: `master` is A (the auto-increment check takes A's and B's
  // configurations). `digested`: the pass feeds run_diff (digest()).
  MasterPass(const AuditMaster& master, const AuditMaster& peer, bool is_a, bool digested,
             TimelineCollector& timeline, std::mutex& timeline_mutex, MasterRead& read)
      : master_(master),
        loops_(*master.config, *peer.config, master.name, peer.name),
        autoinc_(is_a ? *master.config : *peer.config, is_a ? *peer.config : *master.config),
        timeline_(timeline),
        timeline_mutex_(timeline_mutex),
        read_(read) {
    if (digested) {
      digest_.emplace(*master.config, *peer.config, master.name, peer.name);
      digest_->on_transaction([this](const checks::DigestedTransaction& t, bool open_at_end) {
        on_transaction(t.summary, open_at_end);
      });
    } else {
      filters_.emplace(*master.config, *peer.config, master.name, peer.name);
    }
    // The GTIDs read go on from the last audit's.
    if (master.from && !master.from->gtids.empty()) {
      if (auto set = protocol::GtidSet::parse(master.from->gtids)) gtids_ = std::move(*set);
    }
    autoinc_.begin(master_.name);
  }

  // The reading thread's hook: false for an event the last audit read. Digested,
  // the digest sees the event next (and the filter check in it).
  bool add(const StreamEvent& se) {
    if (already_read(se)) {
      ++read_.skipped_events;
      return false;
    }
    ++read_.events;
    read_.bytes += se.view->raw.size();
    loops_.add(se);
    autoinc_.add(se);
    if (filters_) {
      filters_->add(se);
      if (const auto& t = filters_->completed()) on_transaction(*t, false);
    }
    return true;
  }

  void finish(const std::string& error) {
    read_.error = error;
    loops_.finish();
    autoinc_.end();
    if (filters_) {
      if (const checks::TransactionDecision* open = filters_->finish()) {
        on_transaction(open->transaction, true);
      }
    } else {
      // An error stopped the reading before run_diff finished the digest: its open
      // transaction is still the timeline's (finishing it again finds none).
      digest_->finish();
    }
    if (!gtids_.empty() && read_.end) read_.end->gtids = gtids_.to_string();
  }

  // Without the peer's binlogs: this pass alone, in this thread.
  void run(const StreamOptions& options, const std::function<void(const StreamWarning&)>& warn) {
    std::string error;
    try {
      EventStream stream(*master_.binlogs, options);
      stream.on_warning(warn);
      StreamEvent se;
      while (stream.next(se)) add(se);
    } catch (const std::exception& e) {  // SourceError, or a connection failure
      error = e.what();
    }
    finish(error);
  }

  checks::StreamDigest* digest() { return digest_ ? &*digest_ : nullptr; }
  bool saw_foreign() const { return loops_.saw_foreign(); }
  checks::AutoIncrementCheck& autoinc() { return autoinc_; }

  std::vector<report::Finding> findings() const {
    std::vector<report::Finding> out = (filters_ ? *filters_ : digest_->filters()).findings();
    append(out, loops_.findings());
    return out;
  }

 private:
  bool already_read(const StreamEvent& se) const {
    if (!master_.from) return false;
    const std::string_view name = file_name(*se.file);
    if (name == master_.from->file) return se.view->offset < master_.from->position;
    return binlog_file_before(name, master_.from->file);
  }

  // `open_at_end`: the transaction the binlogs ended in, on the timeline but not
  // counted as read.
  void on_transaction(const TransactionSummary& t, bool open_at_end) {
    if (!open_at_end) ++read_.transactions;
    {
      const std::lock_guard lock(timeline_mutex_);
      timeline_.add(master_.name, t);
    }
    if (t.complete) {
      read_.end = MasterMark{std::string(file_name(t.file)), t.end, {}};
      if (t.gtid) gtids_.add(*t.gtid);
    }
  }

  const AuditMaster& master_;
  std::optional<checks::StreamDigest> digest_;  // with the peer's binlogs
  std::optional<checks::FilterCheck> filters_;  // alone
  checks::LoopCheck loops_;
  checks::AutoIncrementCheck autoinc_;
  TimelineCollector& timeline_;
  std::mutex& timeline_mutex_;
  MasterRead& read_;
  protocol::GtidSet gtids_;
};

}  // namespace

bool binlog_file_before(std::string_view a, std::string_view b) {
  a = file_name(a);
  b = file_name(b);
  const auto na = sequence_of(a), nb = sequence_of(b);
  if (na && nb && *na != *nb) return *na < *nb;
  return a < b;
}

AuditResult run_audit(const AuditMaster& a, const AuditMaster& b, const StreamOptions& options,
                      const std::function<void(const StreamWarning&)>& warn) {
  AuditResult result;
  TimelineCollector timeline;
  std::mutex timeline_mutex;
  const AuditMaster* masters[2] = {&a, &b};
  std::optional<MasterPass> passes[2];
  const bool both = a.binlogs && b.binlogs;  // read through run_diff
  for (int i = 0; i < 2; ++i) {
    const AuditMaster& master = *masters[i];
    MasterRead& read = result.masters[i];
    read.name = master.name;
    if (!master.binlogs) continue;
    read.read = true;
    // The last audit's place is where this one starts, if nothing newer is read.
    read.end = master.from;
    passes[i].emplace(master, *masters[1 - i], i == 0, both, timeline, timeline_mutex, read);
  }
  if (passes[0] && passes[1]) {
    // Both masters at once (diff_run.h: A in a thread of its own, B in the
    // aligner's): each master's reading feeds its checks and digests its
    // transactions for the aligner.
    passes[1]->autoinc().keep_for_merge();
    // What the last audit read of each master's binlog: a transaction whose GTID the
    // peer's binlog held before the peer's mark was compared then, or its copy was
    // logged before that mark, and is not compared again.
    ReadBefore read_before[2];
    for (int i = 0; i < 2; ++i) {
      if (masters[i]->from) read_before[i] = ReadBefore(masters[i]->from->gtids);
    }
    const auto side = [&](int i) {
      MasterPass& pass = *passes[i];
      checks::DiffSide s{*masters[i]->binlogs, masters[i]->config, {}};
      if (!read_before[1 - i].empty()) {
        s.before_start = [&peer = read_before[1 - i]](const TransactionSummary& t) {
          return t.gtid && peer.contains(*t.gtid);
        };
      }
      s.on_event = [&pass](const StreamEvent& se) { return pass.add(se); };
      s.on_end = [&pass](const std::string& error) { pass.finish(error); };
      s.digest = pass.digest();
      return s;
    };
    // A first audit reads the binlogs from their beginning: each master's own set-up
    // before the pair replicated is not compared. A later one starts where the last
    // one stopped.
    const checks::Start start =
        a.from || b.from ? checks::Start::kAll : checks::Start::kFromReplication;
    checks::DiffResult diff = checks::run_diff(
        side(0), side(1), options, checks::DiffAligner::kDefaultMaxLag,
        [&](const std::string&, const StreamWarning& w) { warn(w); }, start);
    for (int i = 0; i < 2; ++i) result.masters[i].before_replication = diff.before_replication[i];
    passes[0]->autoinc().merge(std::move(passes[1]->autoinc()));
    for (MasterPass* pass : {&*passes[0], &*passes[1]}) {
      append(result.findings, pass->findings());
      result.third_source = result.third_source || pass->saw_foreign();
    }
    append(result.findings, passes[0]->autoinc().findings());
    append(result.findings, std::move(diff.findings));
  } else {
    for (std::optional<MasterPass>& pass : passes) {
      if (!pass) continue;
      pass->run(options, warn);
      append(result.findings, pass->findings());
      result.third_source = result.third_source || pass->saw_foreign();
      append(result.findings, pass->autoinc().findings());
    }
  }
  result.timeline = timeline.timeline();
  return result;
}

}  // namespace twinlog::audit
