#pragma once
// The results of a round, computed from what is stored: used by the results page, the
// exports, the trend and the JSON API alike.

#include "domain/results.hpp"
#include "storage/database.hpp"

namespace gids::web {

struct StoredRound {
    std::vector<Participant> participants;
    std::vector<ParticipantAnswers> answers;
    std::map<std::string, std::pair<std::optional<int>, std::string>> agreed; // score, note
    RoundResults results;
};

StoredRound load_round_results(storage::Database& db, const Assessment& round,
                               const Instrument& instrument, bool include_drafts);

} // namespace gids::web
