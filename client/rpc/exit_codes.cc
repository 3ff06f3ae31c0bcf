#include "client/rpc/exit_codes.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace rectify::client {

int ExitCodeFor(grpc::StatusCode code) {
  switch (code) {
    case grpc::StatusCode::OK:
      return kExitOk;
    case grpc::StatusCode::INVALID_ARGUMENT:
    case grpc::StatusCode::OUT_OF_RANGE:
      return kExitInvalidArgument;
    case grpc::StatusCode::NOT_FOUND:
      return kExitNotFound;
    case grpc::StatusCode::ALREADY_EXISTS:
      return kExitAlreadyExists;
    case grpc::StatusCode::FAILED_PRECONDITION:
      return kExitFailedPrecondition;
    case grpc::StatusCode::ABORTED:
      return kExitAborted;
    case grpc::StatusCode::PERMISSION_DENIED:
    case grpc::StatusCode::UNAUTHENTICATED:
      return kExitDenied;
    case grpc::StatusCode::UNAVAILABLE:
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      return kExitUnavailable;
    case grpc::StatusCode::RESOURCE_EXHAUSTED:
      return kExitResourceExhausted;
    default:
      return kExitOther;
  }
}

std::string ExitCodeHelp() {
  return "退出码 / Exit codes:\n"
         "   0  成功 / ok\n"
         "   1  其他错误 / anything else\n"
         "   2  用法错误，未发送请求 / usage error, nothing was sent\n"
         "   3  参数无效 / INVALID_ARGUMENT\n"
         "   4  不存在 / NOT_FOUND\n"
         "   5  已存在 / ALREADY_EXISTS\n"
         "   6  当前状态不允许 / FAILED_PRECONDITION\n"
         "   7  版本冲突，请重新读取后重试 / ABORTED (version conflict: re-read and retry)\n"
         "   8  无权限或未认证 / PERMISSION_DENIED, UNAUTHENTICATED\n"
         "   9  服务器不可达或超时 / UNAVAILABLE, DEADLINE_EXCEEDED\n"
         "  10  超出限制 / RESOURCE_EXHAUSTED\n"
         "  11  审计链被破坏（audit verify）/ the audit chain is broken (audit verify)\n";
}

std::string DescribeCallError(const grpc::Status& status, const std::string& server,
                              double timeout_seconds) {
  switch (status.error_code()) {
    case grpc::StatusCode::UNAVAILABLE:
      // rectifyd's own refusals ("busy", "shutting down") are bilingual; anything else is gRPC
      // failing to connect, in English: say what to check, and where.
      if (status.error_message().find(" / ") != std::string::npos) {
        return absl::StrCat("服务器 ", server, " 暂时不可用 / server ", server,
                            " is unavailable: ", status.error_message());
      }
      return absl::StrCat(
          "无法连接服务器 ", server, "（服务不可用）：请确认 rectifyd 正在运行并监听 ", server,
          "，或用 --server 或 RECTIFY_SERVER 指定正确的地址 / cannot reach ", server,
          ": check that rectifyd is running and listening there, or give "
          "the right address with --server or RECTIFY_SERVER (",
          status.error_message(), ")");
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      return absl::StrFormat("服务器 %s 在 %g 秒内没有响应 / server %s did not answer within %g s",
                             server, timeout_seconds, server, timeout_seconds);
    case grpc::StatusCode::RESOURCE_EXHAUSTED:
      // gRPC itself refuses an oversized message before rectifyd sees it, in English only.
      if (absl::StartsWith(status.error_message(), "Received message larger than max")) {
        return absl::StrCat(
            "请求超过服务器允许的消息大小上限（证明材料过大？）/ the request exceeds the "
            "server's message size limit (evidence too large?): ",
            status.error_message());
      }
      return status.error_message();
    default:
      if (status.error_message().empty()) {
        return absl::StrCat("调用失败（代码 ", static_cast<int>(status.error_code()),
                            "）/ call failed (code ", static_cast<int>(status.error_code()), ")");
      }
      return status.error_message();
  }
}

}  // namespace rectify::client
