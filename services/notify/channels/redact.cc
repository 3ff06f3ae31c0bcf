// Redact() and the scrubbing of operator-facing text.
#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "services/notify/channels/channel.h"
#include "services/notify/channels/internal/scrub.h"

namespace rectify::notify {
namespace {

// Shorter secrets show nothing of themselves: four characters of a short one would be much of
// it.
constexpr size_t kShowTailFrom = 12;

std::string Masked(absl::string_view secret) {
  if (secret.size() < kShowTailFrom) return "****";
  return absl::StrCat("****", secret.substr(secret.size() - 4));
}

// A path segment that is a credential rather than a route: Feishu's hook token, a long key.
// Route segments ("cgi-bin", "open-apis", "v2", "send") are short or have no digits.
bool LooksLikeToken(absl::string_view segment) {
  if (segment.size() >= 16) return true;
  const bool has_digit =
      std::any_of(segment.begin(), segment.end(), [](char c) { return absl::ascii_isdigit(c); });
  const bool has_alpha =
      std::any_of(segment.begin(), segment.end(), [](char c) { return absl::ascii_isalpha(c); });
  return segment.size() >= 8 && has_digit && has_alpha;
}

// Which path segments are credentials: those that look like one, the one after "hook" (Feishu's
// /open-apis/bot/v2/hook/<token>, whatever the token looks like), and the last one of a URL
// without a query (a robot's credential is in the query or, without one, at the end of the path).
std::vector<bool> TokenSegments(const std::vector<std::string>& segments, bool has_query) {
  std::vector<bool> token(segments.size(), false);
  size_t last = segments.size();
  for (size_t i = 0; i < segments.size(); ++i) {
    if (!segments[i].empty()) last = i;
    token[i] = LooksLikeToken(segments[i]) || (i > 0 && segments[i - 1] == "hook");
  }
  if (!has_query && last < segments.size() && last > 0 && segments[last] != "send") {
    token[last] = true;
  }
  return token;
}

struct UrlPieces {
  std::string scheme;    // "https"
  std::string userinfo;  // "user:password", without "@"
  std::string host;      // host[:port]
  std::string path;      // from the first "/", without query or fragment
  std::string query;     // without "?"
};

bool SplitUrl(absl::string_view url, UrlPieces& out) {
  const size_t scheme_end = url.find("://");
  if (scheme_end == absl::string_view::npos || scheme_end == 0) return false;
  out.scheme = std::string(url.substr(0, scheme_end));
  absl::string_view rest = url.substr(scheme_end + 3);
  const size_t fragment = rest.find('#');
  if (fragment != absl::string_view::npos) rest = rest.substr(0, fragment);
  const size_t query = rest.find('?');
  if (query != absl::string_view::npos) {
    out.query = std::string(rest.substr(query + 1));
    rest = rest.substr(0, query);
  }
  const size_t slash = rest.find('/');
  absl::string_view authority = rest.substr(0, slash);
  if (slash != absl::string_view::npos) out.path = std::string(rest.substr(slash));
  const size_t at = authority.rfind('@');
  if (at != absl::string_view::npos) {
    out.userinfo = std::string(authority.substr(0, at));
    authority = authority.substr(at + 1);
  }
  out.host = std::string(authority);
  return true;
}

}  // namespace

std::string Redact(const std::string& url_or_secret) {
  UrlPieces pieces;
  if (!SplitUrl(url_or_secret, pieces)) return Masked(url_or_secret);
  std::string out = absl::StrCat(pieces.scheme, "://");
  if (!pieces.userinfo.empty()) absl::StrAppend(&out, "****@");
  absl::StrAppend(&out, pieces.host);
  std::vector<std::string> segments = absl::StrSplit(pieces.path, '/');
  const std::vector<bool> token = TokenSegments(segments, !pieces.query.empty());
  for (size_t i = 0; i < segments.size(); ++i) {
    if (token[i]) segments[i] = Masked(segments[i]);
  }
  absl::StrAppend(&out, absl::StrJoin(segments, "/"));
  if (!pieces.query.empty()) {
    std::vector<std::string> params = absl::StrSplit(pieces.query, '&');
    for (std::string& param : params) {
      const size_t eq = param.find('=');
      if (eq == std::string::npos) {
        param = Masked(param);
      } else {
        param = absl::StrCat(param.substr(0, eq + 1), Masked(param.substr(eq + 1)));
      }
    }
    absl::StrAppend(&out, "?", absl::StrJoin(params, "&"));
  }
  return out;
}

namespace internal {

std::vector<std::string> UrlSecrets(absl::string_view url) {
  std::vector<std::string> secrets;
  UrlPieces pieces;
  if (!SplitUrl(url, pieces)) return secrets;
  if (!pieces.userinfo.empty()) {
    const size_t colon = pieces.userinfo.find(':');
    if (colon != std::string::npos) secrets.push_back(pieces.userinfo.substr(colon + 1));
  }
  const std::vector<std::string> segments = absl::StrSplit(pieces.path, '/');
  const std::vector<bool> token = TokenSegments(segments, !pieces.query.empty());
  for (size_t i = 0; i < segments.size(); ++i) {
    if (token[i] && !segments[i].empty()) secrets.push_back(segments[i]);
  }
  for (absl::string_view param : absl::StrSplit(pieces.query, '&', absl::SkipEmpty())) {
    const size_t eq = param.find('=');
    secrets.emplace_back(eq == absl::string_view::npos ? param : param.substr(eq + 1));
  }
  return secrets;
}

std::string Scrub(absl::string_view text, const ChannelConfig& channel) {
  std::vector<std::string> secrets = UrlSecrets(channel.url);
  secrets.push_back(channel.secret);
  // Longest first, so that a secret containing another is replaced whole.
  std::sort(secrets.begin(), secrets.end(),
            [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
  std::string out(text);
  for (const std::string& secret : secrets) {
    // Shorter values are no credential ("debug=1") and would garble the text.
    if (secret.size() < 4) continue;
    out = absl::StrReplaceAll(out, {{secret, Masked(secret)}});
  }
  return out;
}

}  // namespace internal
}  // namespace rectify::notify
