/**
 * HTTP-dates (RFC 9110 §5.6.7), read strictly: the preferred IMF-fixdate and
 * the two obsolete forms every recipient must still accept. Date.parse is not
 * used: it reads far looser text, and differently from one engine to another.
 */

const SHORT_DAY = '(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)';
const LONG_DAY = '(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)';
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const MONTH = `(${MONTHS.join('|')})`;
const TIME_OF_DAY = '(\\d{2}):(\\d{2}):(\\d{2})';

/** `Sun, 06 Nov 1994 08:49:37 GMT` */
const IMF_FIXDATE = new RegExp(`^${SHORT_DAY}, (\\d{2}) ${MONTH} (\\d{4}) ${TIME_OF_DAY} GMT$`);
/** `Sunday, 06-Nov-94 08:49:37 GMT` */
const RFC_850_DATE = new RegExp(`^${LONG_DAY}, (\\d{2})-${MONTH}-(\\d{2}) ${TIME_OF_DAY} GMT$`);
/** `Sun Nov  6 08:49:37 1994` */
const ASCTIME_DATE = new RegExp(`^${SHORT_DAY} ${MONTH} (\\d{2}| \\d) ${TIME_OF_DAY} (\\d{4})$`);

interface DateFields {
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
}

/**
 * The moment an HTTP-date names, or undefined when the text is not exactly one
 * of its three forms or names no real day and time (31 Feb, 24:00:00). The
 * weekday is not checked against the date: the grammar alone decides. `now`
 * places a two-digit RFC 850 year in its century.
 */
export function parseHttpDate(text: string, now: number): Date | undefined {
  const imf = IMF_FIXDATE.exec(text);
  if (imf !== null) return moment(Number(imf[3]), fieldsOf(imf[2], imf[1], imf[4], imf[5], imf[6]));
  const rfc850 = RFC_850_DATE.exec(text);
  if (rfc850 !== null) {
    const fields = fieldsOf(rfc850[2], rfc850[1], rfc850[4], rfc850[5], rfc850[6]);
    return moment(rfc850Year(Number(rfc850[3]), fields, now), fields);
  }
  const asctime = ASCTIME_DATE.exec(text);
  if (asctime !== null) return moment(Number(asctime[6]), fieldsOf(asctime[1], asctime[2], asctime[3], asctime[4], asctime[5]));
  return undefined;
}

function fieldsOf(...[month, day, hour, minute, second]: Array<string | undefined>): DateFields {
  return {
    month: MONTHS.indexOf(month ?? ''),
    day: Number(day),
    hour: Number(hour),
    minute: Number(minute),
    second: Number(second),
  };
}

/** The fields at that year, where out-of-range values roll over, as Date does. */
function timeAt(year: number, { month, day, hour, minute, second }: DateFields): number {
  const date = new Date(0);
  date.setUTCFullYear(year, month, day);
  date.setUTCHours(hour, minute, second, 0);
  return date.getTime();
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function daysIn(year: number, month: number): number {
  return month === 1 ? (isLeapYear(year) ? 29 : 28) : ([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month] ?? 0);
}

/** Second 60 is a leap second (RFC 9110 §5.6.7); it is read as the first second of the next minute. */
function moment(year: number, fields: DateFields): Date | undefined {
  const { month, day, hour, minute, second } = fields;
  if (!Number.isInteger(year) || day < 1 || day > daysIn(year, month) || hour > 23 || minute > 59 || second > 60) return undefined;
  return new Date(timeAt(year, fields));
}

/**
 * RFC 9110 §5.6.7: a two-digit year that would put the date more than 50 years
 * in the future names the most recent past year with those digits.
 */
function rfc850Year(twoDigits: number, fields: DateFields, now: number): number {
  const current = new Date(now).getUTCFullYear();
  const limit = new Date(now);
  limit.setUTCFullYear(current + 50);
  const year = current - (current % 100) + twoDigits;
  if (timeAt(year, fields) > limit.getTime()) return year - 100;
  return timeAt(year + 100, fields) <= limit.getTime() ? year + 100 : year;
}
