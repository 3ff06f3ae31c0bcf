#include "services/importer/measure_linker.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "services/importer/internal/utf8_scan.h"

namespace rectify {
namespace {

using importer_internal::CodePoint;
using importer_internal::DecodeAt;

using Bigram = uint64_t;

// The words that decide a link are in the first sentences; reading further only adds noise
// (and time, on very long items).
constexpr size_t kMaxLinkChars = 600;
// The area counts half as much as the problem's own words.
constexpr double kAreaWeight = 0.5;
constexpr double kEpsilon = 1e-9;
// A link needs this many shared bigrams that tell the measures apart, in the problem's own words
// or in its area's name: one shared "学习" is a coincidence, "调研"+"基层" is a match.
constexpr int kMinTellingBigrams = 2;

// Bigrams so common in these reports that they say nothing about which measure is meant.
constexpr absl::string_view kStopBigrams[] = {"进一", "一步", "不够", "还不", "存在",
                                              "问题", "方面", "工作", "有待", "加强"};

char32_t Fold(char32_t cp) {
  if (cp >= 0xFF10 && cp <= 0xFF5A) cp -= 0xFEE0;  // full-width digits and letters
  if (cp >= 'A' && cp <= 'Z') cp += 'a' - 'A';
  return cp;
}

Bigram MakeBigram(char32_t a, char32_t b) { return (static_cast<Bigram>(a) << 32) | b; }

bool IsStopBigram(Bigram b) {
  for (const absl::string_view s : kStopBigrams) {
    const CodePoint first = DecodeAt(s, 0);
    const CodePoint second = DecodeAt(s, first.length);
    if (b == MakeBigram(first.cp, second.cp)) return true;
  }
  return false;
}

// Adds the bigrams of `text` (runs of Han characters, letters and digits) to `out`.
void AddBigrams(absl::string_view text, std::vector<Bigram>* out) {
  char32_t prev = 0;
  size_t i = 0;
  for (size_t chars = 0; i < text.size() && chars < kMaxLinkChars; ++chars) {
    const CodePoint c = DecodeAt(text, i);
    i += c.length;
    const char32_t cp = Fold(c.cp);
    if (!importer_internal::IsHan(cp) && !importer_internal::IsAlnum(cp)) {
      prev = 0;
      continue;
    }
    if (prev != 0) {
      const Bigram b = MakeBigram(prev, cp);
      if (!IsStopBigram(b)) out->push_back(b);
    }
    prev = cp;
  }
}

void Unique(std::vector<Bigram>* v) {
  std::sort(v->begin(), v->end());
  v->erase(std::unique(v->begin(), v->end()), v->end());
}

// Bigram statistics of the measures: which measures hold each bigram, and each measure's size.
class MeasureIndex {
 public:
  explicit MeasureIndex(const std::vector<ImportedMeasure>& measures)
      : count_(measures.size()), norm_(measures.size(), 1.0) {
    for (size_t m = 0; m < measures.size(); ++m) {
      std::vector<Bigram> bigrams;
      AddBigrams(measures[m].text, &bigrams);
      Unique(&bigrams);
      if (!bigrams.empty()) norm_[m] = std::sqrt(static_cast<double>(bigrams.size()));
      for (const Bigram b : bigrams) holders_[b].push_back(static_cast<int>(m));
    }
  }

  // Adds weight x (idf-weighted, length-normalised overlap with each measure) to `scores`, and
  // counts in `hits` the shared bigrams that tell measures apart (held by some, not all).
  void Score(const std::vector<Bigram>& bigrams, double weight, std::vector<double>* scores,
             std::vector<int>* hits) const {
    for (const Bigram b : bigrams) {
      const auto it = holders_.find(b);
      if (it == holders_.end()) continue;
      const double idf =
          std::log((static_cast<double>(count_) + 1.0) / static_cast<double>(it->second.size()));
      const bool telling = count_ == 1 || it->second.size() < count_;
      for (const int m : it->second) {
        (*scores)[m] += weight * idf / norm_[m];
        if (telling) ++(*hits)[m];
      }
    }
  }

 private:
  const size_t count_;
  std::vector<double> norm_;
  absl::flat_hash_map<Bigram, std::vector<int>> holders_;
};

// The best measure for `scores` among those `evidence` allows; see the header for ties.
int Pick(const std::vector<double>& scores, const std::vector<bool>& evidence, size_t area_index) {
  double best = 0;
  for (size_t m = 0; m < scores.size(); ++m) {
    if (evidence[m]) best = std::max(best, scores[m]);
  }
  if (best <= kEpsilon) return -1;
  if (area_index < scores.size() && evidence[area_index] && scores[area_index] >= best - kEpsilon) {
    return static_cast<int>(area_index);
  }
  for (size_t m = 0; m < scores.size(); ++m) {
    if (evidence[m] && scores[m] >= best - kEpsilon) return static_cast<int>(m);
  }
  return -1;
}

}  // namespace

std::vector<int> LinkProblemsToMeasures(const std::vector<ImportedArea>& areas,
                                        const std::vector<ImportedMeasure>& measures) {
  std::vector<int> links;
  if (measures.empty()) {
    for (const ImportedArea& area : areas) links.resize(links.size() + area.problems.size(), -1);
    return links;
  }
  const MeasureIndex index(measures);
  for (size_t a = 0; a < areas.size(); ++a) {
    const ImportedArea& area = areas[a];
    // The area's name speaks for all its problems ("在联系服务群众方面"); its other problems'
    // words do not, or one problem's 责任担当 would pull its neighbours to the same measure.
    std::vector<Bigram> name_bigrams;
    AddBigrams(area.name, &name_bigrams);
    Unique(&name_bigrams);
    std::vector<double> name_scores(measures.size(), 0.0);
    std::vector<int> name_hits(measures.size(), 0);
    index.Score(name_bigrams, kAreaWeight, &name_scores, &name_hits);
    for (const ImportedProblem& p : area.problems) {
      std::vector<Bigram> bigrams;
      AddBigrams(p.text, &bigrams);
      Unique(&bigrams);
      std::vector<double> scores = name_scores;
      std::vector<int> hits(measures.size(), 0);
      index.Score(bigrams, 1.0, &scores, &hits);
      std::vector<bool> evidence(measures.size());
      for (size_t m = 0; m < measures.size(); ++m) {
        evidence[m] = hits[m] >= kMinTellingBigrams || name_hits[m] >= kMinTellingBigrams;
      }
      links.push_back(Pick(scores, evidence, a));
    }
  }
  return links;
}

void LinkDraftProblemsToMeasures(ReviewDraft& draft) {
  const std::vector<int> links = LinkProblemsToMeasures(draft.areas, draft.measures);
  size_t k = 0;
  for (ImportedArea& area : draft.areas) {
    for (ImportedProblem& p : area.problems) p.measure = links[k++];
  }
}

}  // namespace rectify
