import { KernelMessage } from '@jupyterlab/services';

import {
  badName,
  chunkNumbers,
  freeName,
  UPLOAD_MESSAGE,
  uploadReply,
  uploadRequest
} from './upload';

function message(content: Record<string, unknown>): KernelMessage.IMessage {
  return {
    header: { msg_type: UPLOAD_MESSAGE, msg_id: 'm1', session: 'kernel' },
    parent_header: { msg_type: 'execute_request', msg_id: 'cell' },
    metadata: {},
    content,
    channel: 'iopub'
  } as unknown as KernelMessage.IMessage;
}

describe('uploadRequest', () => {
  it('reads a request and refuses what it does not understand', () => {
    expect(
      uploadRequest(message({ id: 'a', dir: 'x/y', multiple: true }))
    ).toEqual({ id: 'a', dir: 'x/y', multiple: true });
    expect(uploadRequest(message({ id: 'a' }))).toBeNull();
  });
});

describe('uploadReply', () => {
  it("is Colab's colab_reply with the outcome or the error", () => {
    const outcome = {
      files: [{ name: 'a', saved: 'a (1)' }],
      errors: [],
      cancelled: false
    };
    expect(JSON.parse(uploadReply('i', outcome))).toEqual({
      type: 'colab_reply',
      colab_msg_id: 'i',
      data: outcome
    });
    expect(JSON.parse(uploadReply('i', { error: 'no' })).error).toBe('no');
  });
});

describe('names', () => {
  it('picks a free name as Colab does, never overwriting', async () => {
    const taken = new Set(['data.csv', 'data (1).csv', 'README']);
    const isTaken = async (name: string): Promise<boolean> => taken.has(name);
    expect(await freeName('data.csv', isTaken)).toBe('data (2).csv');
    expect(await freeName('README', isTaken)).toBe('README (1)');
    expect(await freeName('new.txt', isTaken)).toBe('new.txt');
  });

  it('refuses hidden names and paths', () => {
    expect(badName('x.csv')).toBeNull();
    expect(badName('.env')).toContain('hidden');
    expect(badName('../x')).toBe('not a single file name');
  });

  it('numbers chunks as the file browser does', () => {
    expect(chunkNumbers(10, 4)).toEqual([1, 2, -1]);
    expect(chunkNumbers(8, 4)).toEqual([1, -1]);
    expect(chunkNumbers(4, 4)).toEqual([undefined]);
    expect(chunkNumbers(0, 4)).toEqual([undefined]);
  });
});
