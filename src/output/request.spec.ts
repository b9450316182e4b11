import { KernelMessage } from '@jupyterlab/services';

import {
  evalRequest,
  invokeExpression,
  invokeResult,
  OUTPUT_MESSAGE,
  replyValue
} from './request';

function message(
  content: Record<string, unknown>,
  type: string = OUTPUT_MESSAGE
): KernelMessage.IMessage {
  return {
    header: { msg_type: type, msg_id: 'm1', session: 'kernel' },
    parent_header: { msg_type: 'execute_request', msg_id: 'cell' },
    metadata: {},
    content,
    channel: 'iopub'
  } as unknown as KernelMessage.IMessage;
}

describe('evalRequest', () => {
  it('reads a request, and nothing else', () => {
    expect(
      evalRequest(message({ id: 'r1', script: '1 + 2', ignore_result: false }))
    ).toEqual({ id: 'r1', script: '1 + 2', ignoreResult: false });
    expect(
      evalRequest(message({ id: 'r1', script: 'x', ignore_result: true }))
    ).toEqual({ id: 'r1', script: 'x', ignoreResult: true });
    expect(evalRequest(message({ id: 'r1' }))).toBeNull();
    expect(evalRequest(message({ id: 1, script: 'x' }))).toBeNull();
    expect(
      evalRequest(message({ id: 'r1', script: 'x' }, 'stream'))
    ).toBeNull();
  });
});

describe('replyValue', () => {
  const reply = (text: string): unknown => JSON.parse(text);
  it('carries the value as JSON, or none, or the error', () => {
    const base = { type: 'colab_reply', colab_msg_id: 'r1' };
    expect(reply(replyValue('r1', { value: 3 }))).toEqual({ ...base, data: 3 });
    expect(reply(replyValue('r1', { value: { a: [null] } }))).toEqual({
      ...base,
      data: { a: [null] }
    });
    expect(reply(replyValue('r1', { value: undefined }))).toEqual(base);
    expect(reply(replyValue('r1', { value: () => 1 }))).toEqual(base);
    expect(
      reply(replyValue('r1', { error: new ReferenceError('x is not defined') }))
    ).toEqual({ ...base, error: 'ReferenceError: x is not defined' });
    expect(reply(replyValue('r1', { error: 'plain' }))).toEqual({
      ...base,
      error: 'plain'
    });
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    const failed = reply(replyValue('r1', { value: cycle })) as {
      error: string;
    };
    expect(failed.error).toMatch(/^TypeError: /);
  });
});

describe('invokeExpression', () => {
  it('passes every argument as a Python string literal of its JSON', () => {
    expect(invokeExpression('notebook.AddOne', [41], { by: 'x' })).toBe(
      "__import__('google.colab.output', fromlist=['_'])._invoke_function(" +
        '"notebook.AddOne", "[41]", "{\\"by\\":\\"x\\"}")'
    );
    // Quotes, backslashes and newlines stay inside the literal.
    const tricky = invokeExpression('n"\\', ['")\nimport os'], {});
    expect(tricky).toContain('"n\\"\\\\"');
    expect(tricky).toContain('"[\\"\\\\\\")\\\\nimport os\\"]"');
    expect(tricky).not.toContain('\n');
  });
});

describe('invokeResult', () => {
  it('resolves with the formatted value and rejects with the exception', () => {
    expect(
      invokeResult({
        status: 'ok',
        data: { 'text/plain': '42' },
        metadata: {}
      })
    ).toEqual({ data: { 'text/plain': '42' }, metadata: {} });
    expect(() =>
      invokeResult({
        status: 'error',
        ename: 'ValueError',
        evalue: 'Function not found: x'
      })
    ).toThrow('ValueError: Function not found: x');
    expect(() => invokeResult(undefined)).toThrow('did not evaluate');
  });
});
