// libFuzzer target over what rectifyd does with bytes from outside:
//   - input ending with 0x00: the rest is a review document for the importer
//     (ParseReviewDocument, then LinkDraftProblemsToMeasures on what it found);
//   - any other last byte: a short sequence of RPCs. Each is a handler number and a payload that
//     is decoded as that RPC's request proto (invalid protos are dropped, as gRPC would) and run
//     through the real service adapters, RunMutation, the Ledger and a SQLite store on a temp
//     file, so that validation, the state machine and the store see whatever the fuzzer builds,
//     in any order.
// Any crash, sanitizer report, or a handler that answers with an undocumented status (INTERNAL,
// UNKNOWN, DATA_LOSS) is a finding.
//
// The input format is in fuzz_input.h. Seeds: fuzz_seeds writes valid request sequences; run.sh
// adds the importer's test documents. The ledger persists across inputs (that is how sequences
// build up state), so a finding is replayed best together with the inputs before it.
#include <fuzzer/FuzzedDataProvider.h>
#include <grpcpp/grpcpp.h>
#include <stdlib.h>

#include <cstdio>
#include <cstdlib>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "services/api/ledger_service.h"
#include "services/api/notify_service.h"
#include "services/api/org_service.h"
#include "services/api/report_service.h"
#include "services/api/service_context.h"
#include "services/audit/audit_chain.h"
#include "services/common/clock.h"
#include "services/domain/ledger.h"
#include "services/importer/measure_linker.h"
#include "services/importer/review_document.h"
#include "services/store/sqlite/sqlite_store.h"
#include "tests/fuzz/fuzz_input.h"

namespace rectify::fuzz {
namespace {

using Handler = std::function<void(const std::string&)>;

void Check(const grpc::Status& status, const char* method) {
  switch (status.error_code()) {
    case grpc::StatusCode::INTERNAL:
    case grpc::StatusCode::UNKNOWN:
    case grpc::StatusCode::DATA_LOSS:
      std::fprintf(stderr, "%s answered %d: %s\n", method, status.error_code(),
                   status.error_message().c_str());
      std::abort();
    default:
      break;
  }
}

template <typename Service, typename Request, typename Response>
Handler Rpc(Service* service, const char* name,
            grpc::Status (Service::*method)(grpc::ServerContext*, const Request*, Response*)) {
  return [service, name, method](const std::string& bytes) {
    Request request;
    if (!request.ParseFromString(bytes)) return;  // gRPC refuses what does not parse
    grpc::ServerContext context;
    Response response;
    Check((service->*method)(&context, &request, &response), name);
  };
}

// No server runs here, so no token: every call runs as the root committee (unit 1), and the
// permission table still applies (api::ServiceContext::fixed_actor).
Actor FuzzActor() {
  Actor admin;
  admin.name = "fuzz";
  admin.token_id = 1;
  admin.role = Role::kCommittee;
  admin.unit_id = 1;
  admin.unit_path = "/0000000001/";
  return admin;
}

// One ledger for the whole run, seeded so that small ids name real rows: units 1-3, review 1,
// problem 1, tasks 1-2.
class Environment {
 public:
  Environment() : clock_(Start()) {
    const char* tmp = std::getenv("TMPDIR");
    std::string dir =
        std::string(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp") + "/rectify_fuzz_XXXXXX";
    if (mkdtemp(dir.data()) == nullptr) std::abort();
    SqliteOptions options;
    options.path = dir + "/ledger.db";
    options.synchronous = SqliteOptions::Synchronous::kNormal;  // speed; durability is not tested
    options.max_page_count = 25000;                             // ~100 MB, then RESOURCE_EXHAUSTED
    auto store = SqliteStore::Open(options);
    if (!store.ok()) std::abort();
    store_ = std::move(store).value();
    LedgerSettings settings;
    settings.max_evidence_bytes = 64 << 10;
    ledger_ = std::make_unique<Ledger>(store_.get(), &clock_, settings);
    const api::ServiceContext context{ledger_.get(), nullptr, &actor_};
    org_ = std::make_unique<api::OrgServiceImpl>(context);
    tasks_ = std::make_unique<api::LedgerServiceImpl>(context);
    reports_ = std::make_unique<api::ReportServiceImpl>(context);
    // No sender: TestChannel answers FAILED_PRECONDITION instead of reaching the network.
    notify_ = std::make_unique<api::NotifyServiceImpl>(context, nullptr);
    // As rectifyd does at start: without an audit chain every mutation is refused
    // (FAILED_PRECONDITION), and the fuzzer would never get past the first check.
    if (!audit::EnsureChain(*store_, clock_.Now()).ok()) std::abort();
    Seed();
    using api::LedgerServiceImpl;
    using api::OrgServiceImpl;
    auto* t = tasks_.get();
    auto* o = org_.get();
    handlers_.resize(kRpcCount);
    handlers_[kCreateUnit] = Rpc(o, "CreateUnit", &OrgServiceImpl::CreateUnit);
    handlers_[kGetUnit] = Rpc(o, "GetUnit", &OrgServiceImpl::GetUnit);
    handlers_[kListUnits] = Rpc(o, "ListUnits", &OrgServiceImpl::ListUnits);
    handlers_[kRenameUnit] = Rpc(o, "RenameUnit", &OrgServiceImpl::RenameUnit);
    handlers_[kCreateReview] = Rpc(t, "CreateReview", &LedgerServiceImpl::CreateReview);
    handlers_[kGetReview] = Rpc(t, "GetReview", &LedgerServiceImpl::GetReview);
    handlers_[kListReviews] = Rpc(t, "ListReviews", &LedgerServiceImpl::ListReviews);
    handlers_[kCreateRootCause] = Rpc(t, "CreateRootCause", &LedgerServiceImpl::CreateRootCause);
    handlers_[kCreateProblem] = Rpc(t, "CreateProblem", &LedgerServiceImpl::CreateProblem);
    handlers_[kListProblems] = Rpc(t, "ListProblems", &LedgerServiceImpl::ListProblems);
    handlers_[kCreateTask] = Rpc(t, "CreateTask", &LedgerServiceImpl::CreateTask);
    handlers_[kGetTask] = Rpc(t, "GetTask", &LedgerServiceImpl::GetTask);
    handlers_[kListTasks] = Rpc(t, "ListTasks", &LedgerServiceImpl::ListTasks);
    handlers_[kGetTaskHistory] = Rpc(t, "GetTaskHistory", &LedgerServiceImpl::GetTaskHistory);
    handlers_[kStartTask] = Rpc(t, "StartTask", &LedgerServiceImpl::StartTask);
    handlers_[kReportProgress] = Rpc(t, "ReportProgress", &LedgerServiceImpl::ReportProgress);
    handlers_[kSubmitTask] = Rpc(t, "SubmitTask", &LedgerServiceImpl::SubmitTask);
    handlers_[kAcceptTask] = Rpc(t, "AcceptTask", &LedgerServiceImpl::AcceptTask);
    handlers_[kReturnTask] = Rpc(t, "ReturnTask", &LedgerServiceImpl::ReturnTask);
    handlers_[kMarkOngoing] = Rpc(t, "MarkOngoing", &LedgerServiceImpl::MarkOngoing);
    handlers_[kReopenTask] = Rpc(t, "ReopenTask", &LedgerServiceImpl::ReopenTask);
    handlers_[kCancelTask] = Rpc(t, "CancelTask", &LedgerServiceImpl::CancelTask);
    handlers_[kRequestExtension] = Rpc(t, "RequestExtension", &LedgerServiceImpl::RequestExtension);
    handlers_[kDecideExtension] = Rpc(t, "DecideExtension", &LedgerServiceImpl::DecideExtension);
    handlers_[kOverdueReport] =
        Rpc(reports_.get(), "OverdueReport", &api::ReportServiceImpl::OverdueReport);
    using api::NotifyServiceImpl;
    auto* n = notify_.get();
    handlers_[kCreateChannel] = Rpc(n, "CreateChannel", &NotifyServiceImpl::CreateChannel);
    handlers_[kListChannels] = Rpc(n, "ListChannels", &NotifyServiceImpl::ListChannels);
    handlers_[kUpdateChannel] = Rpc(n, "UpdateChannel", &NotifyServiceImpl::UpdateChannel);
    handlers_[kDeleteChannel] = Rpc(n, "DeleteChannel", &NotifyServiceImpl::DeleteChannel);
    handlers_[kTestChannel] = Rpc(n, "TestChannel", &NotifyServiceImpl::TestChannel);
    handlers_[kGetNotifyStatus] = Rpc(n, "GetNotifyStatus", &NotifyServiceImpl::GetNotifyStatus);
  }

  const std::vector<Handler>& handlers() const { return handlers_; }
  FakeClock& clock() { return clock_; }
  // The moment every input starts at, so that an input replays the same times.
  static absl::Time Start() { return absl::FromUnixSeconds(1638320400); }  // 2021-12-01 09:00 +08

 private:
  void Seed() {
    const Actor admin{"fuzz"};
    absl::Status s = store_->Write([&](WriteTxn& tx) -> absl::Status {
      auto root = ledger_->CreateUnit(tx, admin, 0, "党委");
      if (!root.ok()) return root.status();
      auto a = ledger_->CreateUnit(tx, admin, root->id, "一支部");
      if (!a.ok()) return a.status();
      auto b = ledger_->CreateUnit(tx, admin, root->id, "二支部");
      if (!b.ok()) return b.status();
      auto review =
          ledger_->CreateReview(tx, admin, "专题组织生活会", 1, "2021-11-30", root->id, "");
      if (!review.ok()) return review.status();
      auto problem = ledger_->CreateProblem(tx, admin, review->id, "在学习方面", "学习不深入", {});
      if (!problem.ok()) return problem.status();
      NewTask task;
      task.problem_id = problem->id;
      task.measure = "每月集中学习一次";
      task.owner_unit_id = a->id;
      task.owner_person = "张三";
      task.deadline = "2021-12-31";
      auto first = ledger_->CreateTask(tx, admin, task);
      if (!first.ok()) return first.status();
      task.deadline = "";
      task.cadence_days = 30;
      return ledger_->CreateTask(tx, admin, task).status();
    });
    if (!s.ok()) std::abort();
  }

  FakeClock clock_;
  const Actor actor_ = FuzzActor();
  std::unique_ptr<SqliteStore> store_;
  std::unique_ptr<Ledger> ledger_;
  std::unique_ptr<api::OrgServiceImpl> org_;
  std::unique_ptr<api::LedgerServiceImpl> tasks_;
  std::unique_ptr<api::ReportServiceImpl> reports_;
  std::unique_ptr<api::NotifyServiceImpl> notify_;
  std::vector<Handler> handlers_;
};

void ImportDocument(const std::string& bytes) {
  absl::StatusOr<ReviewDraft> draft = ParseReviewDocument(bytes);
  if (draft.ok()) LinkDraftProblemsToMeasures(*draft);
}

}  // namespace
}  // namespace rectify::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static auto* env = new rectify::fuzz::Environment();  // lives for the whole run
  FuzzedDataProvider input(data, size);
  const uint8_t mode = input.ConsumeIntegral<uint8_t>();
  if (mode == 0) {
    rectify::fuzz::ImportDocument(input.ConsumeRemainingBytesAsString());
    return 0;
  }
  const auto& handlers = env->handlers();
  env->clock().Set(rectify::fuzz::Environment::Start());
  for (int call = 0; call < rectify::fuzz::kMaxCallsPerInput && input.remaining_bytes() > 0;
       ++call) {
    const size_t which = input.ConsumeIntegral<uint8_t>() % handlers.size();
    // Time moves a little between calls, so deadlines and windows are crossed too.
    env->clock().Advance(absl::Hours(input.ConsumeIntegralInRange<int>(0, 48)));
    handlers[which](input.ConsumeRandomLengthString(1 << 16));
  }
  return 0;
}
