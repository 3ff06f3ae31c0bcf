// audit verify, audit head: the audit trail's hash chain (AuditService).
//
// `audit head` prints the head (seq and hash) to keep outside the system; `audit verify --head
// HASH@SEQ` later proves nothing up to it changed. A broken chain exits with kExitAuditBroken.
#include <algorithm>
#include <chrono>
#include <memory>
#include <string>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "client/commands/commands.h"
#include "client/output/format.h"
#include "client/rpc/exit_codes.h"
#include "rectify/v1/audit.grpc.pb.h"

namespace rectify::client {
namespace {

namespace v1 = rectify::v1;

// Verification reads the whole log: give it at least this long, whatever --timeout says.
constexpr double kMinVerifySeconds = 3600;

struct VerifyOptions {
  std::string head;  // HASH@SEQ
};

const char* BreachLabel(Lang lang, v1::AuditBreach breach) {
  switch (breach) {
    case v1::AUDIT_BREACH_CHANGED:
      return Tr(lang, "被改动", "changed");
    case v1::AUDIT_BREACH_REMOVED:
      return Tr(lang, "被删除", "removed");
    case v1::AUDIT_BREACH_INSERTED:
      return Tr(lang, "被插入", "inserted");
    case v1::AUDIT_BREACH_REORDERED:
      return Tr(lang, "被调换顺序", "reordered");
    default:
      return "";
  }
}

// "HASH@SEQ" -> head. False when malformed.
bool ParseHead(const std::string& text, v1::AuditHead* head) {
  const size_t at = text.rfind('@');
  if (at == std::string::npos) return false;
  int64_t seq = 0;
  if (!absl::SimpleAtoi(text.substr(at + 1), &seq) || seq < 1) return false;
  head->set_hash(text.substr(0, at));
  head->set_seq(seq);
  return at == 64;
}

int Verify(Session& s, const VerifyOptions& o) {
  v1::VerifyAuditRequest request;
  if (!o.head.empty() && !ParseHead(o.head, request.mutable_expected_head())) {
    return s.FailUsage(
        "--head 须为 HASH@SEQ（audit head 输出的 64 位哈希与序号）/ --head must be HASH@SEQ (the "
        "64-digit hash and seq printed by audit head)");
  }
  if (!s.json()) s.Note(Tr(s.lang(), "正在核验审计链…", "verifying the audit chain..."));
  v1::VerifyAuditResponse response;
  auto stub = v1::AuditService::NewStub(s.rpc().channel());
  // Reads only: retrying is safe, and verification of a long chain takes its time.
  grpc::Status status = s.Call([&](grpc::ClientContext* context) {
    const double seconds = std::max(s.options().timeout_seconds, kMinVerifySeconds);
    context->set_deadline(std::chrono::system_clock::now() +
                          std::chrono::duration_cast<std::chrono::milliseconds>(
                              std::chrono::duration<double>(seconds)));
    return stub->VerifyAudit(context, request, &response);
  });
  if (!status.ok()) return s.Fail(status);
  s.Show(response, [&] {
    if (response.intact()) {
      return absl::StrCat(
          Tr(s.lang(), "审计链完整", "the audit chain is intact"), "：",
          Tr(s.lang(), "核验 ", "checked "), response.checked(),
          Tr(s.lang(), " 条，链头 ", " entries, head "), response.last_good().hash(), "@",
          response.last_good().seq(), "\n",
          o.head.empty() ? "" : Tr(s.lang(), "与保存的链头一致\n", "matches the saved head\n"));
    }
    return absl::StrCat(Tr(s.lang(), "审计链被破坏", "the audit chain is broken"), "：",
                        Tr(s.lang(), "第 ", "entry "), response.first_bad_seq(),
                        Tr(s.lang(), " 条", ""), BreachLabel(s.lang(), response.breach()), "\n",
                        response.message(), "\n");
  });
  return response.intact() ? kExitOk : kExitAuditBroken;
}

int Head(Session& s) {
  v1::GetAuditHeadResponse response;
  auto stub = v1::AuditService::NewStub(s.rpc().channel());
  grpc::Status status = s.Call([&](grpc::ClientContext* context) {
    return stub->GetAuditHead(context, v1::GetAuditHeadRequest(), &response);
  });
  if (!status.ok()) return s.Fail(status);
  return s.Show(response, [&] {
    return absl::StrCat(response.head().hash(), "@", response.head().seq(), "\n",
                        Tr(s.lang(), "时间 ", "time "), FormatTimestamp(response.time(), s.zone()),
                        Tr(s.lang(), "，共 ", ", "), response.entry_count(),
                        Tr(s.lang(), " 条记录\n", " entries\n"),
                        Tr(s.lang(),
                           "请把第一行保存在系统之外；日后用 rectify audit verify --head <它> 证明"
                           "此前的记录未被改动\n",
                           "keep the first line outside the system; later, rectify audit verify "
                           "--head <it> proves nothing before it changed\n"));
  });
}

}  // namespace

void AddAuditCommands(CLI::App& app, Action* action) {
  CLI::App* audit = app.add_subcommand("audit", "审计日志 / the audit trail");
  audit->require_subcommand(1);
  {
    auto o = std::make_shared<VerifyOptions>();
    CLI::App* cmd = audit->add_subcommand(
        "verify",
        "核验整条审计哈希链，指出第一条被改动、删除、插入或调换的记录 / check the whole hash "
        "chain and name the first entry changed, removed, inserted or reordered");
    cmd->add_option("--head", o->head,
                    "之前保存的链头，证明它之前的记录未变 / a head saved earlier, to prove "
                    "nothing before it changed")
        ->type_name("HASH@SEQ");
    cmd->footer("链被破坏时退出码为 11 / exits with 11 when the chain is broken\n\n" +
                Examples({"rectify audit verify", "rectify audit verify --head 3f5a…c9@1024"}));
    OnRun(cmd, action, [o](Session& s) { return Verify(s, *o); });
  }
  {
    CLI::App* cmd = audit->add_subcommand(
        "head",
        "显示当前链头（序号与哈希），供在系统外保存 / print the current head to keep "
        "outside the system");
    cmd->footer(Examples({"rectify audit head >> ~/rectify-audit-heads.txt"}));
    OnRun(cmd, action, [](Session& s) { return Head(s); });
  }
}

}  // namespace rectify::client
