// Small helpers shared by the service adapters (internal to services/api).
#ifndef RECTIFY_SERVICES_API_INTERNAL_HANDLER_H_
#define RECTIFY_SERVICES_API_INTERNAL_HANDLER_H_

#include <grpcpp/server_context.h>

#include <map>
#include <string>
#include <type_traits>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "rectify/v1/ledger.pb.h"
#include "services/api/internal/call_context.h"
#include "services/api/internal/convert.h"
#include "services/api/internal/status_mapping.h"
#include "services/api/service_context.h"
#include "services/common/errors.h"
#include "services/common/status_macros.h"
#include "services/domain/ledger.h"

namespace rectify::api {

// Counts a call in the gate for as long as it lives.
class GateScope {
 public:
  explicit GateScope(CallGate* gate)
      : gate_(gate), admitted_(gate == nullptr || gate->TryEnter()) {}
  ~GateScope() {
    if (gate_ != nullptr && admitted_) gate_->Leave();
  }
  GateScope(const GateScope&) = delete;
  GateScope& operator=(const GateScope&) = delete;
  bool admitted() const { return admitted_; }

 private:
  CallGate* const gate_;
  const bool admitted_;
};

template <typename Generated>
template <typename Body>
grpc::Status ServiceAdapter<Generated>::Handle(grpc::ServerContext* ctx, const char* rpc,
                                               Body&& body) const {
  GateScope gate(context_.gate);
  if (!gate.admitted()) return ToGrpcStatus(DrainingError());
  const std::string method = absl::StrCat("/", Generated::service_full_name(), "/", rpc);
  absl::StatusOr<Actor> actor = CallerOf(context_, *ctx, method);
  if (!actor.ok()) return ToGrpcStatus(actor.status());
  // A mutation's body also takes the RPC's name: what its audit entry and its request record
  // name, from the same source as the permission check.
  if constexpr (std::is_invocable_v<Body, const Actor&, const char*>) {
    return ToGrpcStatus(body(*actor, rpc));
  } else {
    return ToGrpcStatus(body(*actor));
  }
}

// Fills a Task proto inside a transaction (the owner unit's name comes from the same snapshot).
inline absl::Status FillTask(const Ledger& ledger, ReadTxn& tx, const Task& task, v1::Task* out) {
  ASSIGN_OR_RETURN(OrgUnit unit, tx.GetUnit(task.owner_unit_id));
  ToProto(task, unit.name, ledger.IsOverdueNow(task), out);
  return absl::OkStatus();
}

// Unit names for a batch of tasks read outside a transaction; each unit is read once.
class UnitNames {
 public:
  explicit UnitNames(const Ledger& ledger) : ledger_(ledger) {}
  std::string Get(Id id) {
    auto it = names_.find(id);
    if (it != names_.end()) return it->second;
    absl::StatusOr<OrgUnit> unit = ledger_.GetUnit(id);
    return names_[id] = unit.ok() ? unit->name : "";
  }

 private:
  const Ledger& ledger_;
  std::map<Id, std::string> names_;
};

}  // namespace rectify::api

#endif  // RECTIFY_SERVICES_API_INTERNAL_HANDLER_H_
