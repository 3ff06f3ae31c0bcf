// What rectifyd says about itself on stderr: starting, listening, becoming the leader, losing and
// regaining the database, stopping. Each is an event with a stable name; with --log_format=json
// every event is one JSON object on one line, for a log collector (journald, Loki, Elasticsearch):
//
//   {"time":"2026-12-01T08:00:00.123456Z","event":"leader","leader":"true",
//    "msg":"本节点成为主节点… / this node is the leader now…"}
//
// "time" (UTC, RFC 3339), "event" and "msg" (the text line's words, both languages) are always
// there; the other keys depend on the event and are strings. Without it (the default) the text
// lines are as they always were, "rectifyd: " and the message.
//
// Thread safety: Say may be called from any thread; each event is written whole.
#ifndef RECTIFY_SERVICES_SERVER_EVENT_LOG_H_
#define RECTIFY_SERVICES_SERVER_EVENT_LOG_H_

#include <initializer_list>
#include <string>
#include <utility>

#include "absl/strings/string_view.h"

namespace rectify::server {

// Switches every later Say to JSON lines (--log_format=json) or back to text.
void SetJsonLog(bool json);

using LogField = std::pair<absl::string_view, std::string>;

// One event. `text` is the human message without the "rectifyd: " prefix; it may hold several
// lines ('\n'), each printed with the prefix in text mode and joined by spaces in JSON.
void Say(absl::string_view event, absl::string_view text,
         std::initializer_list<LogField> fields = {});

// `s` as a JSON string literal, quotes included (UTF-8 passes through; quotes, backslashes and
// control characters are escaped). Exposed for the tests.
std::string JsonQuote(absl::string_view s);

}  // namespace rectify::server

#endif  // RECTIFY_SERVICES_SERVER_EVENT_LOG_H_
