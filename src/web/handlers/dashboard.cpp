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
        // A coordinator's own municipality came with the session; an administrator's visit
        // reads it.
        auto m = ctx.municipality && ctx.municipality->id == *id ? ctx.municipality
                                                                 : db.find_municipality(*id);
        if (!m)
            return ctx.app.render_error(ctx, 404);
        Data d;
        d.set("id", std::to_string(m->id));
        d.set("name", m->name);
        set_text(d, "cbs_code", m->cbs_code);
        set_text(d, "region", m->region);
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

        List rounds;
        for (const auto& a : db.list_assessments(m->id)) {
            Data r;
            r.set("id", std::to_string(a.id));
            r.set("title", a.title);
            r.set("open", a.open);
            r.set("created", format_time(a.created_at));
            if (auto entry = ctx.app.library().get(a.instrument_key, a.instrument_version))
                r.set("instrument", entry->instrument->title.in(ctx.lang));
            rounds.push_back(r);
        }
        d.set("rounds", rounds);
        d.set("has_rounds", !rounds.empty());
        List actions;
        const std::string now_date = today();
        for (const auto& a : db.open_actions_of_municipality(m->id)) {
            Data ad;
            ad.set("description", a.description);
            set_text(ad, "owner", a.owner);
            set_text(ad, "due", a.due);
            ad.set("overdue", is_overdue(a, now_date));
            ad.set("status", ctx.t("status_" + std::string(action_status_name(a.status))));
            if (a.assessment_id)
                ad.set("round_id", std::to_string(*a.assessment_id));
            ad.set("id", std::to_string(a.id));
            actions.push_back(ad);
        }
        d.set("actions", actions);
        d.set("has_actions", !actions.empty());
        // The layout shows the municipality being viewed, also to an administrator.
        ctx.municipality = *m;
        return ctx.app.page(ctx, "dashboard/municipality", m->name, d);
    });
}

} // namespace gids::web
