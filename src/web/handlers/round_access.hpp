#pragma once
// Loading a round for a coordinator: the one place that applies the tenant check to rounds,
// so that a coordinator of another municipality gets "not found".

#include "web/app.hpp"

namespace gids::web {

struct RoundContext {
    Assessment round;
    LibraryEntry instrument;
};

inline Result<RoundContext> load_round(Context& ctx, const std::string& param = "id") {
    const auto id = parse_id(ctx.request.param(param));
    auto round = id ? ctx.app.db().find_assessment(*id) : std::nullopt;
    if (!round)
        return fail(Error::not_found());
    if (auto allowed = check_tenant(*ctx.user, round->municipality_id); !allowed)
        return fail(allowed.error());
    auto instrument = ctx.app.library().get(round->instrument_key, round->instrument_version);
    if (!instrument)
        return fail(Error::internal("Instrument van ronde ontbreekt: " + round->instrument_key));
    // The layout shows the municipality of the round, also to an administrator.
    if (!ctx.municipality || ctx.municipality->id != round->municipality_id)
        ctx.municipality = ctx.app.db().find_municipality(round->municipality_id);
    return RoundContext{std::move(*round), std::move(*instrument)};
}

} // namespace gids::web
