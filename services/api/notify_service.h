// NotifyService (notify.proto): the notification channels of the units, a test message, and the
// state of the deliveries. Channel URLs and secrets come in and never go out: responses carry
// them redacted (notify::Redact), and the audit trail records the requests with them redacted.
//
// Thread safety: holds only pointers to thread-safe objects; safe to call concurrently.
#ifndef RECTIFY_SERVICES_API_NOTIFY_SERVICE_H_
#define RECTIFY_SERVICES_API_NOTIFY_SERVICE_H_

#include "rectify/v1/notify.grpc.pb.h"
#include "services/api/service_context.h"
#include "services/domain/ledger.h"
#include "services/notify/channels/channel.h"

namespace rectify::api {

class NotifyServiceImpl final : public ServiceAdapter<v1::NotifyService> {
 public:
  // sender: what TestChannel sends with; nullptr answers it FAILED_PRECONDITION.
  NotifyServiceImpl(const ServiceContext& context, notify::Sender* sender)
      : ServiceAdapter(context), sender_(sender) {}

  grpc::Status CreateChannel(grpc::ServerContext* ctx, const v1::CreateChannelRequest* req,
                             v1::Channel* resp) override;
  grpc::Status ListChannels(grpc::ServerContext* ctx, const v1::ListChannelsRequest* req,
                            v1::ListChannelsResponse* resp) override;
  grpc::Status UpdateChannel(grpc::ServerContext* ctx, const v1::UpdateChannelRequest* req,
                             v1::Channel* resp) override;
  grpc::Status DeleteChannel(grpc::ServerContext* ctx, const v1::DeleteChannelRequest* req,
                             v1::Channel* resp) override;
  grpc::Status TestChannel(grpc::ServerContext* ctx, const v1::TestChannelRequest* req,
                           v1::TestChannelResponse* resp) override;
  grpc::Status GetNotifyStatus(grpc::ServerContext* ctx, const v1::GetNotifyStatusRequest* req,
                               v1::NotifyStatus* resp) override;

 private:
  notify::Sender* const sender_;
};

}  // namespace rectify::api

#endif  // RECTIFY_SERVICES_API_NOTIFY_SERVICE_H_
