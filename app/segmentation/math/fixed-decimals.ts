// Number.prototype.toFixed, faster for the numbers reasons carry: a million
// customers' reasons format five to eight numbers each, and toFixed took
// about 160 ns a call where rounding and writing an integer takes about 60.

/** Below this magnitude the scaled value's rounding error (at most 2^-53 relative) stays under NEAR_HALF. */
const FAST_BELOW = 1e6;
const NEAR_HALF = 1e-6;
const SCALES = [1, 10, 100, 1000];
const ZEROS = ["", "0", "00", "000"];

/**
 * `v.toFixed(digits)` (digits 0 to 3), the same string for every number.
 * toFixed rounds the exact value of v; v · 10^digits as a double is within
 * 1e-7 of it below 1e6, so wherever that product is not within 1e-6 of a
 * half, both round to the same integer. Halves, near-halves, large numbers,
 * NaN and infinities are left to toFixed itself.
 */
export function toFixedDigits(v: number, digits: number): string {
  const a = Math.abs(v);
  if (!(a < FAST_BELOW) || !(digits >= 0 && digits <= 3 && Number.isInteger(digits))) return v.toFixed(digits);
  const scale = SCALES[digits];
  const scaled = a * scale;
  const floor = Math.floor(scaled);
  if (Math.abs(scaled - floor - 0.5) < NEAR_HALF) return v.toFixed(digits);
  const n = scaled - floor > 0.5 ? floor + 1 : floor;
  // toFixed writes "-" for every negative number, -0 excepted, even when it rounds to zero.
  const sign = v < 0 ? "-" : "";
  if (digits === 0) return sign + n;
  const whole = Math.floor(n / scale);
  const fraction = String(n - whole * scale);
  return `${sign}${whole}.${ZEROS[digits - fraction.length]}${fraction}`;
}
