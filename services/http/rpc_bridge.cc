#include "services/http/rpc_bridge.h"

#include <grpcpp/support/client_callback.h>

#include <memory>

#include "absl/synchronization/mutex.h"

namespace rectify::http {
namespace {

grpc::ByteBuffer ToBuffer(const std::string& bytes) {
  grpc::Slice slice(bytes);
  return grpc::ByteBuffer(&slice, 1);
}

bool FromBuffer(const grpc::ByteBuffer& buffer, std::string* out) {
  grpc::Slice slice;
  if (!buffer.DumpToSingleSlice(&slice).ok()) return false;
  out->assign(reinterpret_cast<const char*>(slice.begin()), slice.size());
  return true;
}

void AddMetadata(const CallMetadata& metadata, grpc::ClientContext* context) {
  for (const auto& [key, value] : metadata) context->AddMetadata(key, value);
}

// A server-streaming call as a bidi reactor (GenericStub has no other generic streaming call):
// one request, writes done, then one read at a time, each started when the reader asks for the
// next message, so gRPC's flow control holds the server back when the HTTP client is slow.
//
// What the reactions and the reader share lives in a shared_ptr that each reaction holds while it
// runs: the reader may destroy the stream as soon as OnDone has said "done", possibly while
// OnDone is still releasing the mutex.
//
// A hold (AddHold) keeps gRPC from finishing the call while no read is outstanding: between a
// message handed to the reader and the next StartRead, nothing is pending, and without the hold
// OnDone could run and free the call, so that the next StartRead touched a dead call (UBSan:
// "invalid vptr" under ASan). The hold goes when the stream ends (a failed read) or when the
// reader gives up (Cancel: at once if no read is outstanding, else when that read completes,
// whether it failed or, racing the cancellation, still brought a message).
class ReactorStream final : public ServerStream,
                            public grpc::ClientBidiReactor<grpc::ByteBuffer, grpc::ByteBuffer> {
 public:
  ReactorStream(grpc::GenericStub& stub, const std::string& path, const CallMetadata& metadata,
                const std::string& request)
      : request_(ToBuffer(request)), shared_(std::make_shared<Shared>()) {
    AddMetadata(metadata, &context_);
    stub.PrepareBidiStreamingCall(&context_, path, grpc::StubOptions(), this);
    StartWrite(&request_);
    StartWritesDone();
    {
      absl::MutexLock lock(&shared_->mu);
      shared_->read_outstanding = true;
    }
    StartRead(&incoming_);
    AddHold();
    StartCall();
  }

  ~ReactorStream() override {
    Cancel();
    Finish();
  }

  Step Next(std::string* message, absl::Duration wait) override {
    {
      Shared& s = *shared_;
      absl::MutexLock lock(&s.mu);
      auto ready = [&s]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(s.mu) {
        return s.have_message || s.done || s.read_failed;
      };
      if (!s.mu.AwaitWithTimeout(absl::Condition(&ready), wait)) return Step::kTimeout;
      if (!s.have_message) return Step::kDone;
      *message = std::move(s.message);
      s.have_message = false;
      // Cancelled meanwhile: the hold is gone, and the call may be finished.
      if (s.hold_released) return Step::kMessage;
      s.read_outstanding = true;
    }
    // Outside the lock: gRPC may run OnReadDone on this thread.
    StartRead(&incoming_);
    return Step::kMessage;
  }

  void Cancel() override {
    context_.TryCancel();
    bool release = false;
    {
      absl::MutexLock lock(&shared_->mu);
      shared_->cancelled = true;
      if (!shared_->read_outstanding && !shared_->hold_released) {
        shared_->hold_released = true;
        release = true;
      }
    }
    if (release) RemoveHold();
  }

  grpc::Status Finish() override {
    Shared& s = *shared_;
    absl::MutexLock lock(&s.mu);
    s.mu.Await(absl::Condition(&s.done));
    return s.status;
  }

  void OnReadDone(bool ok) override {
    std::string bytes;
    const bool parsed = ok && FromBuffer(incoming_, &bytes);
    if (ok && !parsed) context_.TryCancel();
    const std::shared_ptr<Shared> keep = shared_;
    bool release = false;
    {
      absl::MutexLock lock(&keep->mu);
      keep->read_outstanding = false;
      if (!parsed) {
        keep->read_failed = true;
      } else {
        keep->message = std::move(bytes);
        keep->have_message = true;
      }
      // A read that succeeds although the reader has cancelled meanwhile (the message was on
      // its way when TryCancel ran) must also let go: no one will start another read, and
      // Cancel saw the read outstanding and left the hold to us.
      if ((!parsed || keep->cancelled) && !keep->hold_released) {
        keep->hold_released = true;
        release = true;
      }
    }
    // The stream ended or was given up: let gRPC finish the call (OnDone).
    if (release) RemoveHold();
  }

  void OnDone(const grpc::Status& status) override {
    const std::shared_ptr<Shared> keep = shared_;
    absl::MutexLock lock(&keep->mu);
    keep->status = status;
    keep->done = true;
  }

 private:
  struct Shared {
    absl::Mutex mu;
    std::string message ABSL_GUARDED_BY(mu);
    bool have_message ABSL_GUARDED_BY(mu) = false;
    bool read_failed ABSL_GUARDED_BY(mu) = false;
    bool done ABSL_GUARDED_BY(mu) = false;
    bool read_outstanding ABSL_GUARDED_BY(mu) = false;
    bool hold_released ABSL_GUARDED_BY(mu) = false;
    bool cancelled ABSL_GUARDED_BY(mu) = false;
    grpc::Status status ABSL_GUARDED_BY(mu);
  };

  grpc::ClientContext context_;
  grpc::ByteBuffer request_;
  grpc::ByteBuffer incoming_;
  const std::shared_ptr<Shared> shared_;
};

// The end of a unary call, shared with its callback for the same reason.
struct UnaryDone {
  absl::Mutex mu;
  bool finished ABSL_GUARDED_BY(mu) = false;
  grpc::Status status ABSL_GUARDED_BY(mu);
};

}  // namespace

RpcBridge::RpcBridge(std::shared_ptr<grpc::Channel> channel)
    : channel_(std::move(channel)), stub_(channel_) {}

grpc::Status RpcBridge::Unary(const std::string& grpc_path, const CallMetadata& metadata,
                              const std::string& request, std::string* response,
                              absl::Duration deadline) {
  grpc::ClientContext context;
  AddMetadata(metadata, &context);
  context.set_deadline(std::chrono::system_clock::now() + absl::ToChronoMilliseconds(deadline));
  grpc::ByteBuffer in = ToBuffer(request);
  grpc::ByteBuffer out;
  auto done = std::make_shared<UnaryDone>();
  stub_.UnaryCall(&context, grpc_path, grpc::StubOptions(), &in, &out, [done](grpc::Status s) {
    absl::MutexLock lock(&done->mu);
    done->status = std::move(s);
    done->finished = true;
  });
  grpc::Status status;
  {
    absl::MutexLock lock(&done->mu);
    done->mu.Await(absl::Condition(&done->finished));
    status = done->status;
  }
  if (status.ok() && !FromBuffer(out, response)) {
    return grpc::Status(grpc::StatusCode::INTERNAL, "应答无法读取 / unreadable response");
  }
  return status;
}

std::unique_ptr<ServerStream> RpcBridge::StartStream(const std::string& grpc_path,
                                                     const CallMetadata& metadata,
                                                     const std::string& request) {
  return std::make_unique<ReactorStream>(stub_, grpc_path, metadata, request);
}

}  // namespace rectify::http
