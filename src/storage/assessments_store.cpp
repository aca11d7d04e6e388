// Rounds, participants, answers, agreed scores and actions.
#include "storage/database.hpp"
#include "storage/rows.hpp"

namespace gids::storage {

namespace {

const std::string assessment_columns =
    "id, municipality_id, instrument_key, instrument_version, title, mode, closes_on, status, "
    "previous_id, created_at, closed_at FROM assessments";

Assessment to_assessment(const soci::row& r) {
    Assessment a;
    a.id = as_int(r, 0);
    a.municipality_id = as_int(r, 1);
    a.instrument_key = as_text(r, 2);
    a.instrument_version = static_cast<int>(as_int(r, 3));
    a.title = as_text(r, 4);
    a.mode = parse_round_mode(as_text(r, 5)).value_or(RoundMode::separate);
    a.closes_on = as_text(r, 6);
    a.open = as_text(r, 7) == "open";
    a.previous_id = as_opt_int(r, 8);
    a.created_at = as_int(r, 9);
    a.closed_at = as_opt_int(r, 10);
    return a;
}

const std::string participant_columns =
    "id, assessment_id, position, label, name, token_generation, "
    "CASE WHEN token_hash IS NULL THEN 1 ELSE 0 END, started_at, submitted_at, updated_at "
    "FROM participants";

Participant to_participant(const soci::row& r) {
    Participant p;
    p.id = as_int(r, 0);
    p.assessment_id = as_int(r, 1);
    p.position = static_cast<int>(as_int(r, 2));
    p.label = as_text(r, 3);
    p.name = as_text(r, 4);
    p.token_generation = static_cast<int>(as_int(r, 5));
    p.revoked = as_int(r, 6) != 0;
    p.started_at = as_opt_int(r, 7);
    p.submitted_at = as_opt_int(r, 8);
    p.updated_at = as_opt_int(r, 9);
    return p;
}

const std::string action_columns =
    "id, municipality_id, assessment_id, theme, description, owner, department, due, status, "
    "carried_from, created_at, updated_at FROM actions";

Action to_action(const soci::row& r) {
    Action a;
    a.id = as_int(r, 0);
    a.municipality_id = as_int(r, 1);
    a.assessment_id = as_opt_int(r, 2);
    a.theme = as_text(r, 3);
    a.description = as_text(r, 4);
    a.owner = as_text(r, 5);
    a.department = as_text(r, 6);
    a.due = as_text(r, 7);
    a.status = parse_action_status(as_text(r, 8)).value_or(ActionStatus::open);
    a.carried_from = as_opt_int(r, 9);
    a.created_at = as_int(r, 10);
    a.updated_at = as_int(r, 11);
    return a;
}

long long first_int(Lease& sql, const std::string& q, const std::vector<Param>& p) {
    long long v = 0;
    sql.each(q, p, [&](const soci::row& r) { v = as_int(r, 0); });
    return v;
}

} // namespace

Result<long long>
Database::create_assessment(long long municipality_id, const NewAssessment& in,
                            int instrument_version, std::optional<long long> previous_id,
                            long long user_id, long long now,
                            const std::function<std::string(long long, int)>& token_hash_for) {
    Lease sql(*this);
    Transaction tx(*sql, m_engine);
    const long long id = first_int(
        sql,
        "INSERT INTO assessments (municipality_id, instrument_key, instrument_version, title, "
        "mode, closes_on, status, previous_id, created_by, created_at) "
        "VALUES (:m, :k, :v, :t, :mo, :c, 'open', :p, :u, :at) RETURNING id",
        {municipality_id, in.instrument_key, static_cast<long long>(instrument_version), in.title,
         std::string(round_mode_name(in.mode)), in.closes_on, previous_id, user_id, now});
    for (std::size_t i = 0; i < in.labels.size(); ++i) {
        const long long pid = first_int(
            sql,
            "INSERT INTO participants (assessment_id, position, label) VALUES (:a, :p, :l) "
            "RETURNING id",
            {id, static_cast<long long>(i + 1), in.labels[i]});
        sql.exec("UPDATE participants SET token_hash = :h WHERE id = :id",
                 {std::optional(token_hash_for(pid, 1)), pid});
    }
    tx.commit();
    return id;
}

std::vector<Assessment> Database::list_assessments(long long municipality_id) {
    Lease sql(*this);
    std::vector<Assessment> out;
    sql.each("SELECT " + assessment_columns +
                 " WHERE municipality_id = :m ORDER BY created_at DESC, id DESC",
             {municipality_id}, [&](const soci::row& r) { out.push_back(to_assessment(r)); });
    return out;
}

std::optional<Assessment> Database::find_assessment(long long id) {
    Lease sql(*this);
    std::optional<Assessment> out;
    sql.each("SELECT " + assessment_columns + " WHERE id = :id", {id},
             [&](const soci::row& r) { out = to_assessment(r); });
    return out;
}

long long Database::round_revision(long long assessment_id) {
    Lease sql(*this);
    return first_int(sql, "SELECT revision FROM assessments WHERE id = :id", {assessment_id});
}

Status Database::set_assessment_open(long long id, bool open, long long now) {
    Lease sql(*this);
    sql.exec("UPDATE assessments SET status = :s, closed_at = :c WHERE id = :id",
             {std::string(open ? "open" : "closed"),
              open ? std::optional<long long>() : std::optional<long long>(now), id});
    return {};
}

std::vector<Participant> Database::participants_of(long long assessment_id) {
    Lease sql(*this);
    std::vector<Participant> out;
    sql.each("SELECT " + participant_columns + " WHERE assessment_id = :a ORDER BY position",
             {assessment_id}, [&](const soci::row& r) { out.push_back(to_participant(r)); });
    return out;
}

std::optional<Participant> Database::find_participant(long long id) {
    Lease sql(*this);
    std::optional<Participant> out;
    sql.each("SELECT " + participant_columns + " WHERE id = :id", {id},
             [&](const soci::row& r) { out = to_participant(r); });
    return out;
}

std::optional<Participant> Database::find_participant_by_token(const std::string& token_hash) {
    Lease sql(*this);
    std::optional<Participant> out;
    sql.each("SELECT " + participant_columns + " WHERE token_hash = :h", {token_hash},
             [&](const soci::row& r) { out = to_participant(r); });
    return out;
}

void Database::set_participant_token(long long participant_id, int generation,
                                     const std::string& token_hash) {
    Lease sql(*this);
    sql.exec("UPDATE participants SET token_generation = :g, token_hash = :h WHERE id = :id",
             {static_cast<long long>(generation),
              token_hash.empty() ? std::optional<std::string>() : std::optional(token_hash),
              participant_id});
}

void Database::save_answers(long long participant_id,
                            const std::vector<std::pair<std::string, std::string>>& item_values,
                            long long now) {
    Lease sql(*this);
    Transaction tx(*sql, m_engine);
    for (const auto& [item, value] : item_values) {
        if (value.empty())
            sql.exec("DELETE FROM answers WHERE participant_id = :p AND item_id = :i",
                     {participant_id, item});
        else
            sql.exec("INSERT INTO answers (participant_id, item_id, value, updated_at) "
                     "VALUES (:p, :i, :v, :t) ON CONFLICT (participant_id, item_id) "
                     "DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
                     {participant_id, item, value, now});
    }
    sql.exec("UPDATE participants SET started_at = COALESCE(started_at, :t), updated_at = :t2 "
             "WHERE id = :id",
             {now, now, participant_id});
    sql.exec("UPDATE assessments SET revision = revision + 1 "
             "WHERE id = (SELECT assessment_id FROM participants WHERE id = :p)",
             {participant_id});
    tx.commit();
}

std::map<std::string, std::string> Database::answers_of(long long participant_id) {
    Lease sql(*this);
    std::map<std::string, std::string> out;
    sql.each("SELECT item_id, value FROM answers WHERE participant_id = :p", {participant_id},
             [&](const soci::row& r) { out[as_text(r, 0)] = as_text(r, 1); });
    return out;
}

std::map<long long, std::map<std::string, std::string>>
Database::answers_of_assessment(long long assessment_id) {
    Lease sql(*this);
    std::map<long long, std::map<std::string, std::string>> out;
    sql.each("SELECT a.participant_id, a.item_id, a.value FROM answers a JOIN participants p "
             "ON p.id = a.participant_id WHERE p.assessment_id = :a",
             {assessment_id},
             [&](const soci::row& r) { out[as_int(r, 0)][as_text(r, 1)] = as_text(r, 2); });
    return out;
}

void Database::submit_participant(long long participant_id, long long now) {
    Lease sql(*this);
    Transaction tx(*sql, m_engine);
    sql.exec("UPDATE participants SET submitted_at = :t, updated_at = :t2, "
             "started_at = COALESCE(started_at, :t3) WHERE id = :id",
             {now, now, now, participant_id});
    sql.exec("UPDATE assessments SET revision = revision + 1 "
             "WHERE id = (SELECT assessment_id FROM participants WHERE id = :p)",
             {participant_id});
    tx.commit();
}

void Database::set_agreed(long long assessment_id, const std::string& item_id,
                          std::optional<int> score, const std::string& note, long long now) {
    Lease sql(*this);
    std::optional<long long> s;
    if (score)
        s = *score;
    sql.exec("INSERT INTO agreed_scores (assessment_id, item_id, score, note, updated_at) "
             "VALUES (:a, :i, :s, :n, :t) ON CONFLICT (assessment_id, item_id) DO UPDATE SET "
             "score = excluded.score, note = excluded.note, updated_at = excluded.updated_at",
             {assessment_id, item_id, s, note, now});
    sql.exec("UPDATE assessments SET revision = revision + 1 WHERE id = :a", {assessment_id});
}

std::map<std::string, std::pair<std::optional<int>, std::string>>
Database::agreed_of(long long assessment_id) {
    Lease sql(*this);
    std::map<std::string, std::pair<std::optional<int>, std::string>> out;
    sql.each("SELECT item_id, score, note FROM agreed_scores WHERE assessment_id = :a",
             {assessment_id}, [&](const soci::row& r) {
                 auto score = as_opt_int(r, 1);
                 out[as_text(r, 0)] = {score ? std::optional<int>(static_cast<int>(*score))
                                             : std::nullopt,
                                       as_text(r, 2)};
             });
    return out;
}

Result<long long> Database::create_action(long long municipality_id,
                                          std::optional<long long> assessment,
                                          const ActionInput& in,
                                          std::optional<long long> carried_from,
                                          std::optional<long long> user_id, long long now) {
    Lease sql(*this);
    Transaction tx(*sql, m_engine);
    const long long id =
        first_int(sql,
                  "INSERT INTO actions (municipality_id, assessment_id, theme, description, owner, "
                  "department, due, status, carried_from, created_at, updated_at) VALUES "
                  "(:m, :a, :th, :d, :o, :dep, :due, :s, :c, :t, :t2) RETURNING id",
                  {municipality_id, assessment, in.theme, in.description, in.owner, in.department,
                   in.due, std::string(action_status_name(in.status)), carried_from, now, now});
    sql.exec("INSERT INTO action_history (action_id, at, user_id, change) VALUES (:a, :t, :u, :c)",
             {id, now, user_id,
              std::string(carried_from ? "Meegenomen uit de vorige ronde" : "Actie aangemaakt")});
    tx.commit();
    return id;
}

Status Database::update_action(const Action& before, const ActionInput& in, long long user_id,
                               long long now) {
    const auto changes = describe_action_changes(before, in);
    if (changes.empty())
        return {};
    Lease sql(*this);
    Transaction tx(*sql, m_engine);
    sql.exec("UPDATE actions SET theme = :th, description = :d, owner = :o, department = :dep, "
             "due = :due, status = :s, updated_at = :t WHERE id = :id",
             {in.theme, in.description, in.owner, in.department, in.due,
              std::string(action_status_name(in.status)), now, before.id});
    for (const auto& change : changes)
        sql.exec("INSERT INTO action_history (action_id, at, user_id, change) "
                 "VALUES (:a, :t, :u, :c)",
                 {before.id, now, user_id, change});
    tx.commit();
    return {};
}

std::optional<Action> Database::find_action(long long id) {
    Lease sql(*this);
    std::optional<Action> out;
    sql.each("SELECT " + action_columns + " WHERE id = :id", {id},
             [&](const soci::row& r) { out = to_action(r); });
    return out;
}

std::vector<Action> Database::actions_of_assessment(long long assessment_id) {
    Lease sql(*this);
    std::vector<Action> out;
    sql.each("SELECT " + action_columns + " WHERE assessment_id = :a ORDER BY theme, id",
             {assessment_id}, [&](const soci::row& r) { out.push_back(to_action(r)); });
    return out;
}

std::vector<Action> Database::open_actions_of_municipality(long long municipality_id) {
    Lease sql(*this);
    std::vector<Action> out;
    sql.each("SELECT " + action_columns +
                 " WHERE municipality_id = :m AND status IN ('open', 'bezig') "
                 "AND NOT EXISTS (SELECT 1 FROM actions c WHERE c.carried_from = actions.id) "
                 "ORDER BY CASE WHEN due = '' THEN 1 ELSE 0 END, due, id",
             {municipality_id}, [&](const soci::row& r) { out.push_back(to_action(r)); });
    return out;
}

std::vector<Database::HistoryLine> Database::action_history(long long action_id) {
    Lease sql(*this);
    std::vector<HistoryLine> out;
    sql.each("SELECT h.at, COALESCE(u.email, ''), h.change FROM action_history h "
             "LEFT JOIN users u ON u.id = h.user_id WHERE h.action_id = :a ORDER BY h.id",
             {action_id}, [&](const soci::row& r) {
                 out.push_back({as_int(r, 0), as_text(r, 1), as_text(r, 2)});
             });
    return out;
}

} // namespace gids::storage
