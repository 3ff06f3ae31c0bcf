// Browser sessions and one-time sign-in links for the web console, on top of the Store.
//
//   ASSIGN_OR_RETURN(IssuedSession s, StartSession(tx, token_id, now, absl::Hours(12)));
//   // the browser keeps s.secret in an HttpOnly cookie; the HTTP gateway passes it on as
//   // `authorization: Session <secret>`, which Authenticate (tokens.h) accepts like a token.
//
// A session stands for one token: it authenticates as that token while the session is unexpired
// and the token is neither revoked nor expired, judged on every call, so a revoked token's
// sessions die on their next request. Sessions and links are stored only as SHA-256 hashes, in
// the database, so they survive a restart.
//
// Thread safety: free functions; the Store is safe to share.
#ifndef RECTIFY_SERVICES_AUTH_WEB_SESSIONS_H_
#define RECTIFY_SERVICES_AUTH_WEB_SESSIONS_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "services/model/actor.h"
#include "services/store/store.h"

namespace rectify::auth {

// The authorization scheme of a session credential: "Session <secret>".
inline constexpr char kSessionScheme[] = "Session ";

struct IssuedSession {
  WebSession session;
  std::string secret;  // for the cookie; the store keeps only its hash
};

// A new session for token_id, valid for `lifetime`.
absl::StatusOr<IssuedSession> StartSession(WriteTxn& tx, int64_t token_id, absl::Time now,
                                           absl::Duration lifetime);
// Forgets the session of `secret` (sign-out). Unknown secrets are fine: signing out twice works.
absl::Status EndSession(WriteTxn& tx, absl::string_view secret);

// The actor of a live session: UNAUTHENTICATED (the same text as for a bad token) when the
// session is unknown or expired, or its token is revoked or expired.
absl::StatusOr<Actor> AuthenticateSession(Store& store, absl::Time now, absl::string_view secret);

// The anti-CSRF token of a session: derived from its secret (a hash with a fixed label), so the
// server stores nothing more and a page that cannot read the cookie cannot compute it.
std::string CsrfTokenFor(absl::string_view session_secret);

// A one-time sign-in link code for token_id, valid for `lifetime`.
absl::StatusOr<std::string> IssueSigninLink(WriteTxn& tx, int64_t token_id, absl::Time now,
                                            absl::Duration lifetime);
// Uses the link of `code` once: its token's id. FAILED_PRECONDITION (“已失效”) when the code is
// unknown, used already or expired — one answer for all three.
absl::StatusOr<int64_t> UseSigninLink(WriteTxn& tx, absl::string_view code, absl::Time now);

}  // namespace rectify::auth

#endif  // RECTIFY_SERVICES_AUTH_WEB_SESSIONS_H_
