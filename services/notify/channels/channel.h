// The notification channels: how one message becomes the wire requests of one channel (WeCom,
// DingTalk and Feishu group robots, SMTP mail) and how they are sent.
//
// A pure library: no store, no proto. The dispatcher (which owns the outbox) calls RenderParts
// to know how many parts a message has, Sender::Send to deliver them, and RateLimiter to keep to
// each channel's documented rate. Everything here is thread-safe: free functions keep no state,
// a Sender may be shared by all dispatcher threads, a RateLimiter locks internally.
//
// Secrets (the webhook URL's key or token, the signing secret, the SMTP password) never leave
// this library except on the wire to the vendor: SendResult::detail is scrubbed of them, and
// Redact() is what a list, an audit entry or a log line may show instead.
#ifndef RECTIFY_SERVICES_NOTIFY_CHANNELS_CHANNEL_H_
#define RECTIFY_SERVICES_NOTIFY_CHANNELS_CHANNEL_H_

#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace rectify::notify {

enum class ChannelKind { kWeCom = 1, kDingTalk = 2, kFeishu = 3, kEmail = 4 };

struct ChannelConfig {
  ChannelKind kind = ChannelKind::kWeCom;
  std::string url;     // robots: the webhook URL (a secret: it carries the key/access token);
                       // email: smtp://host:port or smtps://host:port
  std::string secret;  // DingTalk "加签" secret, Feishu signing secret, or the SMTP password;
                       // may be empty
  std::string user;    // email: SMTP user name (empty: no AUTH)
  std::string from;    // email: sender address
  std::vector<std::string> to;  // email: recipient addresses
};

struct Message {
  std::string title;  // one line, e.g. "【逾期】整改任务 12：…"; the mail subject
  std::vector<std::string> lines;  // body, plain text lines (UTF-8, Chinese); robots get markdown
  std::string link;                // optional URL of the web console page; may be empty
};

enum class Outcome {
  kDelivered,    // every part from first_part on was accepted
  kRetry,        // network error, timeout, 5xx, SMTP 4xx: the same request may work later
  kRateLimited,  // HTTP 429 or the vendor's rate-limit code: wait (retry_after if given)
  kRejected,     // bad key, keyword or IP not allowed, SMTP 5xx: nothing helps until the
                 // channel's configuration changes
};

struct SendResult {
  Outcome outcome = Outcome::kDelivered;
  int parts_sent = 0;   // parts delivered in this call (counting from first_part)
  int parts_total = 0;  // parts the message has on this channel (RenderParts(...).size())
  std::string detail;   // for operators; NEVER contains the url's key, token or secret
  absl::Duration retry_after = absl::ZeroDuration();  // from the answer when it says so
};

// The request bodies (robots: JSON; email: the full RFC 5322 message incl. headers) that one
// message becomes on a channel, split so each part fits the channel's size limit. Deterministic
// given `now` (Date/Message-ID for mail and the Feishu signature derive from it). Parts say
// "(1/3)" in their title when there is more than one. Where the parts split does not depend on
// `now`: a send resumed later at part k sends the same lines the first attempt would have.
std::vector<std::string> RenderParts(const ChannelConfig& channel, const Message& message,
                                     absl::Time now);

// The URL a robot's request goes to at `now`: the configured webhook, with DingTalk's
// "&timestamp=<ms>&sign=<signature>" appended when a secret is set. Email: the url unchanged.
std::string RequestUrl(const ChannelConfig& channel, absl::Time now);

// The size one part may have on a channel, in bytes, and what is measured: WeCom counts the
// markdown content, DingTalk and Feishu the whole request body, mail the body text before
// base64.
size_t PartLimitBytes(ChannelKind kind);

class Sender {
 public:
  virtual ~Sender() = default;
  // Sends parts first_part.. of the message; stops at the first part that fails. Thread-safe.
  // `now` should be the real time: DingTalk and Feishu refuse a signature more than an hour
  // off their clocks.
  virtual SendResult Send(const ChannelConfig& channel, const Message& message, int first_part,
                          absl::Time now) = 0;
};

struct CurlSenderOptions {
  absl::Duration connect_timeout = absl::Seconds(5);
  absl::Duration timeout = absl::Seconds(15);
};

// A Sender over libcurl: HTTPS POST for the robots, SMTP (STARTTLS when offered on smtp://,
// TLS required on smtps://) for mail. Only http(s) and smtp(s) URLs are followed; redirects are
// not.
std::unique_ptr<Sender> NewCurlSender(CurlSenderOptions options = {});

// The url or secret as a list or log may show it: scheme+host+path kept, query values and
// path tokens replaced except their last 4 characters, e.g.
// "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=****1a2b". A secret: "****" + last 4
// (or "****" if short).
std::string Redact(const std::string& url_or_secret);

// Sliding-window rate limiter, one window per key (the dispatcher uses the channel id). A
// multi-part message takes one slot per part: Record once per part sent.
class RateLimiter {  // thread-safe
 public:
  RateLimiter(int max_per_window, absl::Duration window);
  RateLimiter(const RateLimiter&) = delete;
  RateLimiter& operator=(const RateLimiter&) = delete;

  // The earliest time a send may go: `now` when one may go now.
  absl::Time NextSlot(int64_t key, absl::Time now);
  void Record(int64_t key, absl::Time now);

 private:
  // Drops the sends of `key` that left the window ending at `now`.
  void Expire(std::deque<absl::Time>& sends, absl::Time now) const
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  // Constant after construction.
  const int max_per_window_;
  const absl::Duration window_;

  absl::Mutex mu_;
  std::map<int64_t, std::deque<absl::Time>> sends_ ABSL_GUARDED_BY(mu_);
};

// The documented rate of a channel: WeCom 20, DingTalk 20, Feishu 100 a minute; mail 30 (no
// vendor limit: a pace most relays accept without greylisting).
int MessagesPerMinute(ChannelKind kind);

// Every documented rate of a channel, for a RateLimiter each: the minute of MessagesPerMinute,
// and Feishu's 5 a second besides.
struct RateLimit {
  int messages = 0;
  absl::Duration window;
};
std::vector<RateLimit> RateLimits(ChannelKind kind);

}  // namespace rectify::notify

#endif  // RECTIFY_SERVICES_NOTIFY_CHANNELS_CHANNEL_H_
