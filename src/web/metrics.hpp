#pragma once
// Request counters and latency histograms, served in Prometheus text format at /metrics.

#include <array>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <tuple>

namespace gids::web {

class Metrics {
  public:
    void record(const std::string& route, const std::string& method, unsigned status,
                double seconds);
    // `gauges` adds lines such as the pool in use, read at the moment of the scrape.
    std::string render(const std::map<std::string, double>& gauges) const;

  private:
    static constexpr std::array<double, 10> bounds = {0.001, 0.0025, 0.005, 0.01, 0.025,
                                                      0.05,  0.1,    0.25,  0.5,  1.0};
    struct Histogram {
        std::array<unsigned long long, bounds.size()> buckets{};
        unsigned long long count = 0;
        double sum = 0;
    };
    mutable std::mutex m_mutex;
    std::map<std::tuple<std::string, std::string, unsigned>, unsigned long long> m_requests;
    std::map<std::string, Histogram> m_latency;
};

} // namespace gids::web
