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
  it('rounds down to the largest unit', () => {
    expect(describeSpan(59)).toBe('less than a minute');
    expect(describeSpan(120)).toBe('2 minutes');
    expect(describeSpan(86400 * 2 + 3600)).toBe('2 days');
  });
});
