#include "services/server/event_log.h"

#include <atomic>
#include <cstdio>
#include <iostream>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace rectify::server {
namespace {

std::atomic<bool> json_log{false};

absl::Mutex& OutputMutex() {
  static absl::Mutex* const mu = new absl::Mutex();
  return *mu;
}

}  // namespace

void SetJsonLog(bool json) { json_log.store(json); }

std::string JsonQuote(absl::string_view s) {
  std::string out = "\"";
  for (const char c : s) {
    const unsigned char u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else if (u < 0x20 || u == 0x7f) {
      out += absl::StrFormat("\\u%04x", u);
    } else {
      out += c;
    }
  }
  out += '"';
  return out;
}

void Say(absl::string_view event, absl::string_view text, std::initializer_list<LogField> fields) {
  std::vector<absl::string_view> lines = absl::StrSplit(text, '\n', absl::SkipEmpty());
  std::string out;
  if (json_log.load()) {
    out = absl::StrCat(
        "{\"time\":",
        JsonQuote(absl::FormatTime("%Y-%m-%dT%H:%M:%E6SZ", absl::Now(), absl::UTCTimeZone())),
        ",\"event\":", JsonQuote(event));
    for (const LogField& f : fields) {
      absl::StrAppend(&out, ",", JsonQuote(f.first), ":", JsonQuote(f.second));
    }
    absl::StrAppend(&out, ",\"msg\":", JsonQuote(absl::StrJoin(lines, " ")), "}\n");
  } else {
    for (absl::string_view line : lines) absl::StrAppend(&out, "rectifyd: ", line, "\n");
  }
  absl::MutexLock lock(&OutputMutex());
  std::cerr << out << std::flush;
}

}  // namespace rectify::server
