// The municipality dashboard: the coordinator's home page.
#include "web/app.hpp"

namespace gids::web {

void register_dashboard_routes(App& app) {
    app.add("GET", "/dashboard", Access::user, [](Context& ctx) {
        if (ctx.user->role == Role::admin)
            return Response::redirect("/beheer/gemeenten");
        if (!ctx.user->municipality_id)
            return ctx.app.render_error(ctx, 403);
        return Response::redirect("/gemeenten/" + std::to_string(*ctx.user->municipality_id));
    });

    app.add("GET", "/gemeenten/{id}", Access::user, [](Context& ctx) {
        const auto id = parse_id(ctx.request.param("id"));
        if (!id)
            return ctx.app.render_error(ctx, 404);
        if (auto allowed = check_tenant(*ctx.user, *id); !allowed)
            return ctx.app.error_for(ctx, allowed.error());
        auto& db = ctx.app.db();
        auto m = db.find_municipality(*id);
        if (!m)
            return ctx.app.render_error(ctx, 404);
        Data d;
        d.set("id", std::to_string(m->id));
        d.set("name", m->name);
        d.set("cbs_code", m->cbs_code);
        d.set("region", m->region);
        d.set("has_logo", m->has_logo);
        List coordinators;
        for (const auto& u : db.users_of_municipality(m->id)) {
            if (u.disabled)
                continue;
            Data c;
            c.set("name", u.name.empty() ? u.email : u.name);
            c.set("email", u.email);
            c.set("is_me", u.id == ctx.user->id);
            coordinators.push_back(c);
        }
        d.set("coordinators", coordinators);
        List activity;
        for (const auto& e : db.list_audit(8, 0, m->id)) {
            Data a;
            a.set("at", format_time(e.at));
            a.set("user", e.user_email.empty() ? "-" : e.user_email);
            a.set("action", ctx.t("audit_" + e.action));
            activity.push_back(a);
        }
        d.set("activity", activity);
        d.set("has_activity", !activity.empty());
        // The layout shows the municipality being viewed, also to an administrator.
        ctx.municipality = *m;
        return ctx.app.page(ctx, "dashboard/municipality", m->name, d);
    });
}

} // namespace gids::web
