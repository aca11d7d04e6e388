// Live meeting mode: the facilitator's screen for the projector, the controls to open one
// statement (or a whole step) at a time, reveal names and record the agreed score, and the
// participants' phones that show just the open item. Screens follow by Server-Sent Events
// and fall back to polling, or to a page refresh without JavaScript.
#include "storage/crypto.hpp"
#include "web/charts.hpp"
#include "web/handlers/round_access.hpp"
#include "web/handlers/round_closed.hpp"
#include "web/invitation.hpp"
#include "web/item_view.hpp"
#include "web/qr.hpp"
#include "web/round_results.hpp"

namespace gids::web {

namespace {

// The round's number and six characters derived from the server secret, from an alphabet
// without look-alikes (no 0/O, 1/I/L): short enough to type from the screen, not guessable
// from the number.
std::string join_code(const App& app, long long round_id) {
    static constexpr std::string_view alphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";
    const std::string token =
        crypto::derive_token(app.options().secret, "bijeenkomst:" + std::to_string(round_id));
    std::string code = std::to_string(round_id) + "-";
    for (std::size_t i = 0; i < 6; ++i)
        code += alphabet[static_cast<unsigned char>(token[i]) % alphabet.size()];
    return code;
}

std::optional<Assessment> round_of_code(App& app, std::string code) {
    for (auto& c : code)
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    const auto dash = code.find('-');
    if (dash == std::string::npos || code.size() > 40)
        return std::nullopt;
    const auto id = parse_id(code.substr(0, dash));
    auto round = id ? app.db().find_assessment(*id) : std::nullopt;
    if (!round || round->mode != RoundMode::meeting ||
        !crypto::equal_secrets(join_code(app, round->id), code))
        return std::nullopt;
    return round;
}

// The items a facilitator can open, in order: answerable items, and each step as a whole.
std::vector<std::pair<std::string, std::string>> openable(const Context& ctx,
                                                          const Instrument& instrument) {
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& step : instrument.steps) {
        out.emplace_back("stap:" + step.id,
                         ctx.t("meeting_whole_step") + " " + step.title.in(ctx.lang));
        for (const auto& item : step.items)
            if (item.answerable() && item.type != ItemType::actions)
                out.emplace_back(item.id, (item.number.empty() ? "" : item.number + " ") +
                                              item.text.in(ctx.lang));
    }
    return out;
}

// What the shared screen shows for the current state: counts, anonymous until revealed.
Data live_data(Context& ctx, const RoundContext& rc, const LiveState& state) {
    const Instrument& instrument = *rc.instrument.instrument;
    auto& db = ctx.app.db();
    const auto participants = db.participants_of(rc.round.id);
    const auto stored = load_round_results(db, rc.round, instrument, true);
    Data d;
    d.set("id", std::to_string(rc.round.id));
    d.set("revealed", state.revealed);
    List joined;
    int joined_count = 0;
    for (const auto& p : participants) {
        Data pd;
        pd.set("label", p.label);
        pd.set("joined", p.started_at.has_value());
        joined_count += p.started_at ? 1 : 0;
        joined.push_back(pd);
    }
    d.set("participants", joined);
    d.set("joined_count", std::to_string(joined_count));
    d.set("participant_count", std::to_string(participants.size()));
    auto name_of = [&](std::size_t index, const std::string& label) {
        return state.revealed ? label : ctx.t("participant") + " " + std::to_string(index + 1);
    };
    if (state.current.empty()) {
        d.set("nothing_open", true);
        return d;
    }
    if (state.whole_step()) {
        d.set("whole_step", true);
        const Step* step = nullptr;
        for (const auto& s : instrument.steps)
            if (s.id == state.step_id())
                step = &s;
        if (!step)
            return d;
        d.set("title", step->title.in(ctx.lang));
        List headers;
        for (std::size_t i = 0; i < participants.size(); ++i) {
            Data h;
            h.set("label", name_of(i, participants[i].label));
            headers.push_back(h);
        }
        d.set("headers", headers);
        List rows;
        for (const auto& item : step->items) {
            const auto* r = stored.results.find_scale(item.id);
            if (!r)
                continue;
            Data row;
            row.set("text",
                    (item.number.empty() ? "" : item.number + " ") + item.text.in(ctx.lang));
            List cells;
            for (const auto& p : r->participants) {
                Data c;
                c.set("value", p.state == ScoreState::value && p.value ? std::to_string(*p.value)
                               : p.state == ScoreState::dont_know ? ctx.t("results_dont_know_short")
                                                                  : "–");
                cells.push_back(c);
            }
            row.set("cells", cells);
            row.set("differs", r->differs);
            rows.push_back(row);
        }
        d.set("rows", rows);
        return d;
    }
    const Item* item = instrument.find_item(state.current);
    if (!item)
        return d;
    d.set("single_item", true);
    d.set("title", (item->number.empty() ? "" : item->number + " ") + item->text.in(ctx.lang));
    std::vector<std::pair<std::string, int>> bars;
    List who;
    int answered = 0;
    if (const auto* r = stored.results.find_scale(item->id)) {
        for (int v = item->scale.min; v <= item->scale.max; ++v)
            bars.emplace_back(std::to_string(v), r->count(v));
        if (item->scale.dont_know)
            bars.emplace_back(item->scale.dont_know->in(ctx.lang), r->dont_know);
        for (std::size_t i = 0; i < r->participants.size(); ++i) {
            const auto& p = r->participants[i];
            if (p.state == ScoreState::unanswered)
                continue;
            ++answered;
            Data w;
            w.set("label", name_of(i, p.label));
            w.set("value", p.value ? std::to_string(*p.value) : ctx.t("results_dont_know_short"));
            who.push_back(w);
        }
        d.set("differs", r->differs);
        if (r->mean)
            d.set("mean", format_decimal(*r->mean, 1));
        if (auto a = stored.agreed.find(item->id); a != stored.agreed.end()) {
            if (a->second.first)
                d.set("agreed", std::to_string(*a->second.first));
            d.set("agreed_note", a->second.second);
        }
        List choices;
        for (int v = item->scale.min; v <= item->scale.max; ++v) {
            Data c;
            c.set("value", std::to_string(v));
            c.set("label", std::to_string(v) + " – " + item->scale.label(v).in(ctx.lang));
            choices.push_back(c);
        }
        d.set("agreed_choices", choices);
        d.set("is_scale", true);
    } else if (const auto* c = stored.results.find_choice(item->id)) {
        for (const auto& o : c->options) {
            const Option* opt = item->find_option(o.option_id);
            bars.emplace_back(opt ? opt->text.in(ctx.lang) : o.option_id,
                              static_cast<int>(o.chosen_by.size()));
        }
        for (std::size_t i = 0; i < stored.answers.size(); ++i)
            if (stored.answers[i].answers.contains(item->id))
                ++answered;
    } else {
        for (const auto& pa : stored.answers)
            if (pa.answers.contains(item->id))
                ++answered;
    }
    // Safe: SVG drawn by bars_svg from numbers and escaped labels.
    if (!bars.empty())
        d.set("bars", bars_svg(bars));
    List table;
    for (std::size_t i = 0; i < bars.size(); ++i) {
        const auto& [label, count] = bars[i];
        Data b;
        const bool scale_value =
            item->type == ItemType::scale &&
            i < static_cast<std::size_t>(item->scale.max - item->scale.min + 1);
        b.set("label",
              scale_value
                  ? label + " – " +
                        item->scale.label(item->scale.min + static_cast<int>(i)).in(ctx.lang)
                  : label);
        b.set("count", std::to_string(count));
        table.push_back(b);
    }
    d.set("bar_table", table);
    d.set("who", who);
    d.set("answered", std::to_string(answered));
    return d;
}

Response facilitator_page(Context& ctx, const RoundContext& rc) {
    const LiveState state = ctx.app.db().live_state(rc.round.id);
    Data d = live_data(ctx, rc, state);
    d.set("round_title", rc.round.title);
    const std::string code = join_code(ctx.app, rc.round.id);
    const std::string join_url = ctx.app.base_url(ctx) + "/m/" + code;
    d.set("join_url", join_url);
    d.set("join_code", code);
    // Safe: SVG built by qr_svg from numbers, with the label attribute-escaped.
    d.set("join_qr", qr_svg(join_url, ctx.t("meeting_join_qr")));
    List options;
    for (const auto& [value, label] : openable(ctx, *rc.instrument.instrument)) {
        Data o;
        o.set("value", value);
        o.set("label", label);
        o.set("selected", value == state.current);
        options.push_back(o);
    }
    d.set("openable", options);
    d.set("last_event", std::to_string(ctx.app.db().last_event_id(rc.round.id)));
    ctx.refresh_seconds = 5;
    return ctx.app.page(ctx, "meeting/screen", ctx.t("meeting_title") + " " + rc.round.title, d);
}

Response back_to_screen(const RoundContext& rc) {
    return Response::redirect("/rondes/" + std::to_string(rc.round.id) + "/bijeenkomst");
}

struct LiveParticipant {
    Participant participant;
    Assessment round;
    LibraryEntry instrument;
    std::string token;
};

Result<LiveParticipant> live_participant(Context& ctx) {
    const std::string token = ctx.request.param("token");
    auto found = find_invitation(ctx.app, token);
    if (!found)
        return fail(Error::not_found());
    ctx.municipality = ctx.app.db().find_municipality(found->round.municipality_id);
    return LiveParticipant{std::move(found->participant), std::move(found->round),
                           std::move(found->instrument), token};
}

std::vector<const Item*> open_items(const Instrument& instrument, const LiveState& state) {
    std::vector<const Item*> out;
    if (state.whole_step()) {
        for (const auto& s : instrument.steps)
            if (s.id == state.step_id())
                for (const auto& item : s.items)
                    if (item.answerable() && item.type != ItemType::actions)
                        out.push_back(&item);
    } else if (const Item* item = instrument.find_item(state.current)) {
        out.push_back(item);
    }
    return out;
}

Response participant_page(Context& ctx, const LiveParticipant& lp,
                          const std::map<std::string, ItemState>& typed, unsigned status) {
    auto& db = ctx.app.db();
    const LiveState state = db.live_state(lp.round.id);
    const Instrument& instrument = *lp.instrument.instrument;
    ctx.app.anonymous_form_token(ctx);
    Data d;
    d.set("token", lp.token);
    d.set("label", lp.participant.label);
    d.set("round_title", lp.round.title);
    d.set("open", lp.round.open);
    d.set("current", state.current);
    std::map<std::string, ItemState> states = typed;
    const auto stored = db.answers_of(lp.participant.id);
    List items;
    for (const Item* item : open_items(instrument, state)) {
        if (!states.contains(item->id))
            if (auto v = stored.find(item->id); v != stored.end())
                if (auto answer = deserialize_answer(*item, v->second))
                    states[item->id].values = answer_fields(*item, *answer);
        auto it = states.find(item->id);
        items.push_back(
            item_data(instrument, *item, ctx.lang, it == states.end() ? nullptr : &it->second));
    }
    d.set("items", items);
    d.set("has_items", !items.empty());
    d.set("has_errors", status != 200);
    // Waiting for the facilitator, a page without JavaScript looks again every 5 seconds;
    // once the round is closed there is nothing to wait for.
    ctx.refresh_seconds = items.empty() && lp.round.open ? 5 : 0;
    return ctx.app.page(ctx, "meeting/participant", lp.round.title, d, status);
}

} // namespace

void register_meeting_routes(App& app) {
    app.add("GET", "/rondes/{id}/bijeenkomst", Access::user, [](Context& ctx) {
        auto rc = load_round(ctx);
        if (!rc)
            return ctx.app.error_for(ctx, rc.error());
        return facilitator_page(ctx, *rc);
    });

    app.add("GET", "/rondes/{id}/bijeenkomst/stand", Access::user, [](Context& ctx) {
        auto rc = load_round(ctx);
        if (!rc)
            return ctx.app.error_for(ctx, rc.error());
        Data d = live_data(ctx, *rc, ctx.app.db().live_state(rc->round.id));
        Data wrapper;
        wrapper.set("page", d);
        Response r = Response::text(
            200, ctx.app.templates().render("partials/meeting_live", wrapper, ctx.lang),
            "text/html; charset=utf-8");
        r.set_header("Cache-Control", "no-store");
        return r;
    });

    app.add("GET", "/rondes/{id}/bijeenkomst/stroom", Access::user, [](Context& ctx) {
        auto rc = load_round(ctx);
        if (!rc)
            return ctx.app.error_for(ctx, rc.error());
        // Beyond the cap a screen gets "no content": EventSource then stops, and the page
        // polls instead. Streams must never crowd out ordinary requests.
        if (ctx.app.events().streams() >= ctx.app.options().max_streams) {
            Response r = Response::text(204, "");
            r.set_header("Cache-Control", "no-store");
            return r;
        }
        std::string last = ctx.request.header("last-event-id");
        if (last.empty())
            last = ctx.request.query.get("na");
        const long long after = parse_id(last).value_or(0);
        auto stream = std::make_shared<EventStream>();
        stream->prelude = "retry: 2000\n\n";
        const long long round_id = rc->round.id;
        App* app_ptr = &ctx.app;
        // Catching up and subscribing happen together, under the lock that publishing takes.
        stream->attach = [app_ptr, round_id, after](std::shared_ptr<StreamSink> sink) {
            app_ptr->follow(round_id, after, std::move(sink));
        };
        Response r;
        r.content_type = "text/event-stream; charset=utf-8";
        r.set_header("Cache-Control", "no-store");
        r.set_header("X-Accel-Buffering", "no");
        r.stream = stream;
        return r;
    });

    app.add("GET", "/rondes/{id}/bijeenkomst/gebeurtenissen", Access::user, [](Context& ctx) {
        auto rc = load_round(ctx);
        if (!rc)
            return ctx.app.error_for(ctx, rc.error());
        const long long after = parse_id(ctx.request.query.get("na")).value_or(0);
        std::string body = "{\"events\":[";
        bool first = true;
        for (const auto& e : ctx.app.db().events_after(rc->round.id, after, 1000)) {
            body += (first ? "" : ",") + std::string("{\"id\":") + std::to_string(e.id) +
                    ",\"kind\":" + json_string(meeting_event_name(e.kind)) +
                    ",\"data\":" + e.payload + "}";
            first = false;
        }
        body += "]}";
        Response r = Response::text(200, body, "application/json");
        r.set_header("Cache-Control", "no-store");
        return r;
    });

    app.add("POST", "/rondes/{id}/bijeenkomst/openen", Access::user, [](Context& ctx) {
        auto rc = load_round(ctx);
        if (!rc)
            return ctx.app.error_for(ctx, rc.error());
        const std::string wanted = ctx.form.get("onderdeel");
        bool known = false;
        for (const auto& [value, label] : openable(ctx, *rc->instrument.instrument))
            known = known || value == wanted;
        if (!known)
            return ctx.app.render_error(ctx, 400, ctx.t("meeting_unknown_item"));
        LiveState state{wanted, false};
        ctx.app.publish_stored([&] {
            return ctx.app.db().set_live_state(rc->round.id, state, MeetingEventKind::opened,
                                               storage::now_seconds());
        });
        return back_to_screen(*rc);
    });

    app.add("POST", "/rondes/{id}/bijeenkomst/volgende", Access::user, [](Context& ctx) {
        auto rc = load_round(ctx);
        if (!rc)
            return ctx.app.error_for(ctx, rc.error());
        const auto list = openable(ctx, *rc->instrument.instrument);
        const LiveState current = ctx.app.db().live_state(rc->round.id);
        std::size_t next = 0;
        for (std::size_t i = 0; i < list.size(); ++i)
            if (list[i].first == current.current)
                next = i + 1;
        // Skip whole-step entries: "next" walks the statements one by one.
        while (next < list.size() && list[next].first.starts_with("stap:"))
            ++next;
        if (next >= list.size())
            return back_to_screen(*rc);
        ctx.app.publish_stored([&] {
            return ctx.app.db().set_live_state(rc->round.id, {list[next].first, false},
                                               MeetingEventKind::opened, storage::now_seconds());
        });
        return back_to_screen(*rc);
    });

    app.add("POST", "/rondes/{id}/bijeenkomst/namen", Access::user, [](Context& ctx) {
        auto rc = load_round(ctx);
        if (!rc)
            return ctx.app.error_for(ctx, rc.error());
        LiveState state = ctx.app.db().live_state(rc->round.id);
        state.revealed = ctx.form.get("tonen") == "1";
        ctx.app.publish_stored([&] {
            return ctx.app.db().set_live_state(rc->round.id, state, MeetingEventKind::revealed,
                                               storage::now_seconds());
        });
        return back_to_screen(*rc);
    });

    app.add("POST", "/rondes/{id}/bijeenkomst/afspraak", Access::user, [](Context& ctx) {
        auto rc = load_round(ctx);
        if (!rc)
            return ctx.app.error_for(ctx, rc.error());
        const LiveState state = ctx.app.db().live_state(rc->round.id);
        const Item* item = rc->instrument.instrument->find_item(state.current);
        if (!item || item->type != ItemType::scale)
            return ctx.app.render_error(ctx, 409, ctx.t("meeting_no_statement_open"));
        std::optional<int> score;
        if (auto v = parse_id(ctx.form.get("score"));
            v && item->scale.contains(static_cast<int>(*v)))
            score = static_cast<int>(*v);
        std::string note = trim_copy(ctx.form.get("note"));
        if (count_characters(note) > 2000)
            note = note.substr(0, 2000);
        ctx.app.db().set_agreed(rc->round.id, item->id, score, note, storage::now_seconds());
        ctx.app.publish(rc->round.id, MeetingEventKind::agreed, agreed_payload(item->id));
        return back_to_screen(*rc);
    });

    // Joining from the projector: the short link lists the participants; choosing one leads
    // to that participant's own page.
    app.add("GET", "/m/{code}", Access::anyone, [](Context& ctx) {
        const std::string code = ctx.request.param("code");
        auto round = round_of_code(ctx.app, code);
        if (!round || !accepts_answers(*round, today()))
            return ctx.app.render_error(ctx, 404, ctx.t("meeting_code_unknown"));
        auto& db = ctx.app.db();
        ctx.app.anonymous_form_token(ctx);
        Data d;
        d.set("code", code);
        d.set("round_title", round->title);
        List people;
        for (const auto& p : db.participants_of(round->id)) {
            if (p.revoked)
                continue;
            Data pd;
            pd.set("id", std::to_string(p.id));
            pd.set("label", p.label);
            pd.set("joined", p.started_at.has_value());
            people.push_back(pd);
        }
        d.set("people", people);
        ctx.municipality = db.find_municipality(round->municipality_id);
        return ctx.app.page(ctx, "meeting/join", round->title, d);
    });

    app.add("POST", "/m/{code}", Access::anyone, [](Context& ctx) {
        const std::string code = ctx.request.param("code");
        auto& db = ctx.app.db();
        const auto pid = parse_id(ctx.form.get("deelnemer"));
        auto p = pid ? db.find_participant(*pid) : std::nullopt;
        auto round = round_of_code(ctx.app, code);
        if (!p || p->revoked || !round || p->assessment_id != round->id)
            return ctx.app.render_error(ctx, 404, ctx.t("meeting_code_unknown"));
        const std::string token = ctx.app.invitation_token(p->id, p->token_generation);
        return Response::redirect("/i/" + token + "/live");
    });

    app.add("GET", "/i/{token}/live", Access::anyone, [](Context& ctx) {
        auto lp = live_participant(ctx);
        if (!lp)
            return ctx.app.render_error(ctx, 404, ctx.t("link_unknown_text"));
        // Joining is announced once, also when the page is opened twice at the same moment.
        if (!lp->participant.started_at &&
            ctx.app.db().mark_started(lp->participant.id, storage::now_seconds()))
            ctx.app.publish(lp->round.id, MeetingEventKind::joined,
                            answered_payload("", lp->participant.id));
        return participant_page(ctx, *lp, {}, 200);
    });

    app.add("GET", "/i/{token}/live/stand", Access::anyone, [](Context& ctx) {
        auto lp = live_participant(ctx);
        if (!lp)
            return Response::text(404, "{}", "application/json");
        const LiveState state = ctx.app.db().live_state(lp->round.id);
        Response r = Response::text(200, "{\"current\":" + json_string(state.current) + "}",
                                    "application/json");
        r.set_header("Cache-Control", "no-store");
        return r;
    });

    app.add("POST", "/i/{token}/live", Access::anyone, [](Context& ctx) {
        auto lp = live_participant(ctx);
        if (!lp)
            return ctx.app.render_error(ctx, 404, ctx.t("link_unknown_text"));
        if (!lp->round.open)
            return round_closed_page(ctx, lp->token);
        const LiveState state = ctx.app.db().live_state(lp->round.id);
        const auto items = open_items(*lp->instrument.instrument, state);
        // Only what is open now can be answered: an answer to anything else is refused.
        const std::string sent_item = ctx.form.get("onderdeel");
        if (state.current.empty() || sent_item != state.current)
            return ctx.app.render_error(ctx, 409, ctx.t("meeting_item_not_open"));
        std::vector<std::pair<std::string, std::string>> to_save;
        std::map<std::string, ItemState> typed;
        bool errors = false;
        for (const Item* item : items) {
            RawAnswer raw = fields_for_item(*item, ctx.form.items());
            if (raw.empty())
                continue;
            auto answer = parse_answer(*item, raw);
            if (!answer) {
                errors = true;
                ItemState s{raw, answer.error().fields};
                s.errors[""] = answer.error().message;
                typed[item->id] = s;
                continue;
            }
            to_save.emplace_back(item->id, serialize_answer(*answer));
        }
        ctx.app.save_answers(lp->round, lp->participant.id, to_save);
        if (errors)
            return participant_page(ctx, *lp, typed, 422);
        ctx.app.set_flash(ctx, "live_saved");
        return Response::redirect("/i/" + lp->token + "/live");
    });
}

} // namespace gids::web
