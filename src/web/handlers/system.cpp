// Health, metrics, the language switch, the start page and municipality logos.
#include "web/app.hpp"

namespace gids::web {

void register_system_routes(App& app) {
    app.add("GET", "/healthz", Access::anyone, [](Context& ctx) {
        if (ctx.app.db().ping())
            return Response::text(200, "ok\n");
        return Response::text(503, "database niet bereikbaar\n");
    });

    app.add("GET", "/metrics", Access::anyone, [](Context& ctx) {
        auto& db = ctx.app.db();
        return Response::text(200,
                              ctx.app.metrics().render(
                                  {{"gids_db_pool_in_use", static_cast<double>(db.pool_in_use())},
                                   {"gids_db_pool_size", static_cast<double>(db.pool_size())}}),
                              "text/plain; version=0.0.4; charset=utf-8");
    });

    app.add("GET", "/taal/{lang}", Access::anyone, [](Context& ctx) {
        const std::string lang = ctx.request.param("lang") == "en" ? "en" : "nl";
        ctx.cookies.push_back(
            cookie_header("gids_lang", lang, ctx.app.options().secure_cookies, 365L * 24 * 3600));
        const std::string back = ctx.request.query.get("terug");
        return Response::redirect(is_safe_local_path(back) ? back : "/");
    });

    app.add("GET", "/", Access::anyone, [](Context& ctx) {
        // The start page sends people where they can act.
        if (!ctx.request.cookie("gids_session").empty())
            return Response::redirect("/dashboard");
        return Response::redirect("/inloggen");
    });

    app.add("GET", "/gemeenten/{id}/logo", Access::user, [](Context& ctx) {
        const auto id = parse_id(ctx.request.param("id"));
        if (!id)
            return ctx.app.render_error(ctx, 404);
        if (auto allowed = check_tenant(*ctx.user, *id); !allowed)
            return ctx.app.error_for(ctx, allowed.error());
        auto logo = ctx.app.db().logo(*id);
        if (!logo)
            return ctx.app.render_error(ctx, 404);
        Response r = Response::text(200, std::move(logo->data), logo->content_type);
        r.set_header("Cache-Control", "private, max-age=300");
        return r;
    });
}

} // namespace gids::web
