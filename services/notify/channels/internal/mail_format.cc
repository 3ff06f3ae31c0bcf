// The mail message (RFC 5322 headers, MIME 1.0 text/plain in base64 per RFC 2045, a UTF-8
// subject in RFC 2047 encoded words): what libcurl sends after DATA.
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "services/common/sha256.h"
#include "services/notify/channels/channel.h"
#include "services/notify/channels/internal/encoding.h"
#include "services/notify/channels/internal/formats.h"
#include "services/notify/channels/internal/split.h"

namespace rectify::notify::internal {
namespace {

// An encoded word is at most 75 characters (RFC 2047 section 2), and a header line should stay
// within 76: "Subject: " plus a word of 12 + 52 characters is 73. 39 bytes of UTF-8 are 52
// base64 characters, 13 Chinese characters a word.
constexpr size_t kSubjectWordBytes = 39;
// RFC 2045 section 6.8: encoded lines of at most 76 characters.
constexpr size_t kBase64LineChars = 76;

std::string BodyText(const std::vector<std::string>& lines, const std::string& link) {
  std::string text = absl::StrJoin(lines, "\r\n");
  if (!link.empty()) absl::StrAppend(&text, "\r\n\r\n详情 / Details: ", link);
  absl::StrAppend(&text, "\r\n");
  return text;
}

std::string Base64Lines(absl::string_view bytes) {
  const std::string encoded = Base64(bytes);
  std::string out;
  for (size_t i = 0; i < encoded.size(); i += kBase64LineChars) {
    absl::StrAppend(&out, absl::string_view(encoded).substr(i, kBase64LineChars), "\r\n");
  }
  return out;
}

// The domain of the sender's address, for the Message-ID; "rectify.invalid" without one.
std::string SenderDomain(const std::string& from) {
  const size_t at = from.rfind('@');
  std::string domain = at == std::string::npos ? "" : from.substr(at + 1);
  for (char c : domain) {
    if (!(absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-'))
      return "rectify.invalid";
  }
  return domain.empty() ? "rectify.invalid" : domain;
}

std::string Message822(const ChannelConfig& channel, const std::string& title,
                       const std::string& body_text, size_t k, size_t n, absl::Time now) {
  std::vector<std::string> to;
  for (const std::string& address : channel.to) to.push_back(OneLine(address));
  // The same message at the same time gives the same id: a retried part is recognisable.
  const std::string id_hash = Sha256Hex(absl::StrCat(absl::ToUnixMicros(now), "\n", title, "\n",
                                                     absl::StrJoin(to, ","), "\n", k, "/", n))
                                  .substr(0, 24);
  std::string out;
  absl::StrAppend(
      &out, "Date: ", absl::FormatTime("%a, %d %b %Y %H:%M:%S +0000", now, absl::UTCTimeZone()),
      "\r\n");
  absl::StrAppend(&out, "From: ", OneLine(channel.from), "\r\n");
  absl::StrAppend(&out, "To: ", absl::StrJoin(to, ", "), "\r\n");
  absl::StrAppend(&out, "Subject: ", EncodeMailSubject(title), "\r\n");
  absl::StrAppend(&out, "Message-ID: <", absl::ToUnixSeconds(now), ".", id_hash, "@",
                  SenderDomain(channel.from), ">\r\n");
  absl::StrAppend(&out, "MIME-Version: 1.0\r\n");
  absl::StrAppend(&out, "Content-Type: text/plain; charset=UTF-8\r\n");
  absl::StrAppend(&out, "Content-Transfer-Encoding: base64\r\n");
  absl::StrAppend(&out, "\r\n", Base64Lines(body_text));
  return out;
}

}  // namespace

std::string EncodeMailSubject(absl::string_view title) {
  std::vector<std::string> words;
  absl::string_view rest = title;
  while (!rest.empty()) {
    size_t cut = Utf8PrefixLength(rest, kSubjectWordBytes);
    if (cut == 0) cut = 1;
    words.push_back(absl::StrCat("=?UTF-8?B?", Base64(rest.substr(0, cut)), "?="));
    rest.remove_prefix(cut);
  }
  if (words.empty()) return "";
  return absl::StrJoin(words, "\r\n ");
}

std::vector<std::string> RenderMailParts(const ChannelConfig& channel, const Message& message,
                                         absl::Time now) {
  const std::string title = CapTitle(message.title);
  const size_t limit = PartLimitBytes(ChannelKind::kEmail);
  auto fits = [&](const std::vector<std::string>& lines, bool /*numbered*/) {
    return BodyText(lines, message.link).size() <= limit;
  };
  const std::vector<std::vector<std::string>> split = SplitLines(message.lines, fits);
  std::vector<std::string> parts;
  for (size_t k = 0; k < split.size(); ++k) {
    parts.push_back(Message822(channel, title + PartSuffix(k + 1, split.size()),
                               BodyText(split[k], message.link), k + 1, split.size(), now));
  }
  return parts;
}

}  // namespace rectify::notify::internal
