// RETURN_IF_ERROR and ASSIGN_OR_RETURN: Abseil 20220623 does not ship them publicly.
#ifndef RECTIFY_SERVICES_COMMON_STATUS_MACROS_H_
#define RECTIFY_SERVICES_COMMON_STATUS_MACROS_H_

#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

#define RECTIFY_CONCAT_INNER(a, b) a##b
#define RECTIFY_CONCAT(a, b) RECTIFY_CONCAT_INNER(a, b)

#define RETURN_IF_ERROR(expr)                          \
  do {                                                 \
    ::absl::Status _rectify_status = (expr);           \
    if (!_rectify_status.ok()) return _rectify_status; \
  } while (0)

#define RECTIFY_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                                  \
  if (!tmp.ok()) return std::move(tmp).status();      \
  lhs = std::move(tmp).value()

// ASSIGN_OR_RETURN(Task task, tx.GetTask(id));
#define ASSIGN_OR_RETURN(lhs, expr) \
  RECTIFY_ASSIGN_OR_RETURN_IMPL(RECTIFY_CONCAT(_rectify_statusor_, __LINE__), lhs, expr)

#endif  // RECTIFY_SERVICES_COMMON_STATUS_MACROS_H_
