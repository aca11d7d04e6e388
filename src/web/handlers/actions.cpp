// The action agenda of a round: actions per theme with owner, department, due date and
// status, edited inline with a short history; proposals from the participants' step 3 can
// be taken over in one go.
#include "web/handlers/round_access.hpp"
#include "web/round_results.hpp"

#include <set>

namespace gids::web {

namespace {

const ActionStatus statuses[] = {ActionStatus::open, ActionStatus::bezig, ActionStatus::gedaan,
                                 ActionStatus::vervallen};

List theme_options(Context& ctx, const Instrument& instrument, const std::string& selected) {
    List out;
    for (const auto& t : instrument.themes) {
        Data d;
        d.set("id", t.id);
        d.set("title", t.id + ". " + t.title.in(ctx.lang));
        d.set("selected", t.id == selected);
        out.push_back(d);
    }
    return out;
}

Data action_data(Context& ctx, const Instrument& instrument, const Action& a,
                 const ActionInput* typed, const std::map<std::string, std::string>* errors) {
    Data d;
    d.set("id", std::to_string(a.id));
    const ActionInput shown = typed ? *typed : ActionInput{a.theme,      a.description, a.owner,
                                                           a.department, a.due,         a.status};
    d.set("description", shown.description);
    d.set("owner", shown.owner);
    d.set("department", shown.department);
    d.set("due", shown.due);
    d.set("status_label", ctx.t("status_" + std::string(action_status_name(a.status))));
    d.set("overdue", is_overdue(a, today()));
    d.set("carried", a.carried_from.has_value());
    d.set("themes", theme_options(ctx, instrument, shown.theme));
    List status_options;
    for (auto s : statuses) {
        Data sd;
        sd.set("value", std::string(action_status_name(s)));
        sd.set("label", ctx.t("status_" + std::string(action_status_name(s))));
        sd.set("selected", s == shown.status);
        status_options.push_back(sd);
    }
    d.set("statuses", status_options);
    List history;
    for (const auto& h : ctx.app.db().action_history(a.id)) {
        Data hd;
        hd.set("at", format_time(h.at));
        hd.set("user", h.user);
        hd.set("change", h.change);
        history.push_back(hd);
    }
    d.set("history", history);
    if (errors) {
        d.set("errors", field_errors(*errors));
        d.set("has_errors", true);
    }
    return d;
}

Response agenda_page(Context& ctx, const RoundContext& rc, std::optional<long long> failed_id,
                     const ActionInput* typed, const std::map<std::string, std::string>* errors,
                     unsigned status) {
    const Instrument& instrument = *rc.instrument.instrument;
    const auto actions = ctx.app.db().actions_of_assessment(rc.round.id);
    Data d;
    d.set("id", std::to_string(rc.round.id));
    d.set("title", rc.round.title);
    List groups;
    auto add_group = [&](const std::string& theme_id, const std::string& title) {
        List items;
        for (const auto& a : actions)
            if (a.theme == theme_id)
                items.push_back(failed_id && *failed_id == a.id
                                    ? action_data(ctx, instrument, a, typed, errors)
                                    : action_data(ctx, instrument, a, nullptr, nullptr));
        if (items.empty())
            return;
        Data g;
        g.set("title", title);
        g.set("actions", items);
        groups.push_back(g);
    };
    for (const auto& t : instrument.themes)
        add_group(t.id, t.id + ". " + t.title.in(ctx.lang));
    add_group("", ctx.t("results_no_theme"));
    // Actions whose theme is not (or no longer) in the instrument still show.
    for (const auto& a : actions)
        if (!a.theme.empty() && !instrument.find_theme(a.theme)) {
            add_group(a.theme, a.theme);
            break;
        }
    d.set("groups", groups);
    d.set("has_actions", !actions.empty());
    const bool new_failed = !failed_id && typed;
    d.set("new_themes", theme_options(ctx, instrument, new_failed ? typed->theme : ""));
    if (new_failed) {
        d.set("new_description", typed->description);
        d.set("new_owner", typed->owner);
        d.set("new_department", typed->department);
        d.set("new_due", typed->due);
        d.set("new_errors", field_errors(*errors));
        d.set("new_has_errors", true);
    }
    return ctx.app.page(ctx, "rounds/actions", ctx.t("agenda_title") + " " + rc.round.title, d,
                        status);
}

ActionInput input_from_form(const Context& ctx) {
    return ActionInput{ctx.form.get("theme"),
                       ctx.form.get("description"),
                       ctx.form.get("owner"),
                       ctx.form.get("department"),
                       ctx.form.get("due"),
                       parse_action_status(ctx.form.get("status")).value_or(ActionStatus::open)};
}

} // namespace

void register_action_routes(App& app) {
    app.add("GET", "/rondes/{id}/acties", Access::user, [](Context& ctx) {
        auto rc = load_round(ctx);
        if (!rc)
            return ctx.app.error_for(ctx, rc.error());
        return agenda_page(ctx, *rc, std::nullopt, nullptr, nullptr, 200);
    });

    app.add("POST", "/rondes/{id}/acties", Access::user, [](Context& ctx) {
        auto rc = load_round(ctx);
        if (!rc)
            return ctx.app.error_for(ctx, rc.error());
        const ActionInput raw = input_from_form(ctx);
        auto input = validate_action(raw);
        if (!input)
            return agenda_page(ctx, *rc, std::nullopt, &raw, &input.error().fields, 422);
        const long long now = storage::now_seconds();
        auto id = ctx.app.db().create_action(rc->round.municipality_id, rc->round.id, *input,
                                             std::nullopt, ctx.user->id, now);
        if (!id)
            return ctx.app.error_for(ctx, id.error());
        ctx.app.set_flash(ctx, "action_added");
        return Response::redirect("/rondes/" + std::to_string(rc->round.id) + "/acties#actie-" +
                                  std::to_string(*id));
    });

    app.add("POST", "/rondes/{id}/acties/{aid}", Access::user, [](Context& ctx) {
        auto rc = load_round(ctx);
        if (!rc)
            return ctx.app.error_for(ctx, rc.error());
        const auto aid = parse_id(ctx.request.param("aid"));
        auto action = aid ? ctx.app.db().find_action(*aid) : std::nullopt;
        if (!action || action->assessment_id != rc->round.id)
            return ctx.app.render_error(ctx, 404);
        const ActionInput raw = input_from_form(ctx);
        auto input = validate_action(raw);
        if (!input)
            return agenda_page(ctx, *rc, action->id, &raw, &input.error().fields, 422);
        (void)ctx.app.db().update_action(*action, *input, ctx.user->id, storage::now_seconds());
        ctx.app.set_flash(ctx, "saved");
        return Response::redirect("/rondes/" + std::to_string(rc->round.id) + "/acties#actie-" +
                                  std::to_string(action->id));
    });

    app.add("POST", "/rondes/{id}/acties-overnemen", Access::user, [](Context& ctx) {
        auto rc = load_round(ctx);
        if (!rc)
            return ctx.app.error_for(ctx, rc.error());
        auto& db = ctx.app.db();
        const auto stored = load_round_results(db, rc->round, *rc->instrument.instrument, true);
        std::set<std::string> existing;
        for (const auto& a : db.actions_of_assessment(rc->round.id))
            existing.insert(a.theme + "\n" + a.description);
        const long long now = storage::now_seconds();
        int added = 0;
        for (const auto& item : stored.results.actions_items)
            for (const auto& group : item.groups)
                for (const auto& entry : group.rows) {
                    ActionInput in{group.theme_id,       entry.row.action, entry.row.who,
                                   entry.row.department, entry.row.due,    ActionStatus::open};
                    auto valid = validate_action(in);
                    if (!valid || !existing.insert(valid->theme + "\n" + valid->description).second)
                        continue;
                    if (db.create_action(rc->round.municipality_id, rc->round.id, *valid,
                                         std::nullopt, ctx.user->id, now))
                        ++added;
                }
        db.audit(ctx.user->id, rc->round.municipality_id, "acties_overgenomen",
                 rc->round.title + ": " + std::to_string(added), now);
        ctx.app.set_flash(ctx, added > 0 ? "actions_taken_over" : "actions_none_to_take");
        return Response::redirect("/rondes/" + std::to_string(rc->round.id) + "/acties");
    });
}

} // namespace gids::web
