#include "metrics/TextExposition.h"

#include <charconv>
#include <cmath>
#include <stdexcept>

namespace smbhub::metrics {
namespace {

std::string escapeHelp(const std::string& text) {
    std::string out;
    for (const char c : text) {
        if (c == '\\') out += "\\\\";
        else if (c == '\n') out += "\\n";
        else out += c;
    }
    return out;
}

}  // namespace

std::string TextExposition::escapeLabelValue(const std::string& value) {
    std::string out;
    out.reserve(value.size());
    for (const char c : value) {
        if (c == '\\') out += "\\\\";
        else if (c == '"') out += "\\\"";
        else if (c == '\n') out += "\\n";
        else out += c;
    }
    return out;
}

std::string TextExposition::formatNumber(double value) {
    if (std::isnan(value)) return "NaN";
    if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
    char buffer[64];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);  // shortest round-trip
    return std::string(buffer, result.ptr);
}

void TextExposition::family(const std::string& name, const std::string& type, const std::string& help) {
    if (!written_.insert(name).second) throw std::logic_error("metric family written twice: " + name);
    current_ = name;
    currentType_ = type;
    out_ += "# HELP " + name + " " + escapeHelp(help) + "\n";
    out_ += "# TYPE " + name + " " + type + "\n";
}

void TextExposition::line(const std::string& suffix, const Labels& labels, const std::string& value) {
    if (current_.empty()) throw std::logic_error("metric sample written before its family");
    out_ += current_;
    out_ += suffix;
    if (!labels.empty()) {
        out_ += '{';
        for (std::size_t i = 0; i < labels.size(); ++i) {
            if (i) out_ += ',';
            out_ += labels[i].first;
            out_ += "=\"";
            out_ += escapeLabelValue(labels[i].second);
            out_ += '"';
        }
        out_ += '}';
    }
    out_ += ' ';
    out_ += value;
    out_ += '\n';
}

void TextExposition::sample(const Labels& labels, double value) {
    if (currentType_ == "histogram") throw std::logic_error("a histogram's samples go through histogram()");
    line("", labels, formatNumber(value));
}

void TextExposition::sample(const Labels& labels, std::uint64_t value) {
    if (currentType_ == "histogram") throw std::logic_error("a histogram's samples go through histogram()");
    line("", labels, std::to_string(value));
}

void TextExposition::histogram(const Labels& labels, const HistogramSnapshot& s) {
    if (currentType_ != "histogram") throw std::logic_error("histogram() in a family that is not a histogram");
    for (std::size_t i = 0; i < s.cumulative.size(); ++i) {
        Labels withLe = labels;
        withLe.emplace_back("le", i < s.bounds.size() ? formatNumber(s.bounds[i]) : "+Inf");
        line("_bucket", withLe, std::to_string(s.cumulative[i]));
    }
    line("_sum", labels, formatNumber(s.sumSeconds));
    line("_count", labels, std::to_string(s.count));
}

}  // namespace smbhub::metrics
