// audit verify, audit head, audit list: the audit trail's hash chain (AuditService).
//
// `audit head` prints the head (seq and hash) to keep outside the system; `audit verify --head
// HASH@SEQ` later proves nothing up to it changed. Verify also reconciles (对账) the ledger's rows
// with the chain. With --key-file it reads the entries and checks the chain and every MAC here,
// with the verifier's own copy of the key, instead of trusting the server's verdict on the chain.
// A broken chain or a row that does not match exits with kExitAuditBroken. `audit list` shows
// entries by method and actor: who minted which token (CreateToken), who closed out what with
// which token (AcceptTask), so that what no rule can forbid is at least visible.
#include <algorithm>
#include <chrono>
#include <deque>
#include <functional>
#include <memory>
#include <regex>
#include <string>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/time/time.h"
#include "absl/types/optional.h"
#include "client/commands/commands.h"
#include "client/commands/validators.h"
#include "client/output/format.h"
#include "client/output/table.h"
#include "client/rpc/exit_codes.h"
#include "rectify/v1/audit.grpc.pb.h"
#include "services/audit/audit_key.h"
#include "services/audit/chain_verifier.h"

namespace rectify::client {
namespace {

namespace v1 = rectify::v1;

// Verification reads the whole log: give it at least this long, whatever --timeout says.
constexpr double kMinVerifySeconds = 3600;

// `audit list`: entries whose method (and actor) match, the last `limit` of them.
struct ListOptions {
  std::string method;  // "CreateToken"; empty: every method
  std::string actor;   // the actor's name; empty: everyone
  int64_t after_seq = 0;
  int64_t limit = 100;
};

struct VerifyOptions {
  std::string head;      // HASH@SEQ
  std::string key_file;  // the audit key, to check MACs on this side
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
    case v1::AUDIT_BREACH_NOT_KEYED:
      return Tr(lang, "没有密钥签名", "not keyed");
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

// Deadline for a call that reads the whole log.
void SetLongDeadline(Session& s, grpc::ClientContext* context) {
  const double seconds = std::max(s.options().timeout_seconds, kMinVerifySeconds);
  context->set_deadline(std::chrono::system_clock::now() +
                        std::chrono::duration_cast<std::chrono::milliseconds>(
                            std::chrono::duration<double>(seconds)));
}

AuditEntry FromProto(const v1::AuditEntry& e) {
  AuditEntry out;
  out.seq = e.seq();
  out.time = absl::FromUnixMicros(e.time_micros());
  out.actor = e.actor();
  out.token_id = e.token_id();
  out.method = e.method();
  out.target = e.target();
  out.request = e.request();
  out.before = e.before();
  out.after = e.after();
  out.prev_hash = e.prev_hash();
  out.hash = e.hash();
  out.rows = e.rows();
  out.mac = e.mac();
  return out;
}

v1::AuditBreach ToProto(audit::Breach breach) {
  switch (breach) {
    case audit::Breach::kNone:
      return v1::AUDIT_BREACH_UNSPECIFIED;
    case audit::Breach::kChanged:
      return v1::AUDIT_BREACH_CHANGED;
    case audit::Breach::kRemoved:
      return v1::AUDIT_BREACH_REMOVED;
    case audit::Breach::kInserted:
      return v1::AUDIT_BREACH_INSERTED;
    case audit::Breach::kReordered:
      return v1::AUDIT_BREACH_REORDERED;
    case audit::Breach::kNotKeyed:
      return v1::AUDIT_BREACH_NOT_KEYED;
  }
  return v1::AUDIT_BREACH_UNSPECIFIED;
}

// Reads the log after `after_seq` page by page (a read: retried safely) and hands each entry to
// `visit` in order, until it returns false or the log ends.
grpc::Status ForEachAuditEntry(Session& s, int64_t after_seq,
                               const std::function<bool(const v1::AuditEntry&)>& visit) {
  auto stub = v1::AuditService::NewStub(s.rpc().channel());
  v1::ListAuditEntriesRequest request;
  request.set_after_seq(after_seq);
  request.set_limit(1000);
  for (;;) {
    v1::ListAuditEntriesResponse page;
    grpc::Status status = s.Call([&](grpc::ClientContext* context) {
      SetLongDeadline(s, context);
      page.Clear();
      return stub->ListAuditEntries(context, request, &page);
    });
    if (!status.ok()) return status;
    for (const v1::AuditEntry& e : page.entries()) {
      if (!visit(e)) return grpc::Status::OK;
    }
    if (page.entries_size() < request.limit()) return grpc::Status::OK;
    request.set_after_seq(page.entries(page.entries_size() - 1).seq());
  }
}

// Checks the chain and every MAC on this side; replaces the server's chain verdict in `response`.
grpc::Status VerifyHere(Session& s, const std::string& key,
                        const absl::optional<audit::ExpectedHead>& head,
                        v1::VerifyAuditResponse* response) {
  audit::ChainVerifier verifier(head, key);
  grpc::Status status =
      ForEachAuditEntry(s, 0, [&](const v1::AuditEntry& e) { return verifier.Feed(FromProto(e)); });
  if (!status.ok()) return status;
  const audit::VerifyResult result = verifier.Finish();
  response->set_intact(result.ok());
  response->set_checked(result.checked);
  response->set_first_bad_seq(result.entry_seq);
  response->set_breach(ToProto(result.breach));
  response->set_message(result.message);
  response->clear_last_good();
  if (result.last_seq > 0) {
    response->mutable_last_good()->set_seq(result.last_seq);
    response->mutable_last_good()->set_hash(result.last_hash);
  }
  return grpc::Status::OK;
}

std::string RowsText(Lang lang, const v1::VerifyAuditResponse& r) {
  if (r.rows_match()) {
    return absl::StrCat(
        Tr(lang, "对账一致：", "reconciliation: "), r.rows_checked(),
        Tr(lang, " 行与审计链的最新记录相符\n", " rows match the chain's latest record of each\n"));
  }
  std::string out =
      absl::StrCat(Tr(lang, "对账不符：", "reconciliation failed: "), r.row_findings_total(),
                   Tr(lang, " 行与审计链不符\n", " rows do not match the chain\n"));
  for (const v1::AuditRowFinding& f : r.row_findings())
    absl::StrAppend(&out, "  ", f.message(), "\n");
  if (r.row_findings_total() > r.row_findings_size()) {
    absl::StrAppend(&out, Tr(lang, "  …（仅列出前 ", "  ... (only the first "),
                    r.row_findings_size(), Tr(lang, " 行）\n", " are listed)\n"));
  }
  return out;
}

int Verify(Session& s, const VerifyOptions& o) {
  v1::VerifyAuditRequest request;
  if (!o.head.empty() && !ParseHead(o.head, request.mutable_expected_head())) {
    return s.FailUsage(
        "--head 须为 HASH@SEQ（audit head 输出的 64 位哈希与序号）/ --head must be HASH@SEQ (the "
        "64-digit hash and seq printed by audit head)");
  }
  std::string key;
  if (!o.key_file.empty()) {
    absl::StatusOr<std::string> loaded = audit::LoadKeyFile(o.key_file);
    if (!loaded.ok()) return s.FailUsage(std::string(loaded.status().message()));
    key = *std::move(loaded);
  }
  if (!s.json()) s.Note(Tr(s.lang(), "正在核验审计链…", "verifying the audit chain..."));
  v1::VerifyAuditResponse response;
  auto stub = v1::AuditService::NewStub(s.rpc().channel());
  // Reads only: retrying is safe, and verification of a long chain takes its time.
  grpc::Status status = s.Call([&](grpc::ClientContext* context) {
    SetLongDeadline(s, context);
    return stub->VerifyAudit(context, request, &response);
  });
  if (!status.ok()) return s.Fail(status);
  if (!key.empty()) {
    absl::optional<audit::ExpectedHead> head;
    if (request.has_expected_head()) {
      head = audit::ExpectedHead{request.expected_head().seq(), request.expected_head().hash()};
    }
    status = VerifyHere(s, key, head, &response);
    if (!status.ok()) return s.Fail(status);
  }
  s.Show(response, [&] {
    std::string chain;
    if (response.intact()) {
      chain = absl::StrCat(
          Tr(s.lang(), "审计链完整", "the audit chain is intact"), "：",
          Tr(s.lang(), "核验 ", "checked "), response.checked(),
          Tr(s.lang(), " 条，链头 ", " entries, head "), response.last_good().hash(), "@",
          response.last_good().seq(), "\n",
          o.head.empty() ? "" : Tr(s.lang(), "与保存的链头一致\n", "matches the saved head\n"),
          key.empty() ? ""
                      : absl::StrCat(Tr(s.lang(), "密钥 ", "key "), audit::KeyId(key),
                                     Tr(s.lang(), "：", ": "), response.message(), "\n"));
    } else {
      chain = absl::StrCat(Tr(s.lang(), "审计链被破坏", "the audit chain is broken"), "：",
                           Tr(s.lang(), "第 ", "entry "), response.first_bad_seq(),
                           Tr(s.lang(), " 条", ""), BreachLabel(s.lang(), response.breach()), "\n",
                           response.message(), "\n");
    }
    for (int64_t seq : response.restarts()) {
      absl::StrAppend(
          &chain, Tr(s.lang(), "注意：审计链在第 ", "note: the chain was restarted at entry "), seq,
          Tr(s.lang(), " 条重新开始，此前的台账状态无法证明\n",
             "; the ledger before it cannot be proven\n"));
    }
    return chain + RowsText(s.lang(), response);
  });
  return response.intact() && response.rows_match() ? kExitOk : kExitAuditBroken;
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

// "CreateToken" for "CreateToken" and "/rectify.v1.TokenService/CreateToken".
std::string MethodName(const std::string& method) {
  const size_t slash = method.rfind('/');
  return slash == std::string::npos ? method : method.substr(slash + 1);
}

google::protobuf::Timestamp FromMicros(int64_t micros) {
  google::protobuf::Timestamp ts;
  ts.set_seconds(micros / 1000000);
  ts.set_nanos(static_cast<int32_t>(micros % 1000000) * 1000);
  return ts;
}

// The request of an entry as a person reads it: without the {"request": …} wrapper and the
// request_id, which says nothing about what was asked.
std::string RequestText(const std::string& json) {
  static const std::regex kRequestId(R"re("request_id":"[^"]*",?)re");
  std::string text = std::regex_replace(json, kRequestId, "");
  absl::string_view inner = text;
  if (absl::ConsumePrefix(&inner, "{\"request\":") && absl::ConsumeSuffix(&inner, "}")) {
    text = std::string(inner);
  }
  return text;
}

// Keeps the last `o.limit` entries of the log that match; `matched` counts them all.
int List(Session& s, const ListOptions& o) {
  std::deque<v1::AuditEntry> kept;
  int64_t matched = 0;
  grpc::Status status = ForEachAuditEntry(s, o.after_seq, [&](const v1::AuditEntry& e) {
    if (!o.method.empty() && MethodName(e.method()) != MethodName(o.method)) return true;
    if (!o.actor.empty() && e.actor() != o.actor) return true;
    ++matched;
    kept.push_back(e);
    if (static_cast<int64_t>(kept.size()) > o.limit) kept.pop_front();
    return true;
  });
  if (!status.ok()) return s.Fail(status);
  v1::ListAuditEntriesResponse shown;
  for (v1::AuditEntry& e : kept) *shown.add_entries() = std::move(e);
  return s.Show(shown, [&] {
    if (shown.entries().empty()) {
      return std::string(Tr(s.lang(), "（没有符合条件的审计记录）\n", "(no matching entries)\n"));
    }
    Table table({Tr(s.lang(), "序号", "Seq"), Tr(s.lang(), "时间", "Time"),
                 Tr(s.lang(), "操作人", "Actor"), Tr(s.lang(), "令牌", "Token"),
                 Tr(s.lang(), "操作", "Method"), Tr(s.lang(), "对象", "Target"),
                 Tr(s.lang(), "请求", "Request")});
    table.SetAlign(0, Table::Align::kRight).SetAlign(3, Table::Align::kRight).SetMaxWidth(6, 60);
    for (const v1::AuditEntry& e : shown.entries()) {
      table.AddRow({absl::StrCat(e.seq()), FormatTimestamp(FromMicros(e.time_micros()), s.zone()),
                    e.actor(), e.token_id() == 0 ? "—" : absl::StrCat(e.token_id()),
                    MethodName(e.method()), e.target(), RequestText(e.request())});
    }
    std::string out = table.Render();
    if (matched > shown.entries_size()) {
      absl::StrAppend(&out, Tr(s.lang(), "共 ", ""), matched,
                      Tr(s.lang(), " 条符合，只显示最后 ", " entries match; only the last "),
                      shown.entries_size(),
                      Tr(s.lang(), " 条（--limit）\n", " are shown (--limit)\n"));
    }
    return out;
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
        "核验整条审计哈希链，指出第一条被改动、删除、插入或调换的记录，并对账：逐行核对单位、任务、"
        "进展反馈与延期申请 / check the whole hash chain and name the first entry changed, "
        "removed, inserted or reordered; and reconcile every unit, task, progress report and "
        "extension with it");
    cmd->add_option("--head", o->head,
                    "之前保存的链头，证明它之前的记录未变 / a head saved earlier, to prove "
                    "nothing before it changed")
        ->type_name("HASH@SEQ");
    cmd->add_option("--key-file", o->key_file,
                    "审计密钥（与 rectifyd --audit_key_file 相同），在本地逐条核验 MAC / the audit "
                    "key (as rectifyd --audit_key_file), to check every MAC on this side")
        ->type_name("FILE");
    // The spelling of earlier releases keeps working, out of the help (group "" hides it).
    cmd->add_option("--key_file", o->key_file)->group("");
    cmd->footer(
        "链被破坏或对账不符时退出码为 11 / exits with 11 when the chain is broken or a row does "
        "not match\n\n" +
        Examples({"rectify audit verify", "rectify audit verify --head 3f5a…c9@1024",
                  "rectify audit verify --key-file ~/rectify-audit.key"}));
    OnRun(cmd, action, [o](Session& s) { return Verify(s, *o); });
  }
  {
    auto o = std::make_shared<ListOptions>();
    CLI::App* cmd = audit->add_subcommand(
        "list",
        "列出审计记录（谁、何时、用哪个令牌做了什么），可按操作和操作人筛选 / list audit entries "
        "(who did what, when, with which token), filtered by method and actor");
    cmd->add_option("--method", o->method,
                    "只列此操作，如 CreateToken（签发令牌）、AcceptTask（验收销号）/ only this "
                    "method, e.g. CreateToken, AcceptTask")
        ->type_name("METHOD");
    cmd->add_option("--actor", o->actor, "只列此操作人 / only this actor")
        ->type_name("NAME")
        ->check(Utf8Validator());
    cmd->add_option("--after", o->after_seq, "只列此序号之后的 / only entries after this seq")
        ->type_name("SEQ")
        ->check(WholeNumberValidator(0, kNoLimit));
    cmd->add_option("--limit", o->limit,
                    "最多显示最后 N 条（默认 100）/ show at most the last N (default 100)")
        ->type_name("N")
        ->check(WholeNumberValidator(1, 100000));
    cmd->footer(Examples({"rectify audit list --method CreateToken",
                          "rectify audit list --method AcceptTask --actor 纪委书记",
                          "rectify --json audit list --after 1024"}));
    OnRun(cmd, action, [o](Session& s) { return List(s, *o); });
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
