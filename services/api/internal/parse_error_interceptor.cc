#include "services/api/internal/parse_error_interceptor.h"

namespace rectify::api {
namespace {

using grpc::experimental::InterceptionHookPoints;

class ParseErrorInterceptor final : public grpc::experimental::Interceptor {
 public:
  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::POST_RECV_MESSAGE) &&
        methods->GetRecvMessage() == nullptr) {
      parse_failed_ = true;
    }
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_STATUS) &&
        parse_failed_ && methods->GetSendStatus().error_code() == grpc::StatusCode::INTERNAL) {
      methods->ModifySendStatus(UnparsableRequestStatus());
    }
    methods->Proceed();
  }

 private:
  bool parse_failed_ = false;
};

}  // namespace

grpc::experimental::Interceptor* ParseErrorInterceptorFactory::CreateServerInterceptor(
    grpc::experimental::ServerRpcInfo* /*info*/) {
  return new ParseErrorInterceptor();
}

grpc::Status UnparsableRequestStatus() {
  return grpc::Status(
      grpc::StatusCode::INVALID_ARGUMENT,
      "请求无法解析：文本字段须为有效的 UTF-8，且数据须为合法的 protobuf 消息 / the request "
      "could not be parsed: text fields must be valid UTF-8 and the bytes a valid protobuf "
      "message");
}

}  // namespace rectify::api
