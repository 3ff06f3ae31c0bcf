// The audit trail's hash chain (services/audit/): the canonical encoding, appends over a real
// SQLite store, and the verifier's verdict on every kind of tampering, fed entry by entry.
#include "services/audit/audit_chain.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "services/audit/audit_key.h"
#include "services/audit/chain_verifier.h"
#include "services/audit/reconcile.h"
#include "services/audit/row_state.h"
#include "services/common/status_macros.h"
#include "tests/unit/store_conformance.h"
#include "tests/unit/store_test_support.h"

namespace rectify {
namespace {

using audit::Breach;
using audit::ChainVerifier;
using testing_support::AllBackends;
using testing_support::BackendName;
using testing_support::StoreTest;
using testing_support::T0;

AuditEntry Change(int i) {
  AuditEntry e;
  e.time = absl::FromUnixSeconds(1640995200 + i);
  e.actor = "张三";
  e.token_id = 7;
  e.method = "StartTask";
  e.target = absl::StrCat("task/", i);
  e.request = absl::StrCat(R"({"request":{"id":)", i, "}}");
  e.before = R"({"status":"OPEN"})";
  e.after = R"({"status":"IN_PROGRESS"})";
  return e;
}

// A well-formed chain of n entries (genesis first), built without a store.
std::vector<AuditEntry> Chain(int n) {
  std::vector<AuditEntry> chain;
  std::string prev = audit::ZeroHash();
  for (int i = 1; i <= n; ++i) {
    AuditEntry e = Change(i);
    e.seq = i;
    e.prev_hash = prev;
    e.hash = audit::ComputeHash(e);
    prev = e.hash;
    chain.push_back(e);
  }
  return chain;
}

audit::VerifyResult Verify(const std::vector<AuditEntry>& chain,
                           absl::optional<audit::ExpectedHead> head = absl::nullopt) {
  ChainVerifier v(head);
  for (const AuditEntry& e : chain) {
    if (!v.Feed(e)) break;
  }
  return v.Finish();
}

TEST(AuditEncodingTest, LengthPrefixesKeepFieldBoundaries) {
  AuditEntry a = Change(1);
  AuditEntry b = a;
  a.actor = "张三";
  a.method = "StartTask";
  b.actor = "张三Start";
  b.method = "Task";
  EXPECT_NE(audit::CanonicalEncoding(a), audit::CanonicalEncoding(b));
  EXPECT_NE(audit::ComputeHash(a), audit::ComputeHash(b));
}

TEST(AuditEncodingTest, HashCoversEveryField) {
  const AuditEntry base = Chain(1).front();
  const std::string h = audit::ComputeHash(base);
  std::vector<AuditEntry> variants(10, base);
  variants[0].seq = 2;
  variants[1].time += absl::Microseconds(1);
  variants[2].actor = "李四";
  variants[3].token_id = 8;
  variants[4].method = "CancelTask";
  variants[5].target = "task/2";
  variants[6].request = "{}";
  variants[7].before = "";
  variants[8].after = "{}";
  variants[9].prev_hash = std::string(64, '1');
  for (const AuditEntry& v : variants) EXPECT_NE(audit::ComputeHash(v), h);
}

TEST(ChainVerifierTest, IntactChainChecksEveryEntry) {
  const audit::VerifyResult r = Verify(Chain(5));
  EXPECT_TRUE(r.ok()) << r.message;
  EXPECT_EQ(r.checked, 5);
  EXPECT_EQ(r.last_seq, 5);
}

TEST(ChainVerifierTest, ChangedContentIsNamed) {
  auto chain = Chain(6);
  chain[2].after = R"({"status":"CLOSED"})";
  const audit::VerifyResult r = Verify(chain);
  EXPECT_EQ(r.breach, Breach::kChanged);
  EXPECT_EQ(r.entry_seq, 3);
  EXPECT_NE(r.message.find("第 3 条"), std::string::npos) << r.message;
}

TEST(ChainVerifierTest, ChangedEntryWithRecomputedHashIsNamed) {
  auto chain = Chain(6);
  chain[2].after = R"({"status":"CLOSED"})";
  chain[2].hash = audit::ComputeHash(chain[2]);
  const audit::VerifyResult r = Verify(chain);
  EXPECT_EQ(r.breach, Breach::kChanged);
  EXPECT_EQ(r.entry_seq, 3);
}

TEST(ChainVerifierTest, GapIsARemovedEntry) {
  auto chain = Chain(6);
  chain.erase(chain.begin() + 3);
  const audit::VerifyResult r = Verify(chain);
  EXPECT_EQ(r.breach, Breach::kRemoved);
  EXPECT_EQ(r.entry_seq, 4);
}

TEST(ChainVerifierTest, RemovedAndRenumberedIsARemovedEntry) {
  auto chain = Chain(6);
  chain.erase(chain.begin() + 3);
  for (size_t i = 3; i < chain.size(); ++i) chain[i].seq = static_cast<int64_t>(i) + 1;
  const audit::VerifyResult r = Verify(chain);
  EXPECT_EQ(r.breach, Breach::kRemoved);
  EXPECT_EQ(r.entry_seq, 4);
}

TEST(ChainVerifierTest, ForgedInsertedEntryIsNamed) {
  auto chain = Chain(6);
  AuditEntry forged = Change(99);
  forged.seq = 4;
  forged.prev_hash = chain[2].hash;
  forged.hash = audit::ComputeHash(forged);
  chain.insert(chain.begin() + 3, forged);
  for (size_t i = 4; i < chain.size(); ++i) chain[i].seq = static_cast<int64_t>(i) + 1;
  const audit::VerifyResult r = Verify(chain);
  EXPECT_EQ(r.breach, Breach::kInserted);
  EXPECT_EQ(r.entry_seq, 4);
}

TEST(ChainVerifierTest, SwappedEntriesAreNamed) {
  auto chain = Chain(6);
  std::swap(chain[2], chain[3]);
  chain[2].seq = 3;
  chain[3].seq = 4;
  const audit::VerifyResult r = Verify(chain);
  EXPECT_EQ(r.breach, Breach::kReordered);
  EXPECT_EQ(r.entry_seq, 3);
}

TEST(ChainVerifierTest, RewrittenChainIsCaughtByTheSavedHead) {
  const auto original = Chain(6);
  const audit::ExpectedHead head{5, original[4].hash};
  // Rewrite entry 2 and recompute every hash after it: self-consistent, but not the chain that
  // was saved.
  auto chain = original;
  chain[1].actor = "李四";
  for (size_t i = 1; i < chain.size(); ++i) {
    chain[i].prev_hash = chain[i - 1].hash;
    chain[i].hash = audit::ComputeHash(chain[i]);
  }
  EXPECT_TRUE(Verify(chain).ok());
  const audit::VerifyResult r = Verify(chain, head);
  EXPECT_EQ(r.breach, Breach::kChanged);
  EXPECT_EQ(r.entry_seq, 5);
  EXPECT_TRUE(Verify(original, head).ok());
}

TEST(ChainVerifierTest, ChainShorterThanTheSavedHeadLostItsTail) {
  auto chain = Chain(6);
  const audit::ExpectedHead head{6, chain[5].hash};
  chain.pop_back();
  const audit::VerifyResult r = Verify(chain, head);
  EXPECT_EQ(r.breach, Breach::kRemoved);
  EXPECT_EQ(r.entry_seq, 6);
}

// Chain(n) with entries from `from` on carrying a MAC under `key`, hashes recomputed.
std::vector<AuditEntry> KeyedChain(int n, int from, const std::string& key) {
  std::vector<AuditEntry> chain = Chain(n);
  for (AuditEntry& e : chain) {
    if (e.seq >= from) e.mac = audit::EntryMac(key, e);
  }
  return chain;
}

const std::string kKey(40, 'k');

TEST(KeyedChainTest, KeyedEntriesVerifyAndOlderUnkeyedOnesAreAccepted) {
  ChainVerifier v(absl::nullopt, kKey);
  for (const AuditEntry& e : KeyedChain(6, 3, kKey)) ASSERT_TRUE(v.Feed(e));
  const audit::VerifyResult r = v.Finish();
  EXPECT_TRUE(r.ok()) << r.message;
  EXPECT_EQ(r.keyed, 4);
  EXPECT_EQ(r.first_keyed_seq, 3);
}

TEST(KeyedChainTest, WellFormedEntryAppendedWithoutTheKeyIsNamed) {
  std::vector<AuditEntry> chain = KeyedChain(5, 1, kKey);
  AuditEntry forged = Change(6);  // the attacker knows the algorithm, not the key
  forged.seq = 6;
  forged.prev_hash = chain.back().hash;
  forged.hash = audit::ComputeHash(forged);
  chain.push_back(forged);
  EXPECT_TRUE(Verify(chain).ok());  // the chain alone cannot tell
  ChainVerifier v(absl::nullopt, kKey);
  for (const AuditEntry& e : chain) {
    if (!v.Feed(e)) break;
  }
  const audit::VerifyResult r = v.Finish();
  EXPECT_EQ(r.breach, Breach::kNotKeyed);
  EXPECT_EQ(r.entry_seq, 6);
}

TEST(KeyedChainTest, RewrittenChainWithAnotherKeyIsCaughtWithoutAKeptHead) {
  std::vector<AuditEntry> chain = KeyedChain(6, 1, kKey);
  // Rewrite entry 4 and recompute every hash after it, MACs under the attacker's own key.
  chain[3].actor = "李四";
  for (size_t i = 3; i < chain.size(); ++i) {
    chain[i].prev_hash = chain[i - 1].hash;
    chain[i].hash = audit::ComputeHash(chain[i]);
    chain[i].mac = audit::EntryMac(std::string(40, 'x'), chain[i]);
  }
  EXPECT_TRUE(Verify(chain).ok());
  ChainVerifier v(absl::nullopt, kKey);
  for (const AuditEntry& e : chain) {
    if (!v.Feed(e)) break;
  }
  const audit::VerifyResult r = v.Finish();
  EXPECT_EQ(r.breach, Breach::kChanged);
  EXPECT_EQ(r.entry_seq, 4);
}

TEST(KeyedChainTest, AChainWithoutAnyMacFailsAKeyedCheck) {
  ChainVerifier v(absl::nullopt, kKey);
  for (const AuditEntry& e : Chain(3)) ASSERT_TRUE(v.Feed(e));
  EXPECT_EQ(v.Finish().breach, Breach::kNotKeyed);
}

TEST(ChainVerifierTest, EmptyLogIsARemovedChain) {
  ChainVerifier v;
  const audit::VerifyResult r = v.Finish();
  EXPECT_EQ(r.breach, Breach::kRemoved);
  EXPECT_EQ(r.entry_seq, 1);
}

// On both stores (the conformance suite): the chain is kept by the store's rows.
class AuditStoreTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (HasFatalFailure()) return;
    OpenStore();
  }
};

TEST_P(AuditStoreTest, AppendRefusesAnEmptyLogInsteadOfStartingAChain) {
  const absl::Status s = store_->Write(
      [&](WriteTxn& tx) -> absl::Status { return audit::Append(tx, Change(1)).status(); });
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition) << s;
  int64_t count = -1;
  ASSERT_OK(store_->Read([&](ReadTxn& tx) -> absl::Status {
    ASSIGN_OR_RETURN(count, tx.CountAuditEntries());
    return absl::OkStatus();
  }));
  EXPECT_EQ(count, 0);
}

TEST_P(AuditStoreTest, EnsureChainStartsWithGenesisAndBaselineOnce) {
  ASSERT_OK(audit::EnsureChain(*store_, T0()));
  ASSERT_OK(audit::EnsureChain(*store_, T0() + absl::Hours(1)));
  std::vector<AuditEntry> entries;
  ASSERT_OK(store_->Read([&](ReadTxn& tx) -> absl::Status {
    ASSIGN_OR_RETURN(entries, tx.ListAuditEntries(0, 10));
    return absl::OkStatus();
  }));
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0].method, audit::kGenesisMethod);
  EXPECT_EQ(entries[0].prev_hash, audit::ZeroHash());
  EXPECT_EQ(entries[1].method, audit::kBaselineMethod);
  EXPECT_EQ(entries[1].prev_hash, entries[0].hash);
  ASSERT_OK(store_->Write([&](WriteTxn& tx) -> absl::Status {
    ASSIGN_OR_RETURN(AuditEntry written, audit::Append(tx, Change(1)));
    EXPECT_EQ(written.seq, 3);
    EXPECT_EQ(written.prev_hash, entries[1].hash);
    EXPECT_EQ(written.hash, audit::ComputeHash(written));
    return absl::OkStatus();
  }));
}

// Entries written before row states existed keep their v1 encoding; a chain that mixes them
// with newer ones verifies, and a chain without a baseline gets one at the next start.
TEST_P(AuditStoreTest, OldEntriesStillVerifyAndGetABaseline) {
  std::vector<AuditEntry> old = Chain(3);
  ASSERT_OK(store_->Write([&](WriteTxn& tx) -> absl::Status {
    for (const AuditEntry& e : old) RETURN_IF_ERROR(tx.AppendAuditEntry(e));
    return absl::OkStatus();
  }));
  ASSERT_OK(audit::EnsureChain(*store_, T0()));
  ASSERT_OK_AND_ASSIGN(audit::AuditReport report,
                       audit::VerifyAndReconcile(*store_, absl::nullopt));
  EXPECT_TRUE(report.chain.ok()) << report.chain.message;
  EXPECT_EQ(report.chain.checked, 4);
  EXPECT_TRUE(report.rows.ok());
}

TEST_P(AuditStoreTest, RowStatesAreCoveredByTheHash) {
  AuditEntry e = Change(1);
  e.seq = 2;
  e.prev_hash = audit::ZeroHash();
  const std::string without = audit::ComputeHash(e);
  e.rows = "task/1 " + std::string(64, 'a') + "\n";
  const std::string with = audit::ComputeHash(e);
  EXPECT_NE(without, with);
  e.rows = "task/1 " + std::string(64, 'b') + "\n";
  EXPECT_NE(audit::ComputeHash(e), with);
}

TEST_P(AuditStoreTest, RowDeletedThroughTheServerIsNotGoneButOneDeletedByHandIs) {
  AuditEntry deleted = Change(1);
  deleted.seq = 5;
  deleted.rows = std::string("task/9 ") + audit::kDeletedRow + "\n";
  AuditEntry recorded = Change(2);
  recorded.seq = 6;
  recorded.rows = "task/10 " + std::string(64, 'a') + "\n";
  audit::Reconciler reconciler;
  reconciler.Feed(deleted);
  reconciler.Feed(recorded);
  ASSERT_OK(store_->Read([&](ReadTxn& tx) -> absl::Status {
    ASSIGN_OR_RETURN(audit::ReconcileResult r, reconciler.Finish(tx));
    EXPECT_EQ(r.findings_total, 1);
    if (r.findings_total == 1) {
      EXPECT_EQ(r.findings[0].row, "task/10");
      EXPECT_EQ(r.findings[0].kind, audit::RowFinding::Kind::kRowGone);
      EXPECT_EQ(r.findings[0].entry_seq, 6);
    }
    return absl::OkStatus();
  }));
}

TEST_P(AuditStoreTest, VerifyChainPagesThroughALongChain) {
  ASSERT_OK(audit::EnsureChain(*store_, T0()));
  for (int i = 0; i < 24; ++i) {
    ASSERT_OK(store_->Write(
        [&](WriteTxn& tx) -> absl::Status { return audit::Append(tx, Change(i)).status(); }));
  }
  std::vector<int64_t> progress;
  ASSERT_OK_AND_ASSIGN(audit::VerifyResult r,
                       audit::VerifyChain(
                           *store_, absl::nullopt, [&](int64_t n) { progress.push_back(n); }, 10));
  EXPECT_TRUE(r.ok()) << r.message;
  EXPECT_EQ(r.checked, 26);
  EXPECT_EQ(progress, (std::vector<int64_t>{10, 20, 26}));
}

TEST_P(AuditStoreTest, TakenSeqIsRefused) {
  ASSERT_OK(audit::EnsureChain(*store_, T0()));
  AuditEntry dup = Change(1);
  dup.seq = 1;
  dup.prev_hash = audit::ZeroHash();
  dup.hash = audit::ComputeHash(dup);
  const absl::Status s = store_->Write([&](WriteTxn& tx) { return tx.AppendAuditEntry(dup); });
  EXPECT_FALSE(s.ok());
}

INSTANTIATE_TEST_SUITE_P(Stores, AuditStoreTest, AllBackends(), BackendName);

}  // namespace
}  // namespace rectify
