import type { TimeUnit } from '../column-type.js';
import { PandasError } from '../errors/pandas-error.js';

// Calendar arithmetic on integer ticks, without Date (whose range and precision are smaller than
// datetime64's): proleptic Gregorian days <-> civil dates (H. Hinnant's algorithms), exact for
// every int64 tick count of every unit.

export const ticksPerSecond: Readonly<Record<TimeUnit, bigint>> = { s: 1n, ms: 1000n, us: 1_000_000n, ns: 1_000_000_000n };
const ticksPerMillisecond: Readonly<Record<TimeUnit, bigint>> = { s: 0n, ms: 1n, us: 1000n, ns: 1_000_000n };
/** The largest |milliseconds| a Date holds (ECMAScript: 8.64e15). */
const DATE_LIMIT = 8_640_000_000_000_000n;

function floorDivide(a: bigint, b: bigint): bigint {
  const quotient = a / b;
  return a % b !== 0n && a < 0n !== b < 0n ? quotient - 1n : quotient;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (any integer year). */
export function daysFromCivil(year: bigint, month: number, day: number): bigint {
  const y = month <= 2 ? year - 1n : year;
  const era = floorDivide(y, 400n);
  const yoe = y - era * 400n;
  const m = BigInt(month);
  const doy = (153n * (m > 2n ? m - 3n : m + 9n) + 2n) / 5n + BigInt(day) - 1n;
  const doe = yoe * 365n + yoe / 4n - yoe / 100n + doy;
  return era * 146097n + doe - 719468n;
}

/** The civil date of a day count since 1970-01-01. */
export function civilFromDays(days: bigint): { year: bigint; month: number; day: number } {
  const z = days + 719468n;
  const era = floorDivide(z, 146097n);
  const doe = z - era * 146097n;
  const yoe = (doe - doe / 1460n + doe / 36524n - doe / 146096n) / 365n;
  const doy = doe - (365n * yoe + yoe / 4n - yoe / 100n);
  const mp = (5n * doy + 2n) / 153n;
  const day = Number(doy - (153n * mp + 2n) / 5n + 1n);
  const month = Number(mp < 10n ? mp + 3n : mp - 9n);
  return { year: yoe + era * 400n + (month <= 2 ? 1n : 0n), month, day };
}

/** Days in a month of a proleptic Gregorian year. */
export function daysInMonth(year: bigint, month: number): number {
  if (month === 2) return (year % 4n === 0n && year % 100n !== 0n) || year % 400n === 0n ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

const pad = (value: number | bigint, width: number): string => value.toString().padStart(width, '0');

function formatYear(year: bigint): string {
  if (year >= 0n && year <= 9999n) return pad(year, 4);
  // ISO 8601 expanded years: a sign and at least six digits.
  return `${year < 0n ? '-' : '+'}${pad(year < 0n ? -year : year, 6)}`;
}

const offsetFormats = new Map<string, Intl.DateTimeFormat>();

/** The UTC offset of `timezone` at the instant `milliseconds`, in minutes. */
function offsetMinutes(timezone: string, milliseconds: bigint, row: number): number {
  const fixed = /^(?:UTC|GMT)?([+-])(\d{2}):?(\d{2})$/.exec(timezone);
  if (fixed !== null) return (fixed[1] === '-' ? -1 : 1) * (Number(fixed[2]) * 60 + Number(fixed[3]));
  if (timezone === 'UTC' || timezone === 'utc' || timezone === 'Z' || timezone === 'Etc/UTC') return 0;
  let format = offsetFormats.get(timezone);
  if (format === undefined) {
    try {
      format = new Intl.DateTimeFormat('en-US', { timeZone: timezone, timeZoneName: 'longOffset' });
    } catch (error) {
      throw new PandasError(
        'ERR_PANDAS_INVALID_TYPE',
        `The time zone "${timezone}" is not one this JavaScript engine knows (Intl); use an IANA name such as "Europe/Paris", "UTC" or a fixed offset "+01:00".`,
        {
          cause: error,
          details: { operation: 'toISOStrings', timezone },
        },
      );
    }
    offsetFormats.set(timezone, format);
  }
  if (milliseconds < -DATE_LIMIT || milliseconds > DATE_LIMIT) {
    throw new PandasError(
      'ERR_PANDAS_DATETIME_RANGE',
      `Row ${row} lies outside the years JavaScript's time zone data covers (±275,000), so its offset in ${timezone} is unknown; no offset can be given for it.`,
      {
        details: { operation: 'toISOStrings', index: row, timezone },
      },
    );
  }
  const name = format.formatToParts(new Date(Number(milliseconds))).find((part) => part.type === 'timeZoneName')?.value ?? 'GMT';
  const match = /^GMT(?:([+-])(\d{1,2})(?::?(\d{2}))?)?$/.exec(name);
  if (match === null || match[1] === undefined) return 0;
  return (match[1] === '-' ? -1 : 1) * (Number(match[2]) * 60 + Number(match[3] ?? '0'));
}

/**
 * The ISO 8601 text of `ticks` as pandas' `Timestamp.isoformat()` writes it: the wall time (in
 * `timezone` with its offset, or naive), the fraction with 6 digits when the value has
 * microseconds and 9 when it has nanoseconds, none when whole. Exact for every tick.
 */
export function ticksToIso(ticks: bigint, unit: TimeUnit, timezone: string | null, row: number): string {
  const perSecond = ticksPerSecond[unit];
  let seconds = floorDivide(ticks, perSecond);
  const nanoseconds = (ticks - seconds * perSecond) * (1_000_000_000n / perSecond);
  let suffix = '';
  if (timezone !== null) {
    const offset = offsetMinutes(timezone, seconds * 1000n, row);
    seconds += BigInt(offset * 60);
    const sign = offset < 0 ? '-' : '+';
    const magnitude = Math.abs(offset);
    suffix = `${sign}${pad(Math.floor(magnitude / 60), 2)}:${pad(magnitude % 60, 2)}`;
  }
  const days = floorDivide(seconds, 86400n);
  const within = Number(seconds - days * 86400n);
  const { year, month, day } = civilFromDays(days);
  const time = `${pad(Math.floor(within / 3600), 2)}:${pad(Math.floor(within / 60) % 60, 2)}:${pad(within % 60, 2)}`;
  const fraction = nanoseconds === 0n ? '' : nanoseconds % 1000n === 0n ? `.${pad(nanoseconds / 1000n, 6)}` : `.${pad(nanoseconds, 9)}`;
  return `${formatYear(year)}-${pad(month, 2)}-${pad(day, 2)}T${time}${fraction}${suffix}`;
}

/** How `toDates` treats a value finer than a millisecond. */
export type DatePrecision = 'exact' | 'floor';

/**
 * The `Date` of `ticks` (an instant: naive values are read as UTC). A value a Date cannot hold
 * is an error, never a silent change: outside ±8.64e15 ms always; finer than a millisecond
 * unless `precision` is `'floor'` (rounds toward the past, as pandas' `floor('ms')`).
 */
export function ticksToDate(ticks: bigint, unit: TimeUnit, precision: DatePrecision, row: number): Date {
  let milliseconds: bigint;
  if (unit === 's') milliseconds = ticks * 1000n;
  else {
    const per = ticksPerMillisecond[unit];
    milliseconds = floorDivide(ticks, per);
    if (precision === 'exact' && milliseconds * per !== ticks) {
      throw new PandasError(
        'ERR_PANDAS_DATETIME_RANGE',
        `Row ${row} (${ticksToIso(ticks, unit, null, row)}) has ${unit === 'ns' ? 'nanoseconds' : 'microseconds'}, which a Date (milliseconds) cannot hold; use toISOStrings() for the exact value, or toDates({ precision: 'floor' }) to drop them knowingly.`,
        {
          details: { operation: 'toDates', index: row, unit },
        },
      );
    }
  }
  if (milliseconds < -DATE_LIMIT || milliseconds > DATE_LIMIT) {
    throw new PandasError(
      'ERR_PANDAS_DATETIME_RANGE',
      `Row ${row} (${ticksToIso(ticks, unit, null, row)}) is outside the range of a Date (±8.64e15 ms, years -271821..275760); use toISOStrings() instead.`,
      {
        details: { operation: 'toDates', index: row, unit },
      },
    );
  }
  return new Date(Number(milliseconds));
}
