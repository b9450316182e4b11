import {
  describeExpiry,
  describeSpan,
  expirySeconds,
  IShareLink,
  linkStatus,
  MAX_EXPIRY_S
} from './links';

const base: IShareLink = {
  id: 'abc',
  path: 'a.ipynb',
  label: '',
  include_outputs: true,
  created_at: 1000,
  expires_at: null,
  revoked_at: null,
  end_reason: null,
  visits: 0,
  last_visit_at: null,
  created_by: '',
  active: true
};

describe('expirySeconds', () => {
  it('turns hours and days into seconds', () => {
    expect(expirySeconds(2, 'hours')).toBe(7200);
    expect(expirySeconds(7, 'days')).toBe(7 * 86400);
    expect(expirySeconds(1.5, 'hours')).toBe(5400);
  });

  it('gives null for never, whatever the amount', () => {
    expect(expirySeconds(NaN, 'never')).toBeNull();
  });

  it('refuses nonsense and more than a year', () => {
    expect(() => expirySeconds(0, 'days')).toThrow('positive');
    expect(() => expirySeconds(-1, 'hours')).toThrow('positive');
    expect(() => expirySeconds(NaN, 'hours')).toThrow('positive');
    expect(() => expirySeconds(367, 'days')).toThrow('at most a year');
    expect(expirySeconds(366, 'days')).toBe(MAX_EXPIRY_S);
  });
});

describe('linkStatus', () => {
  it('names each state', () => {
    expect(linkStatus(base, 2000)).toBe('active');
    expect(linkStatus({ ...base, expires_at: 1500 }, 2000)).toBe('expired');
    expect(linkStatus({ ...base, expires_at: 2500 }, 2000)).toBe('active');
    expect(
      linkStatus({ ...base, revoked_at: 1200, end_reason: 'revoked' }, 2000)
    ).toBe('revoked');
    expect(
      linkStatus({ ...base, revoked_at: 1200, end_reason: 'deleted' }, 2000)
    ).toBe('notebook deleted');
  });
});

describe('describeExpiry', () => {
  it('says when, relative to now', () => {
    expect(describeExpiry(null, 0)).toBe('never');
    expect(describeExpiry(100, 200)).toBe('expired');
    expect(describeExpiry(3 * 86400 + 5, 0)).toBe('in 3 days');
    expect(describeExpiry(3600, 0)).toBe('in 1 hour');
  });
});

describe('describeSpan', () => {
  it('rounds to the nearest in the largest unit reached', () => {
    expect(describeSpan(59)).toBe('less than a minute');
    expect(describeSpan(120)).toBe('2 minutes');
    expect(describeSpan(150)).toBe('3 minutes');
    expect(describeSpan(59 * 60 + 20)).toBe('59 minutes');
    expect(describeSpan(3600 - 10)).toBe('1 hour');
    expect(describeSpan(12 * 3600)).toBe('12 hours');
    expect(describeSpan(23 * 3600 + 20 * 60)).toBe('23 hours');
    expect(describeSpan(23 * 3600 + 45 * 60)).toBe('1 day');
    expect(describeSpan(86400 * 2 + 3600)).toBe('2 days');
  });

  it('reads a link made to last 7 days as 7 days, however long it took to show', () => {
    // #16: "Expires after 7 days" read "Expires in 6 days" right after making the link.
    for (const late of [0.2, 2, 59, 3600]) {
      expect(describeSpan(7 * 86400 - late)).toBe('7 days');
      expect(describeExpiry(1000 + 7 * 86400, 1000 + late)).toBe('in 7 days');
    }
    expect(describeExpiry(1000 + 2 * 3600, 1001)).toBe('in 2 hours');
    expect(describeExpiry(1000 + 86400, 1001)).toBe('in 1 day');
  });
});
