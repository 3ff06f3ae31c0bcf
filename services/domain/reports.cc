// What the reports share: their scope (a unit's subtree) and their date.
#include "services/domain/reports.h"

#include "services/common/civil.h"
#include "services/common/errors.h"
#include "services/common/status_macros.h"

namespace rectify {

AgingBucket AgingBucketOf(int days_overdue) {
  if (days_overdue <= 7) return AgingBucket::k1To7Days;
  if (days_overdue <= 30) return AgingBucket::k8To30Days;
  if (days_overdue <= 90) return AgingBucket::k31To90Days;
  return AgingBucket::kOver90Days;
}

absl::StatusOr<ReportScope> ResolveScope(ReadTxn& tx, Id unit_id) {
  ReportScope scope;
  if (unit_id == 0) return scope;
  if (unit_id < 0) return InvalidField("unit_id", "必须是正整数编号", "must be a positive id");
  ASSIGN_OR_RETURN(OrgUnit unit, tx.GetUnit(unit_id));
  scope.unit_id = unit.id;
  scope.path = unit.path;
  scope.name = unit.name;
  scope.depth = unit.depth;
  return scope;
}

absl::StatusOr<absl::CivilDay> ResolveAsOf(const Ledger& ledger, const std::string& as_of) {
  if (as_of.empty()) return ledger.Today();
  return ParseDay("as_of", as_of);
}

}  // namespace rectify
