#pragma once
// A participant's invitation: the one place that turns an invitation token into the
// participant, their round (open only until its closing date) and its instrument, for the
// participant's pages, the live meeting and the JSON API. Each says "not found" its own way.

#include "storage/crypto.hpp"
#include "web/app.hpp"

#include <optional>
#include <string_view>

namespace gids::web {

struct InvitedRound {
    Participant participant;
    Assessment round;
    LibraryEntry instrument;
};

inline std::optional<InvitedRound> find_invitation(App& app, std::string_view token) {
    if (token.size() < 16 || token.size() > 64)
        return std::nullopt;
    auto& db = app.db();
    auto participant = db.find_participant_by_token(crypto::hash_secret(token));
    auto round = participant ? db.find_assessment(participant->assessment_id) : std::nullopt;
    auto instrument =
        round ? app.library().get(round->instrument_key, round->instrument_version) : std::nullopt;
    if (!participant || !round || !instrument)
        return std::nullopt;
    // Past its closing date a round takes no more answers, as if the coordinator closed it.
    round->open = accepts_answers(*round, today());
    return InvitedRound{std::move(*participant), std::move(*round), std::move(*instrument)};
}

} // namespace gids::web
