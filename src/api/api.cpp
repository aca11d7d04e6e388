// The JSON API, version 1, after the Dutch API Design Rules: resources under /api/v1, JSON
// bodies, errors as application/problem+json with Dutch texts. Coordinators use a personal
// API token (`Authorization: Bearer ...`, from `gids token create`), participants their
// invitation token (`Authorization: Invitation ...`).
#include "api/json_answers.hpp"
#include "storage/crypto.hpp"
#include "web/app.hpp"
#include "web/invitation.hpp"
#include "web/round_results.hpp"

#include <boost/json.hpp>
#include <fstream>
#include <sstream>

namespace gids::web {

namespace json = boost::json;

namespace {

Response json_response(unsigned status, const json::value& body) {
    Response r = Response::text(status, json::serialize(body), "application/json");
    r.set_header("Cache-Control", "no-store");
    return r;
}

Response problem(unsigned status, const std::string& title, const std::string& detail = {},
                 const std::map<std::string, std::string>& errors = {}) {
    json::object body{{"type", "about:blank"}, {"title", title}, {"status", status}};
    if (!detail.empty())
        body["detail"] = detail;
    if (!errors.empty()) {
        json::array list;
        for (const auto& [field, message] : errors)
            list.push_back(json::object{{"name", field}, {"reason", message}});
        body["invalidParams"] = list;
    }
    Response r = Response::text(status, json::serialize(body), "application/problem+json");
    r.set_header("Cache-Control", "no-store");
    return r;
}

Response problem_for(const Error& e) {
    switch (e.kind) {
    case ErrorKind::not_found:
        return problem(404, "Niet gevonden", e.message);
    case ErrorKind::forbidden:
        return problem(403, "Niet toegestaan", e.message);
    case ErrorKind::unauthorized:
        return problem(401, "Niet ingelogd", e.message);
    case ErrorKind::conflict:
        return problem(409, "Conflict", e.message);
    case ErrorKind::too_many:
        return problem(429, "Te veel verzoeken", e.message);
    case ErrorKind::invalid:
        return problem(422, "Niet alles klopt", e.message, e.fields);
    case ErrorKind::internal:
        return problem(500, "Er ging iets mis");
    }
    return problem(500, "Er ging iets mis");
}

std::string credential(const Context& ctx, std::string_view scheme) {
    const std::string header = ctx.request.header("authorization");
    if (header.size() <= scheme.size() + 1 || !header.starts_with(scheme) ||
        header[scheme.size()] != ' ')
        return {};
    std::string token = header.substr(scheme.size() + 1);
    return token.size() > 200 ? std::string() : token;
}

Result<User> api_user(Context& ctx) {
    const std::string token = credential(ctx, "Bearer");
    if (token.empty())
        return fail(Error{ErrorKind::unauthorized,
                          "Stuur uw persoonlijke API-sleutel mee: Authorization: Bearer ...",
                          {}});
    auto user = ctx.app.db().find_user_by_api_token(crypto::hash_secret(token));
    if (!user || user->disabled)
        return fail(Error{ErrorKind::unauthorized, "Deze API-sleutel is niet (meer) geldig.", {}});
    return *user;
}

Result<json::object> body_object(const Context& ctx) {
    json::error_code ec;
    json::value v = json::parse(ctx.request.body, ec);
    if (ec || !v.is_object())
        return fail(Error::invalid("De inhoud is geen geldig JSON-object."));
    return v.as_object();
}

std::string string_field(const json::object& o, std::string_view key) {
    auto it = o.find(key);
    return it != o.end() && it->value().is_string() ? std::string(it->value().as_string())
                                                    : std::string();
}

struct ApiRound {
    Assessment round;
    LibraryEntry instrument;
};

Result<ApiRound> round_for(Context& ctx, const User& user) {
    const auto id = parse_id(ctx.request.param("id"));
    auto round = id ? ctx.app.db().find_assessment(*id) : std::nullopt;
    if (!round)
        return fail(Error::not_found("Deze ronde bestaat niet."));
    if (auto allowed = check_tenant(user, round->municipality_id); !allowed)
        return fail(Error::not_found("Deze ronde bestaat niet."));
    auto instrument = ctx.app.library().get(round->instrument_key, round->instrument_version);
    if (!instrument)
        return fail(Error::internal("instrument ontbreekt"));
    return ApiRound{*round, *instrument};
}

json::object round_json(Context& ctx, const Assessment& a) {
    json::array participants;
    for (const auto& p : ctx.app.db().participants_of(a.id)) {
        json::object po{{"id", p.id},
                        {"label", p.label},
                        {"status", p.revoked        ? "ingetrokken"
                                   : p.submitted_at ? "ingeleverd"
                                   : p.started_at   ? "bezig"
                                                    : "niet_begonnen"}};
        participants.push_back(po);
    }
    return json::object{{"id", a.id},
                        {"municipalityId", a.municipality_id},
                        {"title", a.title},
                        {"instrument", a.instrument_key},
                        {"instrumentVersion", a.instrument_version},
                        {"mode", std::string(round_mode_name(a.mode))},
                        {"status", a.open ? "open" : "gesloten"},
                        {"closesOn", a.closes_on},
                        {"previousId", a.previous_id ? json::value(*a.previous_id) : nullptr},
                        {"participants", participants}};
}

json::value optional_number(const std::optional<double>& v) {
    return v ? json::value(*v) : json::value(nullptr);
}

json::object results_json(const Instrument& instrument, const StoredRound& stored) {
    const RoundResults& r = stored.results;
    json::array participants;
    for (const auto& p : r.participants)
        participants.push_back(json::object{{"id", p.participant_id}, {"label", p.label}});
    json::array items;
    for (const auto& s : r.scale_items) {
        json::object dist;
        for (int v = s.min; v <= s.max; ++v)
            dist[std::to_string(v)] = s.count(v);
        json::array values;
        for (const auto& p : s.participants)
            values.push_back(json::object{
                {"participantId", p.participant_id},
                {"label", p.label},
                {"value", p.state == ScoreState::value && p.value ? json::value(*p.value)
                          : p.state == ScoreState::dont_know      ? json::value("dont_know")
                                                                  : json::value(nullptr)}});
        items.push_back(
            json::object{{"itemId", s.item_id},
                         {"theme", s.theme},
                         {"type", "scale"},
                         {"distribution", dist},
                         {"dontKnow", s.dont_know},
                         {"unanswered", s.unanswered},
                         {"mean", optional_number(s.mean)},
                         {"spread", s.spread ? json::value(*s.spread) : json::value(nullptr)},
                         {"differs", s.differs},
                         {"agreed", s.agreed ? json::value(*s.agreed) : json::value(nullptr)},
                         {"values", values}});
    }
    for (const auto& c : r.choice_items) {
        json::array options;
        for (const auto& o : c.options) {
            json::array by;
            for (const auto& l : o.chosen_by)
                by.emplace_back(l);
            options.push_back(json::object{
                {"optionId", o.option_id}, {"count", o.chosen_by.size()}, {"chosenBy", by}});
        }
        json::array others;
        for (const auto& t : c.other_texts)
            others.push_back(
                json::object{{"optionId", t.option_id}, {"label", t.label}, {"text", t.text}});
        const Item* item = instrument.find_item(c.item_id);
        items.push_back(json::object{
            {"itemId", c.item_id},
            {"theme", c.theme},
            {"type", item ? std::string(item_type_name(item->type)) : std::string("multi")},
            {"options", options},
            {"otherTexts", others}});
    }
    json::array themes;
    for (const auto& t : r.themes)
        themes.push_back(json::object{{"themeId", t.theme_id},
                                      {"title", t.title.nl},
                                      {"mean", optional_number(t.mean)},
                                      {"spread", t.spread ? json::value(*t.spread) : nullptr},
                                      {"dontKnow", t.dont_know},
                                      {"n", t.n}});
    json::array observations;
    for (const auto& o : r.observations)
        observations.push_back(json::object{{"subject", o.subject}, {"text", o.text}});
    return json::object{{"participants", participants},
                        {"items", items},
                        {"themes", themes},
                        {"observations", observations}};
}

json::object action_json(const Action& a) {
    return json::object{{"id", a.id},
                        {"theme", a.theme},
                        {"description", a.description},
                        {"owner", a.owner},
                        {"department", a.department},
                        {"due", a.due},
                        {"status", std::string(action_status_name(a.status))},
                        {"carriedFrom", a.carried_from ? json::value(*a.carried_from) : nullptr}};
}

ActionInput action_input(const json::object& o, const Action* base) {
    ActionInput in = base ? ActionInput{base->theme,      base->description, base->owner,
                                        base->department, base->due,         base->status}
                          : ActionInput{};
    auto take = [&](const char* key, std::string& into) {
        if (o.contains(key))
            into = string_field(o, key);
    };
    take("theme", in.theme);
    take("description", in.description);
    take("owner", in.owner);
    take("department", in.department);
    take("due", in.due);
    if (o.contains("status"))
        in.status = parse_action_status(string_field(o, "status")).value_or(in.status);
    return in;
}

Result<InvitedRound> invited(Context& ctx) {
    const std::string token = credential(ctx, "Invitation");
    if (token.empty())
        return fail(Error{ErrorKind::unauthorized,
                          "Stuur de uitnodiging mee: Authorization: Invitation ...",
                          {}});
    auto found = find_invitation(ctx.app, token);
    if (!found)
        return fail(Error{ErrorKind::unauthorized, "Deze uitnodiging is niet (meer) geldig.", {}});
    return std::move(*found);
}

std::string read_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

} // namespace

void register_api_routes(App& app) {
    app.add("GET", "/api/v1/openapi.json", Access::api, [](Context& ctx) {
        static const std::string doc = read_file(ctx.app.options().root / "docs" / "openapi.json");
        return Response::text(200, doc, "application/json");
    });

    app.add("GET", "/api/v1/instruments", Access::api, [](Context& ctx) {
        auto user = api_user(ctx);
        if (!user)
            return problem_for(user.error());
        json::array list;
        for (const auto& e : ctx.app.library().current())
            list.push_back(json::object{{"id", e.stored.key},
                                        {"version", e.stored.version},
                                        {"title", e.instrument->title.nl},
                                        {"steps", e.instrument->steps.size()},
                                        {"items", e.instrument->answerable_items().size()}});
        return json_response(200, json::object{{"instruments", list}});
    });

    app.add("POST", "/api/v1/assessments", Access::api, [](Context& ctx) {
        auto user = api_user(ctx);
        if (!user)
            return problem_for(user.error());
        auto body = body_object(ctx);
        if (!body)
            return problem_for(body.error());
        std::optional<long long> municipality = user->municipality_id;
        if (user->role == Role::admin && body->contains("municipalityId") &&
            body->at("municipalityId").is_int64())
            municipality = body->at("municipalityId").as_int64();
        if (!municipality || !ctx.app.db().find_municipality(*municipality))
            return problem(422, "Niet alles klopt", "Geef de gemeente op (municipalityId).");
        NewAssessment raw;
        raw.instrument_key = string_field(*body, "instrument");
        raw.title = string_field(*body, "title");
        const std::string mode = string_field(*body, "mode");
        raw.mode = parse_round_mode(mode.empty() ? "separate" : mode).value_or(RoundMode::separate);
        raw.closes_on = string_field(*body, "closesOn");
        if (body->contains("participants") && body->at("participants").is_array())
            for (const auto& p : body->at("participants").as_array())
                if (p.is_object())
                    raw.labels.push_back(string_field(p.as_object(), "label"));
        std::map<std::string, std::string> errors;
        auto input = validate_new_assessment(raw, today());
        if (!input)
            errors = input.error().fields;
        if (!mode.empty() && !parse_round_mode(mode))
            errors["mode"] = "Kies \"separate\" (ieder apart) of \"meeting\" (samen).";
        auto instrument = ctx.app.library().latest(raw.instrument_key);
        if (!instrument)
            errors["instrument"] = "Dit instrument bestaat niet.";
        if (!errors.empty())
            return problem(422, "Niet alles klopt", "Controleer de velden.", errors);
        const long long now = storage::now_seconds();
        auto id = ctx.app.db().create_assessment(
            *municipality, *input, instrument->stored.version, std::nullopt, user->id, now,
            [&](long long pid, int generation) {
                return crypto::hash_secret(ctx.app.invitation_token(pid, generation));
            });
        if (!id)
            return problem_for(id.error());
        ctx.app.db().audit(user->id, *municipality, "ronde_aangemaakt", input->title, now);
        auto round = ctx.app.db().find_assessment(*id);
        json::object out = round_json(ctx, *round);
        // The only time the API gives out the participants' links.
        json::array invitations;
        for (const auto& p : ctx.app.db().participants_of(*id)) {
            const std::string token = ctx.app.invitation_token(p.id, p.token_generation);
            invitations.push_back(json::object{{"participantId", p.id},
                                               {"label", p.label},
                                               {"token", token},
                                               {"url", ctx.app.invitation_url(ctx, token)}});
        }
        out["invitations"] = invitations;
        Response r = json_response(201, out);
        r.set_header("Location", "/api/v1/assessments/" + std::to_string(*id));
        return r;
    });

    app.add("GET", "/api/v1/assessments/{id}", Access::api, [](Context& ctx) {
        auto user = api_user(ctx);
        if (!user)
            return problem_for(user.error());
        auto r = round_for(ctx, *user);
        if (!r)
            return problem_for(r.error());
        return json_response(200, round_json(ctx, r->round));
    });

    app.add("POST", "/api/v1/assessments/{id}/close", Access::api, [](Context& ctx) {
        auto user = api_user(ctx);
        if (!user)
            return problem_for(user.error());
        auto r = round_for(ctx, *user);
        if (!r)
            return problem_for(r.error());
        const long long now = storage::now_seconds();
        (void)ctx.app.db().set_assessment_open(r->round.id, false, now);
        ctx.app.db().audit(user->id, r->round.municipality_id, "ronde_gesloten", r->round.title,
                           now);
        return json_response(200, round_json(ctx, *ctx.app.db().find_assessment(r->round.id)));
    });

    app.add("GET", "/api/v1/assessments/{id}/results", Access::api, [](Context& ctx) {
        auto user = api_user(ctx);
        if (!user)
            return problem_for(user.error());
        auto r = round_for(ctx, *user);
        if (!r)
            return problem_for(r.error());
        const bool drafts = ctx.request.query.get("concepten") == "1";
        const auto stored =
            load_round_results(ctx.app.db(), r->round, *r->instrument.instrument, drafts);
        return json_response(200, results_json(*r->instrument.instrument, stored));
    });

    app.add("GET", "/api/v1/assessments/{id}/actions", Access::api, [](Context& ctx) {
        auto user = api_user(ctx);
        if (!user)
            return problem_for(user.error());
        auto r = round_for(ctx, *user);
        if (!r)
            return problem_for(r.error());
        json::array list;
        for (const auto& a : ctx.app.db().actions_of_assessment(r->round.id))
            list.push_back(action_json(a));
        return json_response(200, json::object{{"actions", list}});
    });

    app.add("POST", "/api/v1/assessments/{id}/actions", Access::api, [](Context& ctx) {
        auto user = api_user(ctx);
        if (!user)
            return problem_for(user.error());
        auto r = round_for(ctx, *user);
        if (!r)
            return problem_for(r.error());
        auto body = body_object(ctx);
        if (!body)
            return problem_for(body.error());
        auto input = validate_action(action_input(*body, nullptr));
        if (!input)
            return problem_for(input.error());
        auto id = ctx.app.db().create_action(r->round.municipality_id, r->round.id, *input,
                                             std::nullopt, user->id, storage::now_seconds());
        if (!id)
            return problem_for(id.error());
        return json_response(201, action_json(*ctx.app.db().find_action(*id)));
    });

    app.add("PATCH", "/api/v1/assessments/{id}/actions/{actionId}", Access::api, [](Context& ctx) {
        auto user = api_user(ctx);
        if (!user)
            return problem_for(user.error());
        auto r = round_for(ctx, *user);
        if (!r)
            return problem_for(r.error());
        const auto aid = parse_id(ctx.request.param("actionId"));
        auto action = aid ? ctx.app.db().find_action(*aid) : std::nullopt;
        if (!action || action->assessment_id != r->round.id)
            return problem(404, "Niet gevonden", "Deze actie bestaat niet.");
        auto body = body_object(ctx);
        if (!body)
            return problem_for(body.error());
        if (body->contains("status") && !parse_action_status(string_field(*body, "status")))
            return problem(422, "Niet alles klopt", "Onbekende status.",
                           {{"status", "Kies open, bezig, gedaan of vervallen."}});
        auto input = validate_action(action_input(*body, &*action));
        if (!input)
            return problem_for(input.error());
        (void)ctx.app.db().update_action(*action, *input, user->id, storage::now_seconds());
        return json_response(200, action_json(*ctx.app.db().find_action(action->id)));
    });

    app.add("GET", "/api/v1/participation", Access::api, [](Context& ctx) {
        auto inv = invited(ctx);
        if (!inv)
            return problem_for(inv.error());
        json::object answers;
        for (const auto& [item_id, value] : ctx.app.db().answers_of(inv->participant.id))
            if (const Item* item = inv->instrument.instrument->find_item(item_id))
                if (auto a = deserialize_answer(*item, value))
                    answers[item_id] = api::answer_to_json(*a);
        return json_response(200,
                             json::object{{"label", inv->participant.label},
                                          {"round", inv->round.title},
                                          {"instrument", inv->round.instrument_key},
                                          {"open", inv->round.open},
                                          {"submitted", inv->participant.submitted_at.has_value()},
                                          {"answers", answers}});
    });

    app.add("PUT", "/api/v1/participation/answers/{itemId}", Access::api, [](Context& ctx) {
        auto inv = invited(ctx);
        if (!inv)
            return problem_for(inv.error());
        if (!inv->round.open)
            return problem(409, "Ronde gesloten",
                           "Deze ronde is gesloten. U kunt niets meer wijzigen.");
        const Item* item = inv->instrument.instrument->find_item(ctx.request.param("itemId"));
        if (!item || !item->answerable())
            return problem(404, "Niet gevonden", "Deze vraag bestaat niet in dit instrument.");
        auto body = body_object(ctx);
        if (!body)
            return problem_for(body.error());
        if (!body->contains("value"))
            return problem(422, "Niet alles klopt", "Stuur het antwoord als {\"value\": ...}.");
        auto raw = api::raw_from_json(*item, body->at("value"));
        if (!raw)
            return problem_for(raw.error());
        auto answer = parse_answer(*item, *raw);
        if (!answer)
            return problem_for(answer.error());
        ctx.app.save_answers(inv->round, inv->participant.id,
                             {{item->id, serialize_answer(*answer)}});
        return json_response(200, json::object{{"itemId", item->id},
                                               {"value", api::answer_to_json(*answer)},
                                               {"saved", true}});
    });

    app.add("POST", "/api/v1/participation/submit", Access::api, [](Context& ctx) {
        auto inv = invited(ctx);
        if (!inv)
            return problem_for(inv.error());
        if (!inv->round.open)
            return problem(409, "Ronde gesloten", "Deze ronde is gesloten.");
        ctx.app.db().submit_participant(inv->participant.id, storage::now_seconds());
        return json_response(200, json::object{{"submitted", true}});
    });
}

} // namespace gids::web
