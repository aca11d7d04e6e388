#include "cli/demo_rounds.hpp"

#include "domain/answer.hpp"
#include "storage/crypto.hpp"

#include <ctime>

namespace gids::cli {

namespace {

constexpr long long day = 24 * 3600;

std::string date_from(long long unix_seconds) {
    const std::time_t t = static_cast<std::time_t>(unix_seconds);
    std::tm tm{};
    localtime_r(&t, &tm);
    char buf[16];
    std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
    return buf;
}

// Answers as a form would send them, checked by the same validation as a participant's.
using Fields =
    std::vector<std::pair<std::string, std::vector<std::pair<std::string, std::string>>>>;

Status save(storage::Database& db, const Instrument& instrument, long long participant,
            const Fields& fields, long long at) {
    std::vector<std::pair<std::string, std::string>> values;
    for (const auto& [item_id, raw_fields] : fields) {
        const Item* item = instrument.find_item(item_id);
        if (!item)
            return fail(Error::internal("demo: onbekende vraag " + item_id));
        RawAnswer raw(raw_fields.begin(), raw_fields.end());
        auto answer = parse_answer(*item, raw);
        if (!answer)
            return fail(Error::internal("demo: " + item_id + ": " + answer.error().message));
        values.emplace_back(item_id, serialize_answer(*answer));
    }
    db.save_answers(participant, values, at);
    return {};
}

Fields scores(const std::vector<int>& values) {
    Fields out;
    const char* ids[] = {"stelling-a", "stelling-b", "stelling-c",
                         "stelling-d", "stelling-e", "stelling-f"};
    for (std::size_t i = 0; i < values.size() && i < 6; ++i)
        out.push_back(
            {ids[i], {{"value", values[i] == 0 ? "dont_know" : std::to_string(values[i])}}});
    return out;
}

Fields merge(Fields a, const Fields& b) {
    a.insert(a.end(), b.begin(), b.end());
    return a;
}

} // namespace

Status create_demo_rounds(storage::Database& db, long long municipality_id,
                          const web::LibraryEntry& tool, long long coordinator_id,
                          const std::string& secret) {
    const Instrument& instrument = *tool.instrument;
    const long long now = storage::now_seconds();
    const long long then = now - 180 * day;
    auto token_hash = [&](long long pid, int generation) {
        return crypto::hash_secret(crypto::invitation_token(secret, pid, generation));
    };

    NewAssessment first{tool.stored.key,
                        "Armoede en gezondheid 2026",
                        RoundMode::meeting,
                        "",
                        {"Armoede", "Gezondheid", "GGD", "Welzijn"}};
    auto first_id = db.create_assessment(municipality_id, first, tool.stored.version, std::nullopt,
                                         coordinator_id, then, token_hash);
    if (!first_id)
        return fail(first_id.error());
    const auto people = db.participants_of(*first_id);
    // Two people see a clear vision (A: 4), two do not (2 and 3): one to talk about. Focus
    // (D) scores lowest; half of them do not know about policy connections (C).
    const std::vector<Fields> answers = {
        merge(scores({4, 3, 2, 2, 4, 3}),
              {{"vraag-1", {{"option", "veel-inwoners"}, {"option", "levensbrede-aanpak"}}},
               {"vraag-3", {{"option", "wijkteams"}, {"option", "peilingen"}}},
               {"vraag-12", {{"option", "ja"}, {"other.ja", "In het coalitieakkoord 2026-2030."}}},
               {"wat-opvalt", {{"value", "Wij kennen de cijfers per wijk nog niet goed."}}},
               {"acties",
                {{"rows[0].theme", "A"},
                 {"rows[0].action", "Gezamenlijke visie op armoede en gezondheid opstellen"},
                 {"rows[0].who", "Armoede"},
                 {"rows[0].department", "Beleid sociaal domein"}}}}),
        merge(scores({2, 3, 2, 1, 3, 4}),
              {{"vraag-1", {{"option", "betere-ondersteuning"}}},
               {"vraag-3",
                {{"option", "peilingen"},
                 {"option", "anders"},
                 {"other.anders", "via de huisartsen"}}},
               {"opmerkingen-a",
                {{"value", "De visie staat op papier, maar leeft niet in de wijk."}}},
               {"acties",
                {{"rows[0].theme", "D"},
                 {"rows[0].action",
                  "Huisartsen en wijkteam geven signalen van geldzorgen aan elkaar door"},
                 {"rows[0].who", "Gezondheid"},
                 {"rows[0].department", "Publieke gezondheid"}}}}),
        merge(scores({4, 4, 0, 2, 4, 3}),
              {{"vraag-1", {{"option", "veel-inwoners"}}},
               {"vraag-3", {{"option", "peilingen"}, {"option", "databestanden"}}},
               {"acties",
                {{"rows[0].theme", "B"},
                 {"rows[0].action",
                  "Wijkcijfers uit de gezondheidsmonitor naast de armoedemonitor leggen"},
                 {"rows[0].who", "GGD"},
                 {"rows[0].department", "Epidemiologie"}}}}),
        merge(scores({3, 2, 0, 1, 3, 5}),
              {{"vraag-1", {{"option", "levensbrede-aanpak"}}},
               {"vraag-3", {{"option", "gesprekken"}, {"option", "ervaringsdeskundigen"}}},
               {"opmerkingen-d", {{"value", "Veel mensen met schulden komen pas laat bij ons."}}}}),
    };
    for (std::size_t i = 0; i < people.size() && i < answers.size(); ++i) {
        const long long at = then + static_cast<long long>(i + 1) * 3600;
        if (auto ok = save(db, instrument, people[i].id, answers[i], at); !ok)
            return ok;
        db.submit_participant(people[i].id, at + 600);
    }
    db.set_agreed(*first_id, "stelling-a", 3,
                  "De visie is er, maar wordt niet overal gedeeld. Daarom 3.", then + 5 * 3600);
    db.set_agreed(*first_id, "stelling-f", 4, "Draagvlak bij de wethouders is er.",
                  then + 5 * 3600);
    (void)db.set_assessment_open(*first_id, false, then + 6 * 3600);

    struct DemoAction {
        const char* theme;
        const char* description;
        const char* owner;
        const char* department;
        long long due_offset; // from now, in days; 0 = no date
        ActionStatus status;
    };
    const DemoAction actions[] = {
        {"A", "Gezamenlijke visie op armoede en gezondheid opstellen", "Petra de Vries",
         "Beleid sociaal domein", -60, ActionStatus::gedaan},
        {"B", "Wijkcijfers uit de gezondheidsmonitor naast de armoedemonitor leggen", "GGD",
         "Epidemiologie", -14, ActionStatus::bezig},
        {"D", "Huisartsen en wijkteam geven signalen van geldzorgen aan elkaar door",
         "Wijkteam Noord", "Uitvoering", 45, ActionStatus::open},
        {"F", "Wethouders armoede en gezondheid bespreken samen de aanpak", "Petra de Vries",
         "Bestuursondersteuning", 0, ActionStatus::open},
    };
    std::vector<std::pair<long long, ActionInput>> carried;
    for (const auto& a : actions) {
        ActionInput in{a.theme,
                       a.description,
                       a.owner,
                       a.department,
                       a.due_offset == 0 ? "" : date_from(now + a.due_offset * day),
                       a.status};
        auto id = db.create_action(municipality_id, *first_id, in, std::nullopt, coordinator_id,
                                   then + 6 * 3600);
        if (!id)
            return fail(id.error());
        if (a.status != ActionStatus::gedaan && a.status != ActionStatus::vervallen)
            carried.emplace_back(*id, in);
    }

    NewAssessment second{tool.stored.key,
                         "Armoede en gezondheid 2027",
                         RoundMode::separate,
                         "",
                         {"Armoede", "Gezondheid", "GGD", "Welzijn"}};
    auto second_id = db.create_assessment(municipality_id, second, tool.stored.version, *first_id,
                                          coordinator_id, now - 2 * day, token_hash);
    if (!second_id)
        return fail(second_id.error());
    for (const auto& [from, in] : carried)
        if (auto id = db.create_action(municipality_id, *second_id, in, from, coordinator_id,
                                       now - 2 * day);
            !id)
            return fail(id.error());
    const auto next_people = db.participants_of(*second_id);
    if (next_people.size() >= 2) {
        if (auto ok =
                save(db, instrument, next_people[0].id, scores({4, 3, 3, 3, 4, 4}), now - day);
            !ok)
            return ok;
        db.submit_participant(next_people[0].id, now - day);
        if (auto ok = save(db, instrument, next_people[1].id, scores({3, 4, 3}), now - day / 2);
            !ok)
            return ok;
    }
    db.audit(coordinator_id, municipality_id, "ronde_aangemaakt", first.title, then);
    db.audit(coordinator_id, municipality_id, "ronde_herhaald", second.title, now - 2 * day);
    return {};
}

} // namespace gids::cli
