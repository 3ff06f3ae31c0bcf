// admin backup: an online backup of the ledger, written by rectifyd on the server
// (AdminService.Backup).
//
// The backup call is not retried: it carries no request_id, and a retry after a lost answer
// would find the file written by the first attempt and be refused. When the answer is lost, look
// at the file (or run again with --force).
#include <algorithm>
#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <system_error>

#include "absl/strings/str_cat.h"
#include "client/commands/commands.h"
#include "client/output/format.h"
#include "client/rpc/exit_codes.h"
#include "rectify/v1/admin.grpc.pb.h"

namespace rectify::client {
namespace {

namespace v1 = rectify::v1;

// A backup copies the whole database: give it at least this long, whatever --timeout says.
constexpr double kMinBackupSeconds = 3600;

struct BackupOptions {
  std::string path;
  bool force = false;
};

int Backup(Session& s, const BackupOptions& o) {
  std::error_code ec;
  const std::filesystem::path absolute = std::filesystem::absolute(o.path, ec);
  if (ec) return s.FailUsage(absl::StrCat(o.path, ": ", ec.message()));
  v1::BackupRequest request;
  request.set_path(absolute.lexically_normal().string());
  request.set_force(o.force);
  v1::BackupResponse response;
  auto stub = v1::AdminService::NewStub(s.rpc().channel());
  auto context = s.rpc().NewContext();
  const double seconds = std::max(s.options().timeout_seconds, kMinBackupSeconds);
  context->set_deadline(std::chrono::system_clock::now() +
                        std::chrono::duration_cast<std::chrono::milliseconds>(
                            std::chrono::duration<double>(seconds)));
  grpc::Status status = stub->Backup(context.get(), request, &response);
  if (!status.ok()) return s.Fail(status);
  return s.Show(response, [&] {
    return absl::StrCat(Tr(s.lang(), "已备份到服务器上的 ", "backed up on the server to "),
                        response.path(), " (", SizeText(response.size_bytes()), ")\n");
  });
}

}  // namespace

void AddAdminCommands(CLI::App& app, Action* action) {
  CLI::App* admin = app.add_subcommand("admin", "服务器管理 / server administration");
  admin->require_subcommand(1);
  {
    auto o = std::make_shared<BackupOptions>();
    CLI::App* cmd = admin->add_subcommand(
        "backup",
        "在线备份台账（服务器照常读写）/ online backup of the ledger while the server runs");
    cmd->add_option("FILE", o->path,
                    "服务器上的备份文件；相对路径按当前目录补全，目录须已存在 / backup file on "
                    "the server; a relative path is completed from the current directory")
        ->required();
    cmd->add_flag("--force", o->force, "覆盖已有文件 / replace an existing file");
    cmd->footer(
        "备份是一致的快照，包含命令开始前已确认的全部写入；先写临时文件再改名。\n"
        "恢复：停止 rectifyd，删除 rectify.db-wal 和 rectify.db-shm，把备份复制为 rectify.db，"
        "再启动。\n/ The backup is one consistent snapshot holding every write acknowledged "
        "before the\ncommand started. Restore: stop rectifyd, remove rectify.db-wal and "
        "rectify.db-shm, copy\nthe backup to rectify.db, start.\n\n" +
        Examples({"rectify admin backup /var/lib/rectify/backups/2021-12-31.db"}));
    OnRun(cmd, action, [o](Session& s) { return Backup(s, *o); });
  }
}

}  // namespace rectify::client
