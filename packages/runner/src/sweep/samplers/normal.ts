// Standard-normal and truncated-normal functions accurate far into the tails, in log space where
// the TPE needs it (a Parzen component can sit many sigmas away from a candidate).

const LOG_SQRT_PI = 0.5 * Math.log(Math.PI);
const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);
/** Below this |x| erf comes from its series; above it erfc from its continued fraction. */
const SERIES_LIMIT = 2.5;

/** erf(x) for |x| <= SERIES_LIMIT: 2/sqrt(pi) e^{-x^2} sum 2^n x^{2n+1} / (2n+1)!!, every term positive. */
function erfSeries(x: number): number {
  const x2 = x * x;
  let term = x;
  let sum = x;
  for (let n = 1; n < 200; n++) {
    term *= (2 * x2) / (2 * n + 1);
    sum += term;
    if (Math.abs(term) < 1e-17 * Math.abs(sum)) break;
  }
  return (2 / Math.sqrt(Math.PI)) * Math.exp(-x2) * sum;
}

/** log of the continued fraction x + (1/2)/(x + 1/(x + (3/2)/(x + ...))) for x > 0 (modified Lentz). */
function logErfcFraction(x: number): number {
  const tiny = 1e-300;
  let f = x;
  let c = f;
  let d = 0;
  for (let n = 1; n < 5000; n++) {
    const a = n / 2;
    d = x + a * d;
    d = Math.abs(d) < tiny ? 1 / tiny : 1 / d;
    c = x + a / c;
    if (Math.abs(c) < tiny) c = tiny;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.log(f);
}

/** log(erfc(x)) without underflow for large x. */
export function logErfc(x: number): number {
  if (x >= SERIES_LIMIT) return -x * x - LOG_SQRT_PI - logErfcFraction(x);
  if (x <= -SERIES_LIMIT) return Math.log(2 - Math.exp(-x * x - LOG_SQRT_PI - logErfcFraction(-x)));
  return Math.log(1 - erfSeries(x));
}

/** erfc(x) = 1 - erf(x). */
export function erfc(x: number): number {
  return Math.exp(logErfc(x));
}

/** Standard normal CDF. */
export function ndtr(a: number): number {
  return 0.5 * erfc(-a / Math.SQRT2);
}

/** log of the standard normal CDF, accurate in both tails. */
export function logNdtr(a: number): number {
  if (a > 6) return Math.log1p(-ndtr(-a));
  return Math.log(0.5) + logErfc(-a / Math.SQRT2);
}

/** log(e^p - e^q) for p >= q. */
function logDiff(p: number, q: number): number {
  return p + Math.log1p(-Math.exp(q - p));
}

/** log(e^p + e^q). */
export function logAddExp(p: number, q: number): number {
  if (p === -Infinity) return q;
  if (q === -Infinity) return p;
  const m = Math.max(p, q);
  return m + Math.log1p(Math.exp(-Math.abs(p - q)));
}

/** log of the standard normal probability mass in [a, b] (a <= b), computed on the tail that avoids cancellation. */
export function logGaussMass(a: number, b: number): number {
  if (b <= 0) return logDiff(logNdtr(b), logNdtr(a));
  if (a > 0) return logDiff(logNdtr(-a), logNdtr(-b));
  return Math.log1p(-ndtr(a) - ndtr(-b));
}

/** The x with logNdtr(x) = y, by bisection (robust where Newton's method would overflow in the tails). */
export function ndtriExp(y: number): number {
  let lo = -100;
  let hi = 100;
  for (let i = 0; i < 200; i++) {
    const mid = (lo + hi) / 2;
    if (mid === lo || mid === hi) break;
    if (logNdtr(mid) < y) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** Quantile q of the standard normal truncated to [a, b]. */
export function truncnormPpf(q: number, a: number, b: number): number {
  if (q <= 0) return a;
  if (q >= 1) return b;
  const mass = logGaussMass(a, b);
  // Work on the side of zero where the lower tail is small, so the CDF does not round to 1.
  const x = a < 0 ? ndtriExp(logAddExp(logNdtr(a), Math.log(q) + mass)) : -ndtriExp(logAddExp(logNdtr(-b), Math.log1p(-q) + mass));
  return Math.min(b, Math.max(a, x));
}

/** log density at standardised x of the standard normal truncated to [a, b]; -Infinity outside. */
export function truncnormLogPdf(x: number, a: number, b: number): number {
  if (x < a || x > b) return -Infinity;
  return -0.5 * x * x - LOG_SQRT_2PI - logGaussMass(a, b);
}
