// Filling in through a personal invitation link, without an account: the introduction,
// step by step with every answer saved, a review of everything, and submitting.
#include "storage/crypto.hpp"
#include "web/app.hpp"
#include "web/handlers/round_closed.hpp"
#include "web/invitation.hpp"
#include "web/item_view.hpp"

namespace gids::web {

namespace {

struct Invitation {
    Participant participant;
    Assessment round;
    LibraryEntry instrument;
    Municipality municipality;
    std::string token;
};

// An unknown or revoked link gets a clear page, never an error.
Result<Invitation> load_invitation(Context& ctx) {
    const std::string token = ctx.request.param("token");
    auto found = find_invitation(ctx.app, token);
    auto municipality =
        found ? ctx.app.db().find_municipality(found->round.municipality_id) : std::nullopt;
    if (!found || !municipality)
        return fail(Error::not_found());
    ctx.municipality = *municipality;
    return Invitation{std::move(found->participant), std::move(found->round),
                      std::move(found->instrument), *municipality, token};
}

Response invitation_error(Context& ctx) {
    Data d;
    d.set("heading", ctx.t("link_unknown_title"));
    d.set("text", ctx.t("link_unknown_text"));
    return ctx.app.page(ctx, "participate/problem", ctx.t("link_unknown_title"), d, 404);
}

Data base(Context& ctx, const Invitation& inv) {
    Data d;
    d.set("token", inv.token);
    d.set("round_title", inv.round.title);
    d.set("municipality", inv.municipality.name);
    d.set("label", inv.participant.label);
    d.set("open", inv.round.open);
    d.set("submitted", inv.participant.submitted_at.has_value());
    if (inv.participant.submitted_at)
        d.set("submitted_at", format_time(*inv.participant.submitted_at));
    d.set("instrument", instrument_data(*inv.instrument.instrument, ctx.lang));
    d.set("step_total", std::to_string(inv.instrument.instrument->steps.size()));
    return d;
}

std::map<std::string, ItemState> stored_states(Context& ctx, const Invitation& inv) {
    std::map<std::string, ItemState> states;
    for (const auto& [item_id, value] : ctx.app.db().answers_of(inv.participant.id)) {
        const Item* item = inv.instrument.instrument->find_item(item_id);
        if (!item)
            continue;
        auto answer = deserialize_answer(*item, value);
        if (answer)
            states[item_id].values = answer_fields(*item, *answer);
    }
    return states;
}

Response step_page(Context& ctx, const Invitation& inv, std::size_t index,
                   const std::map<std::string, ItemState>& states, bool has_errors,
                   unsigned status) {
    const Instrument& instrument = *inv.instrument.instrument;
    Data d = base(ctx, inv);
    d.set("step", step_data(instrument, instrument.steps[index], index, ctx.lang, states));
    d.set("step_number", std::to_string(index + 1));
    d.set("is_first", index == 0);
    d.set("is_last", index + 1 == instrument.steps.size());
    d.set("has_errors", has_errors);
    List progress;
    for (std::size_t i = 0; i < instrument.steps.size(); ++i) {
        Data p;
        p.set("number", std::to_string(i + 1));
        p.set("title", instrument.steps[i].title.in(ctx.lang));
        p.set("current", i == index);
        progress.push_back(p);
    }
    d.set("progress", progress);
    return ctx.app.page(ctx, "participate/step",
                        instrument.steps[index].title.in(ctx.lang) + " · " + inv.round.title, d,
                        status);
}

std::optional<std::size_t> step_index(const Context& ctx, const Instrument& instrument) {
    const auto n = parse_id(ctx.request.param("step"));
    if (!n || *n < 1 || static_cast<std::size_t>(*n) > instrument.steps.size())
        return std::nullopt;
    return static_cast<std::size_t>(*n - 1);
}

} // namespace

void register_participation_routes(App& app) {
    app.add("GET", "/i/{token}", Access::anyone, [](Context& ctx) {
        auto inv = load_invitation(ctx);
        if (!inv)
            return invitation_error(ctx);
        ctx.app.anonymous_form_token(ctx);
        Data d = base(ctx, *inv);
        d.set("started", inv->participant.started_at.has_value());
        return ctx.app.page(ctx, "participate/intro", inv->round.title, d);
    });

    app.add("GET", "/i/{token}/stap/{step}", Access::anyone, [](Context& ctx) {
        auto inv = load_invitation(ctx);
        if (!inv)
            return invitation_error(ctx);
        if (!inv->round.open)
            return Response::redirect("/i/" + inv->token);
        auto index = step_index(ctx, *inv->instrument.instrument);
        if (!index)
            return ctx.app.render_error(ctx, 404);
        ctx.app.anonymous_form_token(ctx);
        return step_page(ctx, *inv, *index, stored_states(ctx, *inv), false, 200);
    });

    app.add("POST", "/i/{token}/stap/{step}", Access::anyone, [](Context& ctx) {
        auto inv = load_invitation(ctx);
        if (!inv)
            return invitation_error(ctx);
        if (!inv->round.open)
            return round_closed_page(ctx, inv->token);
        const Instrument& instrument = *inv->instrument.instrument;
        auto index = step_index(ctx, instrument);
        if (!index)
            return ctx.app.render_error(ctx, 404);
        ctx.app.anonymous_form_token(ctx);
        // Every valid answer is saved, also when another one on the page is not: nothing
        // typed is lost, and the page comes back with the problems marked.
        std::vector<std::pair<std::string, std::string>> to_save;
        std::map<std::string, ItemState> states;
        bool has_errors = false;
        for (const auto& item : instrument.steps[*index].items) {
            if (!item.answerable())
                continue;
            RawAnswer raw = fields_for_item(item, ctx.form.items());
            auto answer = parse_answer(item, raw);
            if (!answer) {
                has_errors = true;
                ItemState state{raw, answer.error().fields};
                if (state.errors.empty() || !state.errors.contains(""))
                    state.errors[""] = answer.error().message;
                states[item.id] = std::move(state);
                continue;
            }
            to_save.emplace_back(item.id, serialize_answer(*answer));
            states[item.id].values = answer_fields(item, *answer);
        }
        ctx.app.save_answers(inv->round, inv->participant.id, to_save);
        if (has_errors)
            return step_page(ctx, *inv, *index, states, true, 422);
        const std::string go = ctx.form.get("ga");
        const std::string base_path = "/i/" + inv->token;
        if (go == "vorige" && *index > 0)
            return Response::redirect(base_path + "/stap/" + std::to_string(*index));
        if (go == "volgende" && *index + 1 < instrument.steps.size())
            return Response::redirect(base_path + "/stap/" + std::to_string(*index + 2));
        if (go == "later")
            return Response::redirect(base_path + "?opgeslagen=1");
        return Response::redirect(base_path + "/controle");
    });

    // One answer at a time, sent by assets/gids.js as soon as it is given.
    app.add("POST", "/i/{token}/antwoord", Access::anyone, [](Context& ctx) {
        auto json_reply = [](unsigned status, const std::string& message, bool saved = false) {
            std::string escaped;
            for (char c : message) {
                if (c == '"' || c == '\\')
                    escaped += '\\';
                escaped += c;
            }
            return Response::text(status,
                                  "{\"saved\":" + std::string(saved ? "true" : "false") +
                                      ",\"message\":\"" + escaped + "\"}",
                                  "application/json");
        };
        auto inv = load_invitation(ctx);
        if (!inv)
            return json_reply(404, ctx.t("link_unknown_title"));
        if (!inv->round.open)
            return json_reply(409, ctx.t("round_closed_text"));
        const Item* item = inv->instrument.instrument->find_item(ctx.form.get("item"));
        if (!item || !item->answerable())
            return json_reply(404, ctx.t("autosave_error"));
        auto answer = parse_answer(*item, fields_for_item(*item, ctx.form.items()));
        // Half an answer is normal while someone types ("Nee, want" before the reason):
        // say what is still missing, without treating it as a failed request.
        if (!answer)
            return json_reply(200, answer.error().message, false);
        ctx.app.save_answers(inv->round, inv->participant.id,
                             {{item->id, serialize_answer(*answer)}});
        return json_reply(200, ctx.t("autosave_saved"), true);
    });

    app.add("GET", "/i/{token}/controle", Access::anyone, [](Context& ctx) {
        auto inv = load_invitation(ctx);
        if (!inv)
            return invitation_error(ctx);
        ctx.app.anonymous_form_token(ctx);
        const Instrument& instrument = *inv->instrument.instrument;
        const auto stored = ctx.app.db().answers_of(inv->participant.id);
        Data d = base(ctx, *inv);
        List steps;
        int unanswered = 0;
        for (std::size_t i = 0; i < instrument.steps.size(); ++i) {
            Data s;
            s.set("number", std::to_string(i + 1));
            s.set("title", instrument.steps[i].title.in(ctx.lang));
            List items;
            for (const auto& item : instrument.steps[i].items) {
                if (!item.answerable())
                    continue;
                Data it;
                it.set("number", item.number);
                it.set("text", item.text.in(ctx.lang));
                List lines;
                if (auto v = stored.find(item.id); v != stored.end())
                    if (auto answer = deserialize_answer(item, v->second))
                        for (auto& line : answer_lines(item, *answer, ctx.lang))
                            lines.push_back(Data(line));
                if (lines.empty())
                    ++unanswered;
                it.set("answered", !lines.empty());
                it.set("lines", lines);
                items.push_back(it);
            }
            s.set("items", items);
            steps.push_back(s);
        }
        d.set("steps", steps);
        d.set("unanswered", std::to_string(unanswered));
        d.set("has_unanswered", unanswered > 0);
        return ctx.app.page(ctx, "participate/review",
                            ctx.t(inv->round.open ? "review_title" : "review_title_closed"), d);
    });

    app.add("POST", "/i/{token}/inleveren", Access::anyone, [](Context& ctx) {
        auto inv = load_invitation(ctx);
        if (!inv)
            return invitation_error(ctx);
        if (!inv->round.open)
            return round_closed_page(ctx, inv->token);
        ctx.app.db().submit_participant(inv->participant.id, storage::now_seconds());
        return Response::redirect("/i/" + inv->token + "?ingeleverd=1");
    });
}

} // namespace gids::web
