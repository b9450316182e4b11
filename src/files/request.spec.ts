import { KernelMessage } from '@jupyterlab/services';

import { ranHere } from '../kernelRequests';
import { FILES_MESSAGE, filesRequest } from './request';

/** An IOPub message as the kernel sends it, under a cell run by the connection `session`. */
function message(
  content: Record<string, unknown>,
  session = 'page-1',
  type: string = FILES_MESSAGE
): KernelMessage.IMessage {
  return {
    header: { msg_type: type, msg_id: 'm1', session: 'kernel' },
    parent_header: { msg_type: 'execute_request', msg_id: 'cell', session },
    metadata: {},
    content,
    channel: 'iopub'
  } as unknown as KernelMessage.IMessage;
}

describe('filesRequest', () => {
  it('reads a download and a folder view', () => {
    const download = { action: 'download', path: 'data/x.csv', name: 'x.csv' };
    expect(
      filesRequest(message({ ...download, kind: 'file', size: 8 }))
    ).toEqual({ ...download, kind: 'file', size: 8 });
    expect(
      filesRequest(
        message({ action: 'view', path: '', name: 'root', kind: 'directory' })
      )
    ).toEqual({
      action: 'view',
      path: '',
      name: 'root',
      kind: 'directory',
      size: null
    });
  });

  it('ignores other messages and what it does not understand', () => {
    const view = { action: 'view', path: 'x', name: 'x' };
    expect(filesRequest(message(view, 'page-1', 'stream'))).toBeNull();
    expect(filesRequest(message({ ...view, action: 'upload' }))).toBeNull();
    expect(filesRequest(message({ ...view, path: 3 }))).toBeNull();
  });
});

describe('ranHere', () => {
  it('is true only for the page whose connection ran the cell', () => {
    const sent = message({}, 'page-1');
    expect(ranHere(sent, 'page-1')).toBe(true);
    expect(ranHere(sent, 'page-2')).toBe(false);
    expect(ranHere(sent, undefined)).toBe(false);
  });
});
