// The 24-hour success chart of an integration: one column per hour, succeeded attempts in
// green under failed ones in red. The columns come from the delivery log (its latest 50
// attempts); the totals come from the hub's `stats.last24h` when it serves them (SPEC §15,
// exact), else from the same log.
import {h, svg} from "./dom.js";

const HOUR = 3600 * 1000;

// Attempts of the last 24 h by hour, oldest first: [{succeeded, failed}] × 24.
export function hourlyBuckets(attempts, now = Date.now()) {
  const buckets = Array.from({length: 24}, () => ({succeeded: 0, failed: 0}));
  for (const attempt of attempts) {
    const age = now - Date.parse(attempt.createdAt);
    if (!(age >= 0 && age < 24 * HOUR)) continue;
    const bucket = buckets[23 - Math.floor(age / HOUR)];
    if (attempt.status === "succeeded") bucket.succeeded += 1;
    else bucket.failed += 1;  // "failed", and "pending" (a failed attempt that will be retried)
  }
  return buckets;
}

export function totals(attempts, stats) {
  if (stats && stats.last24h) {
    const t = stats.last24h;
    return {succeeded: t.succeeded || 0, failed: t.failed || 0, pending: t.pending || 0, exact: true};
  }
  const sum = {succeeded: 0, failed: 0, pending: 0, exact: false};
  for (const b of hourlyBuckets(attempts)) {
    sum.succeeded += b.succeeded;
    sum.failed += b.failed;
  }
  return sum;
}

export function summaryText(t) {
  const done = t.succeeded + t.failed;
  if (done === 0 && !t.pending) return "No deliveries in the last 24 hours";
  const rate = done ? Math.round((100 * t.succeeded) / done) : 0;
  const pending = t.pending ? `, ${t.pending} pending` : "";
  return `Last 24 h: ${t.succeeded} succeeded, ${t.failed} failed${pending}` + (done ? ` (${rate}% success)` : "");
}

export function successChart(attempts, stats) {
  const buckets = hourlyBuckets(attempts);
  const peak = Math.max(1, ...buckets.map((b) => b.succeeded + b.failed));
  const width = 240;
  const height = 40;
  const column = width / 24;
  const bars = [];
  buckets.forEach((b, i) => {
    const x = i * column + 1;
    const okHeight = (b.succeeded / peak) * (height - 2);
    const failHeight = (b.failed / peak) * (height - 2);
    bars.push(svg("rect", {x, y: height - okHeight, width: column - 2, height: okHeight, class: "bar-ok"}));
    bars.push(svg("rect", {x, y: height - okHeight - failHeight, width: column - 2, height: failHeight,
                           class: "bar-failed"}));
  });
  const text = summaryText(totals(attempts, stats));
  return h("figure", {class: "chart"},
    svg("svg", {viewBox: `0 0 ${width} ${height}`, class: "chart-svg", role: "img",
                "aria-label": `${text}, by hour`, preserveAspectRatio: "none"},
        svg("rect", {x: 0, y: height - 1, width, height: 1, class: "chart-axis"}), ...bars),
    h("figcaption", {class: "chart-caption"}, text));
}
