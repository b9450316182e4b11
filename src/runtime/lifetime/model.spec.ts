import {
  canKeep,
  dueWarning,
  formatCountdown,
  formatUptime,
  goneKernel,
  IKernelLifetime,
  lifetimeFacts,
  lifetimeSummary,
  nextLookIn,
  POLL_S,
  warningMessage
} from './model';

/** English as written, with %1-style arguments filled in (what nullTranslator does). */
const __ = (text: string, ...args: unknown[]): string =>
  args.reduce<string>(
    (out, arg, i) => out.replace(`%${i + 1}`, String(arg)),
    text
  );

function lifetime(overrides: Partial<IKernelLifetime> = {}): IKernelLifetime {
  return {
    kernel_id: 'k1',
    type: 'gpu',
    started: '2026-01-01T12:00:00+00:00',
    uptime_s: 3900,
    last_activity: '2026-01-01T13:00:00Z',
    execution_state: 'idle',
    idle_shutdown_in_s: 3300,
    lifetime_ends_in_s: null,
    can_extend: false,
    can_keep: true,
    warning_s: 300,
    ...overrides
  };
}

describe('formatting', () => {
  it('rounds uptime down and countdowns to the nearest minute', () => {
    expect([5.9, 59, 3900, 7200].map(formatUptime)).toEqual([
      '5 s',
      '59 s',
      '1 h 5 min',
      '2 h'
    ]);
    expect([39.6, 89, 3595, 3660].map(formatCountdown)).toEqual([
      '40 s',
      '89 s',
      '60 min',
      '1 h 1 min'
    ]);
  });

  it('says how long the kernel is up and what ends it first (or all, soonest first)', () => {
    expect(lifetimeSummary(lifetime(), __)).toBe(
      'up 1 h 5 min · auto-shutdown in 55 min'
    );
    const both = lifetime({
      uptime_s: 5,
      idle_shutdown_in_s: 3595,
      lifetime_ends_in_s: 40
    });
    expect(lifetimeSummary(both, __)).toBe('up 5 s · ends in 40 s');
    expect(lifetimeSummary(both, __, true)).toBe(
      'up 5 s · maximum lifetime ends in 40 s · idle shutdown in 60 min'
    );
    // Culling off (or a busy or connected kernel it spares): only the uptime.
    expect(lifetimeSummary(lifetime({ idle_shutdown_in_s: null }), __)).toBe(
      'up 1 h 5 min'
    );
  });
});

describe('warnings', () => {
  it('warns within warning_s of the soonest shutdown only', () => {
    expect(dueWarning(lifetime())).toBeNull();
    expect(dueWarning(lifetime({ idle_shutdown_in_s: 299 }))).toEqual({
      kind: 'idle',
      inS: 299
    });
    const view = lifetime({ idle_shutdown_in_s: 3000, lifetime_ends_in_s: 40 });
    const due = dueWarning(view)!;
    expect(due.kind).toBe('lifetime');
    expect(warningMessage(view, due, 'a.ipynb', __)).toBe(
      'a.ipynb: its runtime reaches its maximum lifetime in 40 s; the kernel will then be shut down and its variables lost.'
    );
  });

  it('offers Keep running only where the server allows it', () => {
    const idle = { kind: 'idle' as const, inS: 100 };
    const end = { kind: 'lifetime' as const, inS: 100 };
    expect(canKeep(lifetime(), idle)).toBe(true);
    expect(canKeep(lifetime(), end)).toBe(false);
    expect(canKeep(lifetime({ can_extend: true }), end)).toBe(true);
    expect(canKeep(lifetime({ can_keep: false }), idle)).toBe(false);
  });
});

describe('nextLookIn', () => {
  it('waits POLL_S unless a warning or a shutdown comes sooner', () => {
    expect(nextLookIn(lifetime())).toBe(POLL_S);
    // The warning is due in 5 s: look just after.
    expect(nextLookIn(lifetime({ lifetime_ends_in_s: 305 }))).toBe(6);
    // Already warned, shutting down in 10 s: look just after, to say why it went.
    expect(nextLookIn(lifetime({ idle_shutdown_in_s: 10 }))).toBe(12);
    expect(nextLookIn(lifetime({ idle_shutdown_in_s: 0 }))).toBe(2);
    expect(nextLookIn(lifetime({ idle_shutdown_in_s: null }))).toBe(POLL_S);
  });
});

describe('goneKernel', () => {
  it('reads the reason of a 404 for a kernel that was shut down', () => {
    expect(
      goneKernel({
        message: 'x',
        gone_reason: 'idle',
        gone_message: 'after 1 h idle'
      })
    ).toEqual({ reason: 'idle', message: 'after 1 h idle' });
    expect(goneKernel({ message: 'There is no running kernel' })).toBeNull();
    expect(goneKernel(null)).toBeNull();
    expect(goneKernel('text')).toBeNull();
  });
});

describe('lifetimeFacts', () => {
  it('says what applies, and why not when nothing does', () => {
    const view = lifetime({
      idle_timeout_s: 3600,
      lifetime_ends_in_s: 38,
      max_lifetime_s: 45
    });
    expect(lifetimeFacts(view, __)).toEqual([
      ['lifetime_uptime', 'Kernel up for', '1 h 5 min'],
      ['lifetime_idle', 'Idle shutdown', 'in 55 min if it stays idle'],
      ['lifetime_end', 'Maximum lifetime', 'in 38 s (at most 45 s)']
    ]);
    const spared = lifetimeFacts(
      lifetime({
        idle_timeout_s: 3600,
        idle_shutdown_in_s: null,
        hub_idle_shutdown_in_s: 600
      }),
      __
    );
    expect(spared[1][2]).toBe(
      'not now: this server spares busy or connected kernels'
    );
    expect(spared[2][2]).toBe('no maximum');
    expect(spared[3]).toEqual([
      'lifetime_hub',
      'JupyterHub idle stop',
      'in about 10 min if nothing is done'
    ]);
    const off = lifetimeFacts(lifetime({ idle_shutdown_in_s: null }), __);
    expect(off[1][2]).toBe(
      'never: this server does not shut idle kernels down'
    );
  });

  it('on a gateway, says the gateway decides instead of "never"', () => {
    const remote = lifetime({ idle_shutdown_in_s: null, kernels_remote: true });
    expect(lifetimeFacts(remote, __)[1][2]).toBe(
      'decided by the cluster gateway (not visible from this server)'
    );
    expect(lifetimeSummary(remote, __)).toBe('up 1 h 5 min');
    expect(lifetimeSummary(remote, __, true)).toBe(
      'up 1 h 5 min · the gateway may shut it down when unused, by its own settings'
    );
  });
});
