// Links each imported problem to the measure (整改措施) it most likely belongs to, so that the
// import can create one draft task per problem with a sensible measure text.
//
// Reports do not say which measure answers which problem, but they reuse words: "联系服务群众"
// in the area, "为群众办实事" in the measure. The score of a (problem, measure) pair is the
// overlap of their character bigrams (runs of Han characters, letters and digits; punctuation
// breaks a run), each shared bigram weighted by how rare it is among the measures (idf), divided
// by the square root of the measure's bigram count so that a long measure does not win by
// length alone. A problem's own text counts fully; its area's name counts half. The other
// problems of its area do not count: they would pull every problem of an area to the measure one
// of them matches.
//
// A link needs evidence: at least two shared bigrams that tell the measures apart (held by some
// measures, not all), in the problem's own words or in its area's name. Without that the problem
// is left unlinked (-1) for the committee to choose, even when a measure scores a little: a
// generic measure ("进一步加强学习，提高认识") shares a word with almost anything, and a wrong
// link is worse than none. Ties: among equally good measures, the one at the same position as
// the problem's area wins, else the first.
//
// Thread safety: pure functions.
#ifndef RECTIFY_SERVICES_IMPORTER_MEASURE_LINKER_H_
#define RECTIFY_SERVICES_IMPORTER_MEASURE_LINKER_H_

#include <vector>

#include "services/importer/review_draft.h"

namespace rectify {

// For each problem in order (area by area, problem by problem), the index into `measures` of
// its measure, or -1. Empty `measures` gives -1 everywhere.
std::vector<int> LinkProblemsToMeasures(const std::vector<ImportedArea>& areas,
                                        const std::vector<ImportedMeasure>& measures);

// Sets ImportedProblem::measure of every problem in `draft` from LinkProblemsToMeasures.
void LinkDraftProblemsToMeasures(ReviewDraft& draft);

}  // namespace rectify

#endif  // RECTIFY_SERVICES_IMPORTER_MEASURE_LINKER_H_
