#pragma once
// Hands meeting events to the screens that follow a round, over Server-Sent Events. Each
// stream is a StreamSink held by its connection; the hub keeps only weak references, so a
// closed connection simply drops out. The hub knows where each stream is: an event is sent
// to a stream only when its number is higher than the last one that stream has, so a
// stream that caught up from the database never gets an event twice.

#include "domain/meeting.hpp"
#include "web/http.hpp"

#include <map>
#include <memory>
#include <mutex>
#include <vector>

namespace gids::web {

// One event in the text/event-stream format, with its id for Last-Event-ID.
std::string sse_format(const MeetingEvent& event);

class EventHub {
  public:
    // `seen`: the number of the last event the stream has already been sent.
    void subscribe(long long round_id, std::shared_ptr<StreamSink> sink, long long seen);
    // Call with the events of a round in the order of their numbers.
    void publish(const MeetingEvent& event);
    // Whether any open stream follows the round.
    bool follows(long long round_id) const;
    // A comment line to every stream: keeps proxies from closing idle streams and finds
    // clients that have gone.
    void ping();
    std::size_t streams() const;

  private:
    struct Follower {
        std::weak_ptr<StreamSink> sink;
        long long seen = 0;
    };
    mutable std::mutex m_mutex;
    std::map<long long, std::vector<Follower>> m_followers;
};

} // namespace gids::web
