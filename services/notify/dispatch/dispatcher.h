// Dispatcher: delivers the outbox (notice_deliveries) to WeCom, DingTalk, Feishu and mail, and
// plans the notices that time alone causes (reminders before deadlines, the daily digest).
//
// One pass: plan what is due (services/domain/notices.h), then take the pending deliveries whose
// time has come, earliest first, and for each
//   - a non-urgent notice in quiet hours waits until they end;
//   - a channel over its rate limit (20 a minute for a WeCom or DingTalk robot) waits for a slot;
//   - a channel that failed `channel_failure_limit` sends in a row is not tried any more: its
//     deliveries are marked failed until the channel is changed or tested again, so that a dead
//     webhook is reported (`rectify notify status`) instead of being retried forever;
//   - otherwise it is sent, and the outcome recorded: sent; or retried with exponential backoff
//     (network errors, 5xx, rate-limit answers; the channel's Retry-After when longer), up to
//     max_attempts; or failed (the channel refused it, or the attempts ran out).
// A message split into parts records the parts delivered, so a retry resumes after them.
//
// Exactly once: a notice exists once (its key is unique), and a delivery is one row per
// (notice, channel). The outcome is recorded after the send, so a crash between the two sends
// that one delivery again on restart (at least once); in the normal path nothing is sent twice.
//
// Thread safety: RunPass may be called from any thread, but passes must not overlap (Start's
// thread is the only caller in rectifyd). Start/Stop/Wake from the owner.
#ifndef RECTIFY_SERVICES_NOTIFY_DISPATCH_DISPATCHER_H_
#define RECTIFY_SERVICES_NOTIFY_DISPATCH_DISPATCHER_H_

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "services/common/clock.h"
#include "services/common/wake_loop.h"
#include "services/domain/notices.h"
#include "services/domain/settings.h"
#include "services/notify/channels/channel.h"
#include "services/store/store.h"

namespace rectify::notify {

// Quiet hours (免打扰时段) in the organisation's zone, as minutes after midnight; start == end
// means none. A span over midnight (22:00-08:00) has start > end.
struct QuietHours {
  int start_minute = 22 * 60;
  int end_minute = 8 * 60;
  bool Contains(int minute) const;
};
// "22:00-08:00", or "" / "off" for none. INVALID_ARGUMENT naming `field` otherwise.
absl::StatusOr<QuietHours> ParseQuietHours(const std::string& field, const std::string& text);

struct DispatchPass {
  int planned = 0;   // new notices (reminders, digests)
  int sent = 0;      // deliveries completed
  int retried = 0;   // deliveries put back for a later attempt
  int failed = 0;    // deliveries given up
  int deferred = 0;  // quiet hours or rate limit
};

class Dispatcher {
 public:
  struct Options {
    NoticePlan plan;
    bool plan_notices = true;
    QuietHours quiet;
    std::string web_url;  // the console's address for links; "" for none
    int max_attempts = 8;
    absl::Duration first_backoff = absl::Seconds(30);
    absl::Duration max_backoff = absl::Hours(1);
    int channel_failure_limit = 10;
    int batch_size = 50;
    // Longest sleep between passes (a new notice wakes the thread through Wake()).
    absl::Duration max_sleep = absl::Seconds(30);
    // On several nodes only the leader delivers, so that no message goes out twice: when set
    // and it answers false, the pass is skipped and the thread looks again after follower_poll.
    std::function<bool()> may_run;
    absl::Duration follower_poll = absl::Seconds(1);
  };

  Dispatcher(Store* store, const Clock* clock, LedgerSettings settings, Sender* sender,
             Options options);
  ~Dispatcher();
  Dispatcher(const Dispatcher&) = delete;
  Dispatcher& operator=(const Dispatcher&) = delete;

  absl::StatusOr<DispatchPass> RunPass();

  void Start();
  void Stop();
  // Cuts the sleep short: something may have been written to the outbox.
  void Wake();

  DispatchPass totals() const;

 private:
  // One pass and the sleep until the next.
  absl::Duration Pass();
  // `failures`: the channels' failures in a row as this pass has recorded them (the batch was
  // read before).
  absl::Status Deliver(const DueDelivery& due, absl::Time now, DispatchPass& pass,
                       std::map<Id, int>& failures);
  // Records a delivery's new state and its channel's health in one transaction; returns the
  // channel's failures in a row afterwards.
  absl::StatusOr<int> Record(const Delivery& delivery, bool channel_ok, const std::string& error,
                             absl::Time now);
  absl::Duration Backoff(int attempts) const;

  Store* const store_;
  const Clock* const clock_;
  const LedgerSettings settings_;
  Sender* const sender_;
  const Options options_;
  // Every documented rate of each kind of channel (RateLimits), one window per channel id each.
  // In memory: a restarted node starts with empty windows.
  std::map<ChannelKind, std::vector<std::unique_ptr<RateLimiter>>> limiters_;

  mutable absl::Mutex mu_;
  DispatchPass totals_ ABSL_GUARDED_BY(mu_);
  WakeLoop loop_{[this] { return Pass(); }};
};

}  // namespace rectify::notify

#endif  // RECTIFY_SERVICES_NOTIFY_DISPATCH_DISPATCHER_H_
