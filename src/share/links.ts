/**
 * Share links as the frontend sees them: the server's payloads (the calls are in `api.ts`), and
 * the small pure helpers the dialog and the panel show them with.
 */
/** One link, as the owner sees it (the server never sends its token again). */
export interface IShareLink {
  id: string;
  path: string;
  label: string;
  include_outputs: boolean;
  /** Seconds since the epoch. */
  created_at: number;
  expires_at: number | null;
  revoked_at: number | null;
  end_reason: 'revoked' | 'deleted' | null;
  visits: number;
  last_visit_at: number | null;
  created_by: string;
  active: boolean;
}

/** A link just made: the only time its URL (holding its token) is known. */
export interface INewShareLink extends IShareLink {
  url: string;
}

/** The answer of `GET share/links`. */
export interface IShareLinkList {
  enabled: boolean;
  public_url: string | null;
  links: IShareLink[];
}

/** What the dialog asks the server for. */
export interface IShareOptions {
  path: string;
  include_outputs: boolean;
  expires_in_s: number | null;
  label: string;
}

/** Units a link's lifetime is chosen in. */
export type ExpiryUnit = 'hours' | 'days' | 'never';

const SECONDS: Record<Exclude<ExpiryUnit, 'never'>, number> = {
  hours: 3600,
  days: 24 * 3600
};

/** The server's limit: a link expires within a year, or never. */
export const MAX_EXPIRY_S = 366 * 24 * 3600;

/**
 * Seconds until a link expires, from the dialog's amount and unit; null for never.
 *
 * @throws {Error} with a message for the user when the amount is not a positive number or the
 *   result is past a year.
 */
export function expirySeconds(amount: number, unit: ExpiryUnit): number | null {
  if (unit === 'never') {
    return null;
  }
  if (!Number.isFinite(amount) || amount <= 0) {
    throw new Error('The expiry must be a positive number.');
  }
  const seconds = Math.round(amount * SECONDS[unit]);
  if (seconds > MAX_EXPIRY_S) {
    throw new Error(
      'A link can last at most a year (366 days), or never expire.'
    );
  }
  return seconds;
}

/** The link's state in words: "active", "revoked", "expired", "notebook deleted". */
export function linkStatus(link: IShareLink, nowS: number): string {
  if (link.end_reason === 'deleted') {
    return 'notebook deleted';
  }
  if (link.revoked_at !== null) {
    return 'revoked';
  }
  if (link.expires_at !== null && nowS >= link.expires_at) {
    return 'expired';
  }
  return 'active';
}

/** When a link expires, in words relative to now ("in 3 days", "never", "expired"). */
export function describeExpiry(expiresAt: number | null, nowS: number): string {
  if (expiresAt === null) {
    return 'never';
  }
  const left = expiresAt - nowS;
  if (left <= 0) {
    return 'expired';
  }
  return `in ${describeSpan(left)}`;
}

/**
 * A span of seconds in the largest unit it reaches, rounded to the nearest ("2 hours", "7 days").
 *
 * Not rounded down: a link made to last 7 days is a few seconds short of it by the time it is
 * shown, and must read "7 days", not "6 days". A unit is reached within half of the next smaller
 * one (23 h 45 min reads "1 day", 23 h 20 min "23 hours").
 */
export function describeSpan(seconds: number): string {
  const units: [number, number, string][] = [
    [24 * 3600, 1800, 'day'],
    [3600, 30, 'hour'],
    [60, 0, 'minute']
  ];
  for (const [size, slack, name] of units) {
    if (seconds + slack >= size) {
      const count = Math.max(1, Math.round(seconds / size));
      return `${count} ${name}${count === 1 ? '' : 's'}`;
    }
  }
  return 'less than a minute';
}

/** A timestamp (seconds since the epoch) as the user's local date and time. */
export function formatTime(seconds: number | null): string {
  if (seconds === null) {
    return '—';
  }
  return new Date(seconds * 1000).toLocaleString(undefined, {
    dateStyle: 'short',
    timeStyle: 'short'
  });
}
