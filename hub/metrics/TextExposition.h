// Writes metrics in the Prometheus text exposition format (version 0.0.4), the format
// `promtool check metrics` judges: for each family one `# HELP` and one `# TYPE` line, then its
// samples; label values escaped (\\, \", \n), HELP text escaped (\\, \n); histograms as
// cumulative `_bucket{le="…"}` samples ending with le="+Inf", then `_sum` and `_count`.
//
// Families must be written one after the other, each once: starting a family a second time, or
// writing a sample before any family, throws std::logic_error (a programming error, caught by
// the unit tests).
//
// Thread-safety: none; one writer per scrape.
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "metrics/Histogram.h"

namespace smbhub::metrics {

using Labels = std::vector<std::pair<std::string, std::string>>;

class TextExposition {
public:
    static constexpr const char* kContentType = "text/plain; version=0.0.4; charset=utf-8";

    // type: counter | gauge | histogram
    void family(const std::string& name, const std::string& type, const std::string& help);
    void sample(const Labels& labels, double value);
    void sample(const Labels& labels, std::uint64_t value);
    // A histogram's series for one label set (without "le").
    void histogram(const Labels& labels, const HistogramSnapshot& snapshot);

    const std::string& text() const { return out_; }

    static std::string escapeLabelValue(const std::string& value);
    static std::string formatNumber(double value);

private:
    void line(const std::string& suffix, const Labels& labels, const std::string& value);

    std::string out_;
    std::string current_;  // the family being written
    std::string currentType_;
    std::set<std::string> written_;
};

}  // namespace smbhub::metrics
