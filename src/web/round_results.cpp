#include "web/round_results.hpp"

namespace gids::web {

StoredRound load_round_results(storage::Database& db, const Assessment& round,
                               const Instrument& instrument, bool include_drafts) {
    StoredRound out;
    out.participants = db.participants_of(round.id);
    const auto stored = db.answers_of_assessment(round.id);
    for (const auto& p : out.participants) {
        ParticipantAnswers pa;
        pa.participant_id = p.id;
        pa.label = p.label;
        pa.submitted = p.submitted_at.has_value();
        if (auto it = stored.find(p.id); it != stored.end())
            for (const auto& [item_id, value] : it->second)
                if (const Item* item = instrument.find_item(item_id))
                    if (auto answer = deserialize_answer(*item, value))
                        pa.answers[item_id] = std::move(*answer);
        out.answers.push_back(std::move(pa));
    }
    out.agreed = db.agreed_of(round.id);
    ResultsOptions options;
    options.include_drafts = include_drafts;
    for (const auto& [item, agreed] : out.agreed)
        if (agreed.first)
            options.agreed[item] = *agreed.first;
    out.results = compute_results(instrument, out.answers, options);
    return out;
}

} // namespace gids::web
