// Rounds for a coordinator: start one, invite participants, follow who has answered,
// print the invitation sheet, close, reopen and repeat.
#include "storage/crypto.hpp"
#include "web/handlers/round_access.hpp"
#include "web/qr.hpp"

#include <sstream>

namespace gids::web {

namespace {

std::vector<std::string> split_lines(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line))
        out.push_back(line);
    return out;
}

Response new_round_page(Context& ctx, const Municipality& m, const NewAssessment& input,
                        const std::string& labels_text,
                        const std::map<std::string, std::string>& errors, unsigned status) {
    Data d;
    d.set("municipality_id", std::to_string(m.id));
    List instruments;
    for (const auto& entry : ctx.app.library().current()) {
        Data i;
        i.set("key", entry.stored.key);
        i.set("title", entry.instrument->title.in(ctx.lang));
        i.set("selected", entry.stored.key == input.instrument_key);
        instruments.push_back(i);
    }
    d.set("instruments", instruments);
    d.set("title", input.title);
    d.set("meeting", input.mode == RoundMode::meeting);
    d.set("closes_on", input.closes_on);
    d.set("labels", labels_text);
    d.set("errors", field_errors(errors));
    d.set("has_errors", !errors.empty());
    ctx.municipality = m;
    return ctx.app.page(ctx, "rounds/new", ctx.t("round_new_title"), d, status);
}

std::string participant_state(const Context& ctx, const Participant& p) {
    if (p.revoked)
        return ctx.t("participant_revoked");
    if (p.submitted_at)
        return ctx.t("participant_submitted") + " " + format_time(*p.submitted_at);
    if (p.started_at)
        return ctx.t("participant_busy") + " " + format_time(p.updated_at.value_or(*p.started_at));
    return ctx.t("participant_not_started");
}

Data round_summary(const Context& ctx, const Assessment& a, const Instrument& instrument) {
    Data d;
    d.set("id", std::to_string(a.id));
    d.set("title", a.title);
    d.set("instrument_title", instrument.title.in(ctx.lang));
    d.set("instrument_key", a.instrument_key);
    d.set("instrument_version", std::to_string(a.instrument_version));
    d.set("meeting", a.mode == RoundMode::meeting);
    d.set("open", a.open);
    set_text(d, "closes_on", a.closes_on);
    d.set("created", format_time(a.created_at));
    d.set("municipality_id", std::to_string(a.municipality_id));
    return d;
}

Response round_page(Context& ctx, const RoundContext& rc) {
    const auto& a = rc.round;
    Data d = round_summary(ctx, a, *rc.instrument.instrument);
    List participants;
    int submitted = 0, started = 0;
    for (const auto& p : ctx.app.db().participants_of(a.id)) {
        Data pd;
        pd.set("id", std::to_string(p.id));
        pd.set("label", p.label);
        pd.set("state", participant_state(ctx, p));
        pd.set("revoked", p.revoked);
        pd.set("submitted", p.submitted_at.has_value());
        if (!p.revoked)
            pd.set("link",
                   ctx.app.invitation_url(ctx, ctx.app.invitation_token(p.id, p.token_generation)));
        submitted += p.submitted_at ? 1 : 0;
        started += p.started_at ? 1 : 0;
        participants.push_back(pd);
    }
    d.set("participant_count", std::to_string(participants.size()));
    d.set("participants", participants);
    d.set("submitted_count", std::to_string(submitted));
    d.set("started_count", std::to_string(started));
    if (a.previous_id)
        if (auto previous = ctx.app.db().find_assessment(*a.previous_id))
            if (previous->municipality_id == a.municipality_id) {
                d.set("previous_id", std::to_string(previous->id));
                d.set("previous_title", previous->title);
            }
    return ctx.app.page(ctx, "rounds/show", a.title, d);
}

} // namespace

void register_round_routes(App& app) {
    app.add("GET", "/gemeenten/{id}/rondes/nieuw", Access::user, [](Context& ctx) {
        const auto id = parse_id(ctx.request.param("id"));
        if (!id)
            return ctx.app.render_error(ctx, 404);
        if (auto allowed = check_tenant(*ctx.user, *id); !allowed)
            return ctx.app.error_for(ctx, allowed.error());
        auto m = ctx.app.db().find_municipality(*id);
        if (!m)
            return ctx.app.render_error(ctx, 404);
        NewAssessment defaults;
        defaults.instrument_key = "gesprekstool-armoede-gezondheid";
        return new_round_page(ctx, *m, defaults, ctx.t("round_default_labels"), {}, 200);
    });

    app.add("POST", "/gemeenten/{id}/rondes", Access::user, [](Context& ctx) {
        auto& db = ctx.app.db();
        const auto id = parse_id(ctx.request.param("id"));
        if (!id)
            return ctx.app.render_error(ctx, 404);
        if (auto allowed = check_tenant(*ctx.user, *id); !allowed)
            return ctx.app.error_for(ctx, allowed.error());
        auto m = db.find_municipality(*id);
        if (!m)
            return ctx.app.render_error(ctx, 404);
        const std::string labels_text = ctx.form.get("labels");
        NewAssessment raw;
        raw.instrument_key = ctx.form.get("instrument");
        raw.title = ctx.form.get("title");
        raw.mode = parse_round_mode(ctx.form.get("mode")).value_or(RoundMode::separate);
        raw.closes_on = ctx.form.get("closes_on");
        raw.labels = split_lines(labels_text);
        std::map<std::string, std::string> errors;
        auto input = validate_new_assessment(raw, today());
        if (!input)
            errors = input.error().fields;
        auto instrument = ctx.app.library().latest(raw.instrument_key);
        if (!instrument)
            errors["instrument"] = ctx.t("round_choose_instrument");
        if (!errors.empty())
            return new_round_page(ctx, *m, raw, labels_text, errors, 422);
        const long long now = storage::now_seconds();
        auto created = db.create_assessment(m->id, *input, instrument->stored.version, std::nullopt,
                                            ctx.user->id, now, [&](long long pid, int generation) {
                                                return crypto::hash_secret(
                                                    ctx.app.invitation_token(pid, generation));
                                            });
        if (!created)
            return ctx.app.error_for(ctx, created.error());
        db.audit(ctx.user->id, m->id, "ronde_aangemaakt", input->title, now);
        ctx.app.set_flash(ctx, "round_created");
        return Response::redirect("/rondes/" + std::to_string(*created));
    });

    app.add("GET", "/rondes/{id}", Access::user, [](Context& ctx) {
        auto rc = load_round(ctx);
        if (!rc)
            return ctx.app.error_for(ctx, rc.error());
        return round_page(ctx, *rc);
    });

    app.add("GET", "/rondes/{id}/uitnodigingen", Access::user, [](Context& ctx) {
        auto rc = load_round(ctx);
        if (!rc)
            return ctx.app.error_for(ctx, rc.error());
        Data d = round_summary(ctx, rc->round, *rc->instrument.instrument);
        if (rc->instrument.instrument->duration_minutes)
            d.set("duration", std::to_string(*rc->instrument.instrument->duration_minutes));
        List cards;
        for (const auto& p : ctx.app.db().participants_of(rc->round.id)) {
            if (p.revoked)
                continue;
            const std::string link =
                ctx.app.invitation_url(ctx, ctx.app.invitation_token(p.id, p.token_generation));
            Data c;
            c.set("label", p.label);
            c.set("link", link);
            // Safe: SVG built by qr_svg from numbers, with the label attribute-escaped.
            c.set("qr", qr_svg(link, ctx.t("sheet_qr_label") + " " + p.label));
            cards.push_back(c);
        }
        d.set("cards", cards);
        d.set("has_cards", !cards.empty());
        return ctx.app.page(ctx, "rounds/sheet", ctx.t("sheet_title") + " " + rc->round.title, d);
    });

    const auto participant_action = [](bool revoke) {
        return [revoke](Context& ctx) {
            auto rc = load_round(ctx);
            if (!rc)
                return ctx.app.error_for(ctx, rc.error());
            const auto pid = parse_id(ctx.request.param("pid"));
            auto p = pid ? ctx.app.db().find_participant(*pid) : std::nullopt;
            if (!p || p->assessment_id != rc->round.id)
                return ctx.app.render_error(ctx, 404);
            const int generation = p->token_generation + 1;
            ctx.app.db().set_participant_token(
                p->id, generation,
                revoke ? std::string()
                       : crypto::hash_secret(ctx.app.invitation_token(p->id, generation)));
            ctx.app.db().audit(ctx.user->id, rc->round.municipality_id,
                               revoke ? "link_ingetrokken" : "link_vernieuwd",
                               rc->round.title + ": " + p->label, storage::now_seconds());
            ctx.app.set_flash(ctx, revoke ? "link_revoked" : "link_renewed");
            return Response::redirect("/rondes/" + std::to_string(rc->round.id) + "#deelnemers");
        };
    };
    app.add("POST", "/rondes/{id}/deelnemers/{pid}/intrekken", Access::user,
            participant_action(true));
    app.add("POST", "/rondes/{id}/deelnemers/{pid}/nieuwe-link", Access::user,
            participant_action(false));

    const auto open_close = [](bool open) {
        return [open](Context& ctx) {
            auto rc = load_round(ctx);
            if (!rc)
                return ctx.app.error_for(ctx, rc.error());
            const long long now = storage::now_seconds();
            (void)ctx.app.db().set_assessment_open(rc->round.id, open, now);
            ctx.app.db().audit(ctx.user->id, rc->round.municipality_id,
                               open ? "ronde_heropend" : "ronde_gesloten", rc->round.title, now);
            ctx.app.set_flash(ctx, open ? "round_reopened" : "round_closed");
            return Response::redirect("/rondes/" + std::to_string(rc->round.id));
        };
    };
    app.add("POST", "/rondes/{id}/sluiten", Access::user, open_close(false));
    app.add("POST", "/rondes/{id}/heropenen", Access::user, open_close(true));

    app.add("POST", "/rondes/{id}/herhalen", Access::user, [](Context& ctx) {
        auto rc = load_round(ctx);
        if (!rc)
            return ctx.app.error_for(ctx, rc.error());
        auto& db = ctx.app.db();
        const auto& previous = rc->round;
        // Repeating twice (a double click) would copy the open actions twice: go to the
        // repeat that already exists.
        for (const auto& other : db.list_assessments(previous.municipality_id))
            if (other.previous_id && *other.previous_id == previous.id) {
                ctx.app.set_flash(ctx, "round_already_repeated");
                return Response::redirect("/rondes/" + std::to_string(other.id));
            }
        NewAssessment next;
        next.instrument_key = previous.instrument_key;
        next.title = previous.title + " (" + ctx.t("round_repeat_suffix") + " " + today() + ")";
        next.mode = previous.mode;
        for (const auto& p : db.participants_of(previous.id))
            next.labels.push_back(p.label);
        const long long now = storage::now_seconds();
        auto created = db.create_assessment(
            previous.municipality_id, next, previous.instrument_version, previous.id, ctx.user->id,
            now, [&](long long pid, int generation) {
                return crypto::hash_secret(ctx.app.invitation_token(pid, generation));
            });
        if (!created)
            return ctx.app.error_for(ctx, created.error());
        // Open actions come along, to be reviewed in the new round.
        for (const auto& action : db.actions_of_assessment(previous.id)) {
            if (action.status == ActionStatus::gedaan || action.status == ActionStatus::vervallen)
                continue;
            ActionInput copy{action.theme,      action.description, action.owner,
                             action.department, action.due,         action.status};
            (void)db.create_action(previous.municipality_id, *created, copy, action.id,
                                   ctx.user->id, now);
        }
        db.audit(ctx.user->id, previous.municipality_id, "ronde_herhaald", next.title, now);
        ctx.app.set_flash(ctx, "round_repeated");
        return Response::redirect("/rondes/" + std::to_string(*created));
    });
}

} // namespace gids::web
