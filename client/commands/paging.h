// Following list pages (AIP-158) until the server says there are no more.
#ifndef RECTIFY_CLIENT_COMMANDS_PAGING_H_
#define RECTIFY_CLIENT_COMMANDS_PAGING_H_

#include <set>
#include <string>

#include "client/commands/session.h"
#include "grpcpp/support/status.h"

namespace rectify::client {

// Fetches every page of a list: calls `fetch(context, request, &page)` with request's
// page_token set to each next_page_token in turn, and `merge(page, all)` to append each page to
// `*all`. Stops at an empty token, or at a token seen before (a server bug must not loop
// forever). `all->next_page_token()` is left empty.
//
//   ListTasksResponse all;
//   auto status = FetchAllPages(session, request,
//       [&](grpc::ClientContext* c, const ListTasksRequest& r, ListTasksResponse* p) {
//         return session.rpc().ledger().ListTasks(c, r, p); },
//       [](const ListTasksResponse& p, ListTasksResponse* a) {
//       a->mutable_tasks()->MergeFrom(p.tasks()); }, &all);
template <typename Request, typename Response, typename Fetch, typename Merge>
grpc::Status FetchAllPages(Session& session, Request request, Fetch fetch, Merge merge,
                           Response* all) {
  std::set<std::string> seen;
  while (true) {
    Response page;
    grpc::Status status =
        session.Call([&](grpc::ClientContext* context) { return fetch(context, request, &page); });
    if (!status.ok()) return status;
    merge(page, all);
    const std::string& next = page.next_page_token();
    if (next.empty() || !seen.insert(next).second) break;
    request.set_page_token(next);
  }
  all->clear_next_page_token();
  return grpc::Status::OK;
}

}  // namespace rectify::client

#endif  // RECTIFY_CLIENT_COMMANDS_PAGING_H_
