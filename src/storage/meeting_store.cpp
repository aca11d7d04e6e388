// Live meeting state and its numbered events.
#include "storage/database.hpp"
#include "storage/postgresql/round_listener.hpp"
#include "storage/rows.hpp"

namespace gids::storage {

namespace {

MeetingEventKind kind_from(const std::string& name) {
    for (auto k : {MeetingEventKind::opened, MeetingEventKind::joined, MeetingEventKind::answered,
                   MeetingEventKind::revealed, MeetingEventKind::agreed, MeetingEventKind::closed})
        if (meeting_event_name(k) == name)
            return k;
    return MeetingEventKind::answered;
}

std::string payload_of(MeetingEventKind kind, const LiveState& state) {
    return kind == MeetingEventKind::revealed ? revealed_payload(state.revealed)
                                              : opened_payload(state);
}

// Called inside a transaction. On PostgreSQL, where several instances store events for one
// round at the same time, the round's row is locked first: the events of a round then
// commit in the order of their numbers, so that whoever has read a round's events up to
// number N never sees a smaller number appear later. The notification (see
// postgresql/round_listener.hpp) is sent when the transaction commits, never before.
MeetingEvent insert_event(Lease& sql, Engine engine, long long assessment_id, MeetingEventKind kind,
                          const std::string& payload, long long now) {
    if (engine == Engine::postgresql)
        sql.each("SELECT id FROM assessments WHERE id = :id FOR UPDATE", {assessment_id},
                 [](const soci::row&) {});
    MeetingEvent e{0, assessment_id, kind, payload, now};
    sql.each("INSERT INTO round_events (assessment_id, kind, payload, at) VALUES (:a, :k, :p, :t) "
             "RETURNING id",
             {assessment_id, std::string(meeting_event_name(kind)), payload, now},
             [&](const soci::row& r) { e.id = as_int(r, 0); });
    if (engine == Engine::postgresql)
        sql.each("SELECT 1 FROM pg_notify(:c, :a)",
                 {std::string(round_events_channel), std::to_string(assessment_id)},
                 [](const soci::row&) {});
    return e;
}

} // namespace

LiveState Database::live_state(long long assessment_id) {
    Lease sql(*this);
    LiveState state;
    sql.each("SELECT live_current, live_revealed FROM assessments WHERE id = :id", {assessment_id},
             [&](const soci::row& r) {
                 state.current = as_text(r, 0);
                 state.revealed = as_int(r, 1) != 0;
             });
    return state;
}

MeetingEvent Database::set_live_state(long long assessment_id, const LiveState& state,
                                      MeetingEventKind kind, long long now) {
    Lease sql(*this);
    Transaction tx(*sql, m_engine);
    auto e = insert_event(sql, m_engine, assessment_id, kind, payload_of(kind, state), now);
    sql.exec("UPDATE assessments SET live_current = :c, live_revealed = :r WHERE id = :id",
             {state.current, state.revealed ? 1LL : 0LL, assessment_id});
    tx.commit();
    return e;
}

MeetingEvent Database::append_event(long long assessment_id, MeetingEventKind kind,
                                    const std::string& payload, long long now) {
    Lease sql(*this);
    Transaction tx(*sql, m_engine);
    auto e = insert_event(sql, m_engine, assessment_id, kind, payload, now);
    tx.commit();
    return e;
}

std::vector<MeetingEvent> Database::events_after(long long assessment_id, long long after_id,
                                                 int limit) {
    Lease sql(*this);
    std::vector<MeetingEvent> out;
    sql.each("SELECT id, kind, payload, at FROM round_events WHERE assessment_id = :a AND id > :i "
             "ORDER BY id LIMIT :l",
             {assessment_id, after_id, static_cast<long long>(limit)}, [&](const soci::row& r) {
                 out.push_back({as_int(r, 0), assessment_id, kind_from(as_text(r, 1)),
                                as_text(r, 2), as_int(r, 3)});
             });
    return out;
}

std::unique_ptr<RoundListener> Database::listen_for_round_events(RoundListenerHandlers handlers) {
    if (m_engine != Engine::postgresql)
        return nullptr;
    return std::make_unique<RoundListener>(m_connect, std::move(handlers));
}

bool Database::mark_started(long long participant_id, long long now) {
    Lease sql(*this);
    bool changed = false;
    sql.each("UPDATE participants SET started_at = :t WHERE id = :id AND started_at IS NULL "
             "RETURNING id",
             {now, participant_id}, [&](const soci::row&) { changed = true; });
    return changed;
}

long long Database::last_event_id(long long assessment_id) {
    Lease sql(*this);
    long long id = 0;
    sql.each("SELECT COALESCE(MAX(id), 0) FROM round_events WHERE assessment_id = :a",
             {assessment_id}, [&](const soci::row& r) { id = as_int(r, 0); });
    return id;
}

} // namespace gids::storage
