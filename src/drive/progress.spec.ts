import type { IDriveJob } from './api';
import { enterFolder, formatBytes, jobFraction, jobMessage } from './progress';

function job(patch: Partial<IDriveJob>): IDriveJob {
  return {
    id: 'j',
    kind: 'open',
    name: 'data.csv',
    bytes_total: 2048,
    bytes_done: 1024,
    state: 'running',
    message: null,
    path: null,
    drive_file: null,
    ...patch
  };
}

describe('drive progress', () => {
  it('formats bytes', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(3 * 1024 ** 3)).toBe('3.0 GiB');
  });

  it('computes the fraction, unknown when the size is', () => {
    expect(jobFraction(job({}))).toBe(0.5);
    expect(jobFraction(job({ bytes_total: null }))).toBeUndefined();
    expect(jobFraction(job({ bytes_total: null, state: 'done' }))).toBe(1);
  });

  it('says where a transfer is', () => {
    expect(jobMessage(job({}))).toBe(
      'Copying from Drive: data.csv (1.0 KiB of 2.0 KiB)'
    );
    expect(jobMessage(job({ state: 'done', path: 'data.csv' }))).toBe(
      'Copied data.csv from Drive to data.csv.'
    );
    expect(jobMessage(job({ kind: 'save', state: 'done' }))).toBe(
      'Saved a copy of data.csv in Drive.'
    );
    expect(
      jobMessage(job({ state: 'failed', message: 'Drive said no.' }))
    ).toBe('Drive said no.');
  });

  it('keeps picker breadcrumbs', () => {
    const root = { id: 'root', name: 'My Drive' };
    const a = { id: 'a', name: 'A' };
    const b = { id: 'b', name: 'B' };
    expect(enterFolder([root], a)).toEqual([root, a]);
    expect(enterFolder([root, a, b], a)).toEqual([root, a]);
  });
});
