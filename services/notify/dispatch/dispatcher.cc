#include "services/notify/dispatch/dispatcher.h"

#include <algorithm>
#include <iostream>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "services/common/errors.h"
#include "services/common/status_macros.h"
#include "services/notify/dispatch/render.h"

namespace rectify::notify {
namespace {

absl::StatusOr<int> ParseClock(const std::string& field, absl::string_view text) {
  std::vector<absl::string_view> hm = absl::StrSplit(text, ':');
  int h = 0;
  int m = 0;
  if (hm.size() != 2 || hm[0].size() != 2 || hm[1].size() != 2 || !absl::SimpleAtoi(hm[0], &h) ||
      !absl::SimpleAtoi(hm[1], &m) || h < 0 || h > 23 || m < 0 || m > 59) {
    return InvalidField(field, "须为 HH:MM-HH:MM（如 22:00-08:00）或 off",
                        "must be HH:MM-HH:MM (e.g. 22:00-08:00) or off");
  }
  return h * 60 + m;
}

}  // namespace

bool QuietHours::Contains(int minute) const {
  if (start_minute == end_minute) return false;
  if (start_minute < end_minute) return minute >= start_minute && minute < end_minute;
  return minute >= start_minute || minute < end_minute;
}

absl::StatusOr<QuietHours> ParseQuietHours(const std::string& field, const std::string& text) {
  QuietHours q;
  if (text.empty() || text == "off") {
    q.start_minute = q.end_minute = 0;
    return q;
  }
  std::vector<absl::string_view> span = absl::StrSplit(text, '-');
  if (span.size() != 2) return ParseClock(field, "").status();
  ASSIGN_OR_RETURN(q.start_minute, ParseClock(field, span[0]));
  ASSIGN_OR_RETURN(q.end_minute, ParseClock(field, span[1]));
  return q;
}

Dispatcher::Dispatcher(Store* store, const Clock* clock, LedgerSettings settings, Sender* sender,
                       Options options)
    : store_(store),
      clock_(clock),
      settings_(std::move(settings)),
      sender_(sender),
      options_(std::move(options)) {
  for (ChannelKind kind :
       {ChannelKind::kWeCom, ChannelKind::kDingTalk, ChannelKind::kFeishu, ChannelKind::kEmail}) {
    for (const RateLimit& limit : RateLimits(kind)) {
      limiters_[kind].push_back(std::make_unique<RateLimiter>(limit.messages, limit.window));
    }
  }
}

Dispatcher::~Dispatcher() { Stop(); }

absl::Duration Dispatcher::Backoff(int attempts) const {
  absl::Duration d = options_.first_backoff;
  for (int i = 1; i < attempts && d < options_.max_backoff; ++i) d *= 2;
  return std::min(d, options_.max_backoff);
}

absl::StatusOr<DispatchPass> Dispatcher::RunPass() {
  DispatchPass pass;
  const absl::Time now = clock_->Now();
  if (options_.plan_notices) {
    bool planning_due = false;
    RETURN_IF_ERROR(store_->Read([&](ReadTxn& tx) -> absl::Status {
      ASSIGN_OR_RETURN(planning_due, PlanningDue(tx, now, options_.plan, settings_));
      return absl::OkStatus();
    }));
    if (planning_due) {
      RETURN_IF_ERROR(store_->Write([&](WriteTxn& tx) -> absl::Status {
        ASSIGN_OR_RETURN(pass.planned, PlanNotices(tx, now, options_.plan, settings_));
        return absl::OkStatus();
      }));
    }
  }
  std::map<Id, int> failures;
  for (;;) {
    std::vector<DueDelivery> due;
    RETURN_IF_ERROR(store_->Read([&](ReadTxn& tx) -> absl::Status {
      ASSIGN_OR_RETURN(due, tx.ListDueDeliveries(clock_->Now(), options_.batch_size));
      return absl::OkStatus();
    }));
    for (const DueDelivery& d : due) RETURN_IF_ERROR(Deliver(d, clock_->Now(), pass, failures));
    // Every delivery handled moved out of the due set (sent, failed or later), so each batch is
    // new work.
    if (static_cast<int>(due.size()) < options_.batch_size) break;
  }
  absl::MutexLock lock(&mu_);
  totals_.planned += pass.planned;
  totals_.sent += pass.sent;
  totals_.retried += pass.retried;
  totals_.failed += pass.failed;
  totals_.deferred += pass.deferred;
  return pass;
}

absl::Status Dispatcher::Deliver(const DueDelivery& due, absl::Time now, DispatchPass& pass,
                                 std::map<Id, int>& failures) {
  Delivery d = due.delivery;
  NotifyChannel channel = due.channel;
  if (auto it = failures.find(channel.id); it != failures.end()) {
    channel.consecutive_failures = it->second;
  }
  // The outcome's record, and the channel's count this pass goes on from.
  auto record = [&](bool channel_ok, const std::string& error, absl::Time when) -> absl::Status {
    ASSIGN_OR_RETURN(failures[channel.id], Record(d, channel_ok, error, when));
    return absl::OkStatus();
  };
  if (!channel.enabled) {
    d.state = DeliveryState::kFailed;
    d.last_error = "渠道已停用 / the channel is disabled";
    ++pass.failed;
    return record(false, "", now);
  }
  if (channel.consecutive_failures >= options_.channel_failure_limit) {
    d.state = DeliveryState::kFailed;
    d.last_error = absl::StrCat("渠道已连续失败 ", channel.consecutive_failures,
                                " 次，不再重试，请检查配置后用 rectify notify test 验证 / the "
                                "channel failed ",
                                channel.consecutive_failures,
                                " times in a row and is not retried; fix it and run rectify "
                                "notify test");
    ++pass.failed;
    return record(false, "", now);
  }
  if (!due.notice.urgent) {
    const absl::CivilMinute local = absl::ToCivilMinute(now, settings_.time_zone);
    const int minute = local.hour() * 60 + local.minute();
    if (options_.quiet.Contains(minute)) {
      // Until the quiet hours end: today's end, or tomorrow's when they run past midnight.
      absl::CivilMinute end = absl::CivilMinute(absl::CivilDay(local)) + options_.quiet.end_minute;
      if (end <= local) end += 24 * 60;
      d.next_attempt_time = absl::FromCivil(end, settings_.time_zone);
      ++pass.deferred;
      return store_->Write([&](WriteTxn& tx) { return tx.UpdateDelivery(d); });
    }
  }
  const std::vector<std::unique_ptr<RateLimiter>>& limiters =
      limiters_[static_cast<ChannelKind>(static_cast<int>(channel.kind))];
  absl::Time slot = now;
  for (const auto& limiter : limiters) slot = std::max(slot, limiter->NextSlot(channel.id, now));
  if (slot > now) {
    d.next_attempt_time = slot;
    ++pass.deferred;
    return store_->Write([&](WriteTxn& tx) { return tx.UpdateDelivery(d); });
  }

  const Message message = RenderNotice(due.notice, channel.lang, options_.web_url);
  const SendResult result = sender_->Send(ConfigOf(channel), message, d.parts_sent, now);
  for (int i = 0; i < result.parts_sent; ++i) {
    for (const auto& limiter : limiters) limiter->Record(channel.id, now);
  }
  d.parts_sent += result.parts_sent;
  ++d.attempts;
  const absl::Time after = clock_->Now();
  switch (result.outcome) {
    case Outcome::kDelivered:
      d.state = DeliveryState::kSent;
      d.sent_time = after;
      d.last_error.clear();
      ++pass.sent;
      return record(true, "", after);
    case Outcome::kRetry:
    case Outcome::kRateLimited: {
      d.last_error = result.detail;
      if (d.attempts >= options_.max_attempts) {
        d.state = DeliveryState::kFailed;
        ++pass.failed;
      } else {
        d.next_attempt_time = after + std::max(Backoff(d.attempts), result.retry_after);
        ++pass.retried;
      }
      // A rate-limit answer says the channel works; only real failures count against it.
      return record(result.outcome == Outcome::kRateLimited, result.detail, after);
    }
    case Outcome::kRejected:
      d.state = DeliveryState::kFailed;
      d.last_error = result.detail;
      ++pass.failed;
      return record(false, result.detail, after);
  }
  return absl::OkStatus();
}

absl::StatusOr<int> Dispatcher::Record(const Delivery& delivery, bool channel_ok,
                                       const std::string& error, absl::Time now) {
  int failures = 0;
  RETURN_IF_ERROR(store_->Write([&](WriteTxn& tx) -> absl::Status {
    RETURN_IF_ERROR(tx.UpdateDelivery(delivery));
    absl::StatusOr<NotifyChannel> channel = tx.GetChannel(delivery.channel_id);
    if (absl::IsNotFound(channel.status())) return absl::OkStatus();  // deleted meanwhile
    RETURN_IF_ERROR(channel.status());
    failures = channel->consecutive_failures;
    if (error.empty() && !channel_ok) return absl::OkStatus();  // nothing was tried
    if (channel_ok) {
      channel->consecutive_failures = 0;
      channel->last_success_time = now;
    } else {
      ++channel->consecutive_failures;
      channel->last_error = error;
    }
    failures = channel->consecutive_failures;
    return tx.UpdateChannel(*channel);
  }));
  return failures;
}

void Dispatcher::Start() { loop_.Start(); }

void Dispatcher::Stop() { loop_.Stop(); }

void Dispatcher::Wake() { loop_.Wake(); }

DispatchPass Dispatcher::totals() const {
  absl::MutexLock lock(&mu_);
  return totals_;
}

absl::Duration Dispatcher::Pass() {
  if (options_.may_run && !options_.may_run()) return options_.follower_poll;
  absl::Duration sleep = options_.max_sleep;
  absl::StatusOr<DispatchPass> pass = RunPass();
  if (!pass.ok()) {
    std::cerr << "rectifyd: 通知投递失败，稍后重试 / notification pass failed, retrying: "
              << pass.status().message() << "\n";
    return sleep;
  }
  absl::optional<absl::Time> next;
  absl::Status s = store_->Read([&](ReadTxn& tx) -> absl::Status {
    ASSIGN_OR_RETURN(next, tx.NextDeliveryTime());
    return absl::OkStatus();
  });
  if (s.ok() && next.has_value()) {
    sleep = std::min(sleep, std::max(absl::ZeroDuration(), *next - clock_->Now()));
  }
  return sleep;
}

}  // namespace rectify::notify
