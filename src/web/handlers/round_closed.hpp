#pragma once
// What a participant gets when they send answers to a round that has closed in the meantime,
// from the step pages, the review page or the live meeting page: a page that says so and
// leads back to their own page, where they can still read their answers.

#include "web/app.hpp"

namespace gids::web {

inline Response round_closed_page(Context& ctx, const std::string& token) {
    Data d;
    d.set("heading", ctx.t("round_closed_title"));
    d.set("text", ctx.t("round_closed_text"));
    std::string own_page = "/i/";
    own_page.append(token);
    d.set("back", own_page);
    return ctx.app.page(ctx, "participate/problem", ctx.t("round_closed_title"), d, 409);
}

} // namespace gids::web
