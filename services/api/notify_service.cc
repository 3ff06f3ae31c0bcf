#include "services/api/notify_service.h"

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "services/api/internal/handler.h"
#include "services/app/channels.h"
#include "services/notify/dispatch/render.h"

namespace rectify::api {
namespace {

constexpr int kDefaultDeliveries = 20;
constexpr int kMaxDeliveries = 200;

const char* TopicCode(NoticeTopic topic) {
  switch (topic) {
    case NoticeTopic::kReminder:
      return "reminder";
    case NoticeTopic::kDueSoon:
      return "due_soon";
    case NoticeTopic::kBehindSchedule:
      return "behind_schedule";
    case NoticeTopic::kOverdue:
      return "overdue";
    case NoticeTopic::kEscalated:
      return "escalated";
    case NoticeTopic::kCheckpointMissed:
      return "checkpoint_missed";
    case NoticeTopic::kUrged:
      return "urged";
    case NoticeTopic::kReturned:
      return "returned";
    case NoticeTopic::kClosed:
      return "closed";
    case NoticeTopic::kExtensionDecided:
      return "extension_decided";
    case NoticeTopic::kDigest:
      return "digest";
  }
  return "";
}

absl::Status ChannelToProto(ReadTxn& tx, const NotifyChannel& c, v1::Channel* out) {
  out->set_id(c.id);
  out->set_unit_id(c.unit_id);
  ASSIGN_OR_RETURN(OrgUnit unit, tx.GetUnit(c.unit_id));
  out->set_unit_name(unit.name);
  out->set_kind(static_cast<v1::ChannelKind>(static_cast<int>(c.kind)));
  out->set_name(c.name);
  out->set_url_redacted(notify::Redact(c.url));
  out->set_has_secret(!c.secret.empty());
  out->set_smtp_user(c.user);
  out->set_mail_from(c.from);
  for (const std::string& to : c.to) out->add_mail_to(to);
  out->set_supervision(c.supervision);
  out->set_enabled(c.enabled);
  out->set_lang(c.lang);
  out->set_version(c.version);
  ToProto(c.create_time, out->mutable_create_time());
  out->set_consecutive_failures(c.consecutive_failures);
  out->set_last_error(c.last_error);
  if (c.last_success_time) ToProto(*c.last_success_time, out->mutable_last_success_time());
  return absl::OkStatus();
}

}  // namespace

grpc::Status NotifyServiceImpl::CreateChannel(grpc::ServerContext* ctx,
                                              const v1::CreateChannelRequest* req,
                                              v1::Channel* resp) {
  return Handle(ctx, __func__, [&](const Actor& actor, const char* rpc) -> absl::Status {
    NotifyChannel c;
    c.kind = static_cast<ChannelKind>(static_cast<int>(req->kind()));
    c.name = req->name();
    c.url = req->url();
    c.secret = req->secret();
    c.user = req->smtp_user();
    c.from = req->mail_from();
    c.to.assign(req->mail_to().begin(), req->mail_to().end());
    c.supervision = req->supervision();
    c.lang = req->lang().empty() ? "zh" : req->lang();
    c.create_time = ledger_->Now();
    return RunMutation(
        *ledger_, actor, rpc, req->request_id(), *req, resp, [&](WriteTxn& tx) -> absl::Status {
          ASSIGN_OR_RETURN(NotifyChannel made, app::CreateChannel(tx, actor, req->unit_id(), c));
          return ChannelToProto(tx, made, resp);
        });
  });
}

grpc::Status NotifyServiceImpl::ListChannels(grpc::ServerContext* ctx,
                                             const v1::ListChannelsRequest* req,
                                             v1::ListChannelsResponse* resp) {
  return Handle(ctx, __func__, [&](const Actor& actor) -> absl::Status {
    return ledger_->store()->Read([&](ReadTxn& tx) -> absl::Status {
      ASSIGN_OR_RETURN(OrgUnit unit, app::ChannelScope(tx, actor, req->unit_id()));
      ASSIGN_OR_RETURN(std::vector<NotifyChannel> channels, tx.ListChannels(unit.path));
      for (const NotifyChannel& c : channels) {
        RETURN_IF_ERROR(ChannelToProto(tx, c, resp->add_channels()));
      }
      return absl::OkStatus();
    });
  });
}

grpc::Status NotifyServiceImpl::UpdateChannel(grpc::ServerContext* ctx,
                                              const v1::UpdateChannelRequest* req,
                                              v1::Channel* resp) {
  return Handle(ctx, __func__, [&](const Actor& actor, const char* rpc) -> absl::Status {
    static const std::set<std::string> kFields = {"name",        "url",       "secret",
                                                  "smtp_user",   "mail_from", "mail_to",
                                                  "supervision", "lang",      "enabled"};
    if (req->update_mask().empty()) {
      return InvalidField("update_mask", "须列出要修改的字段", "must name the fields to change");
    }
    for (const std::string& f : req->update_mask()) {
      if (kFields.count(f) == 0) {
        return InvalidField("update_mask", absl::StrCat("不认识的字段“", f, "”"),
                            absl::StrCat("names an unknown field \"", f, "\""));
      }
    }
    app::ChannelPatch patch;
    for (const std::string& f : req->update_mask()) {
      if (f == "name") patch.name = req->name();
      if (f == "url") patch.url = req->url();
      if (f == "secret") patch.secret = req->secret();
      if (f == "smtp_user") patch.user = req->smtp_user();
      if (f == "mail_from") patch.from = req->mail_from();
      if (f == "mail_to") patch.to.emplace(req->mail_to().begin(), req->mail_to().end());
      if (f == "supervision") patch.supervision = req->supervision();
      if (f == "lang") patch.lang = req->lang();
      if (f == "enabled") patch.enabled = req->enabled();
    }
    return RunMutation(
        *ledger_, actor, rpc, req->request_id(), *req, resp, [&](WriteTxn& tx) -> absl::Status {
          ASSIGN_OR_RETURN(NotifyChannel c, app::UpdateChannel(tx, actor, req->id(),
                                                               req->expected_version(), patch));
          return ChannelToProto(tx, c, resp);
        });
  });
}

grpc::Status NotifyServiceImpl::DeleteChannel(grpc::ServerContext* ctx,
                                              const v1::DeleteChannelRequest* req,
                                              v1::Channel* resp) {
  return Handle(ctx, __func__, [&](const Actor& actor, const char* rpc) -> absl::Status {
    return RunMutation(
        *ledger_, actor, rpc, req->request_id(), *req, resp, [&](WriteTxn& tx) -> absl::Status {
          // The answer names the unit, read before the channel goes.
          ASSIGN_OR_RETURN(NotifyChannel c, app::ChannelInReach(tx, actor, req->id()));
          RETURN_IF_ERROR(ChannelToProto(tx, c, resp));
          return app::DeleteChannel(tx, actor, c.id).status();
        });
  });
}

grpc::Status NotifyServiceImpl::TestChannel(grpc::ServerContext* ctx,
                                            const v1::TestChannelRequest* req,
                                            v1::TestChannelResponse* resp) {
  return Handle(ctx, __func__, [&](const Actor& actor) -> absl::Status {
    NotifyChannel c;
    std::string unit_name;
    RETURN_IF_ERROR(ledger_->store()->Read([&](ReadTxn& tx) -> absl::Status {
      ASSIGN_OR_RETURN(c, app::ChannelInReach(tx, actor, req->id()));
      ASSIGN_OR_RETURN(OrgUnit unit, tx.GetUnit(c.unit_id));
      unit_name = unit.name;
      return absl::OkStatus();
    }));
    if (sender_ == nullptr) {
      return absl::FailedPreconditionError(
          "本服务器未启用通知发送 / this server does not send notifications");
    }
    const notify::Message message = notify::RenderTestMessage(c.lang, c.name, unit_name);
    const notify::SendResult result =
        sender_->Send(notify::ConfigOf(c), message, 0, ledger_->Now());
    const bool ok = result.outcome == notify::Outcome::kDelivered;
    resp->set_delivered(ok);
    resp->set_parts(result.parts_total);
    resp->set_detail(ok ? "已送达 / delivered" : result.detail);
    // The outcome is the channel's health too: a test that works lets given-up deliveries be
    // tried again from here on; one that fails is remembered like any failure.
    return ledger_->store()->Write([&](WriteTxn& tx) {
      return app::RecordChannelTest(tx, c.id, ok, result.detail, ledger_->Now());
    });
  });
}

grpc::Status NotifyServiceImpl::GetNotifyStatus(grpc::ServerContext* ctx,
                                                const v1::GetNotifyStatusRequest* req,
                                                v1::NotifyStatus* resp) {
  return Handle(ctx, __func__, [&](const Actor& actor) -> absl::Status {
    int limit = req->page_size() == 0 ? kDefaultDeliveries : req->page_size();
    if (limit < 1 || limit > kMaxDeliveries) {
      return InvalidField("page_size", "须在 0 到 200 之间", "must be between 0 and 200");
    }
    return ledger_->store()->Read([&](ReadTxn& tx) -> absl::Status {
      ASSIGN_OR_RETURN(OrgUnit unit, app::ChannelScope(tx, actor, req->unit_id()));
      ASSIGN_OR_RETURN(std::vector<NotifyChannel> channels, tx.ListChannels(unit.path));
      ASSIGN_OR_RETURN(std::vector<ChannelDeliveryCounts> counts, tx.CountDeliveries(unit.path));
      std::map<Id, ChannelDeliveryCounts> by_channel;
      for (const ChannelDeliveryCounts& k : counts) by_channel[k.channel_id] = k;
      for (const NotifyChannel& c : channels) {
        v1::ChannelStatus* s = resp->add_channels();
        RETURN_IF_ERROR(ChannelToProto(tx, c, s->mutable_channel()));
        const ChannelDeliveryCounts& k = by_channel[c.id];
        s->set_pending(k.pending);
        s->set_sent(k.sent);
        s->set_failed(k.failed);
      }
      absl::optional<DeliveryState> state;
      if (req->failed_only()) state = DeliveryState::kFailed;
      ASSIGN_OR_RETURN(std::vector<DeliveryView> views, tx.ListDeliveries(unit.path, state, limit));
      for (const DeliveryView& v : views) {
        v1::DeliveryRecord* r = resp->add_deliveries();
        r->set_notice_id(v.delivery.notice_id);
        r->set_channel_id(v.delivery.channel_id);
        r->set_channel_name(v.channel_name);
        r->set_topic(TopicCode(v.topic));
        r->set_task_id(v.task_id);
        r->set_state(static_cast<v1::DeliveryState>(static_cast<int>(v.delivery.state)));
        r->set_attempts(v.delivery.attempts);
        r->set_last_error(v.delivery.last_error);
        ToProto(v.notice_time, r->mutable_notice_time());
        if (v.delivery.state == DeliveryState::kPending) {
          ToProto(v.delivery.next_attempt_time, r->mutable_next_attempt_time());
        }
        if (v.delivery.sent_time) ToProto(*v.delivery.sent_time, r->mutable_sent_time());
      }
      return absl::OkStatus();
    });
  });
}

}  // namespace rectify::api
