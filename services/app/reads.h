// The reads a front end may ask of the ledger (services/app), each with its reach rule: anything
// outside the caller's subtree answers exactly like something that does not exist (NOT_FOUND
// with the store's message), lists and reports without a unit cover the caller's own unit, and
// the store filters by path prefix so that counts and pages are right.
//
// Thread safety: const methods; the Ledger is thread-safe.
#ifndef RECTIFY_SERVICES_APP_READS_H_
#define RECTIFY_SERVICES_APP_READS_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/optional.h"
#include "services/domain/ledger.h"
#include "services/model/actor.h"

namespace rectify::app {

class LedgerReads {
 public:
  explicit LedgerReads(const Ledger& ledger) : ledger_(ledger) {}

  // The unit a list, report, export or watch covers: the requested one when in reach, the
  // actor's own unit for 0.
  absl::StatusOr<Id> Scope(const Actor& actor, Id requested_unit_id) const;

  // A review named to narrow a list or an export: in reach, or 0 for none.
  absl::Status CheckReviewFilter(const Actor& actor, Id review_id) const;

  absl::StatusOr<OrgUnit> GetUnit(const Actor& actor, Id id) const;
  absl::StatusOr<std::pair<std::vector<OrgUnit>, std::string>> ListUnits(
      const Actor& actor, Id subtree_of, int page_size, const std::string& page_token) const;
  absl::StatusOr<Review> GetReview(const Actor& actor, Id id) const;
  absl::StatusOr<std::pair<std::vector<Review>, std::string>> ListReviews(
      const Actor& actor, Id unit_id, int page_size, const std::string& page_token) const;
  absl::StatusOr<Ledger::ProblemPage> ListProblems(const Actor& actor, Id review_id, int page_size,
                                                   const std::string& page_token) const;
  absl::StatusOr<Task> GetTask(const Actor& actor, Id id) const;
  // `filter.unit_id` is scoped as Scope() says.
  absl::StatusOr<TaskPage> ListTasks(const Actor& actor, TaskFilter filter) const;
  absl::StatusOr<TaskHistory> GetTaskHistory(const Actor& actor, Id id) const;
  // The task's reach first: a file of a task outside the subtree reads like a missing task.
  absl::StatusOr<Evidence> GetEvidence(const Actor& actor, Id task_id, Id evidence_id) const;
  // The review this unit imported from a document with this SHA-256 before, if any; the unit in
  // reach.
  absl::StatusOr<absl::optional<Review>> FindImportedReview(const Actor& actor, Id unit_id,
                                                            const std::string& sha256) const;

 private:
  const Ledger& ledger_;
};

}  // namespace rectify::app

#endif  // RECTIFY_SERVICES_APP_READS_H_
