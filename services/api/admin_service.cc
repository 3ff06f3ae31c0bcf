#include "services/api/admin_service.h"

#include <filesystem>
#include <iostream>
#include <system_error>

#include "services/api/internal/convert.h"
#include "services/api/internal/handler.h"
#include "services/common/errors.h"
#include "services/common/text.h"

namespace rectify::api {
namespace {

// Longest backup path, in characters (PATH_MAX is 4096 bytes).
constexpr size_t kMaxPathChars = 1024;

absl::Status CheckBackupPath(const std::string& path) {
  RETURN_IF_ERROR(CheckText("path", path, 1, kMaxPathChars, /*multiline=*/false));
  if (!std::filesystem::path(path).is_absolute()) {
    return InvalidField("path", "须为服务器上的绝对路径（以 / 开头）",
                        "must be an absolute path on the server (starting with /)");
  }
  return absl::OkStatus();
}

}  // namespace

grpc::Status AdminServiceImpl::Backup(grpc::ServerContext* ctx, const v1::BackupRequest* req,
                                      v1::BackupResponse* resp) {
  return Handle(ctx, __func__, [&](const Actor& actor) -> absl::Status {
    RETURN_IF_ERROR(CheckBackupPath(req->path()));
    std::error_code ec;
    if (!req->force() && std::filesystem::exists(req->path(), ec)) {
      return absl::AlreadyExistsError(absl::StrCat(
          "path: 备份文件 ", req->path(), " 已存在，如需覆盖请加 --force / path: ", req->path(),
          " exists already; add --force to replace it"));
    }
    RETURN_IF_ERROR(ledger_->store()->Backup(req->path()));
    const auto size = std::filesystem::file_size(req->path(), ec);
    resp->set_path(req->path());
    resp->set_size_bytes(ec ? 0 : static_cast<int64_t>(size));
    ToProto(ledger_->Now(), resp->mutable_finish_time());
    std::cerr << "rectifyd: " << actor.name << " 备份了台账 / backed up the ledger to "
              << req->path() << " (" << resp->size_bytes() << " bytes)\n";
    return absl::OkStatus();
  });
}

}  // namespace rectify::api
