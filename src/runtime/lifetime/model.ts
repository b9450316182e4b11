/**
 * A kernel's lifetime as the server reports it (`GET /colab/runtime/kernels/{id}/lifetime`), and
 * the pure decisions on it: what the status item says, when the page warns, when it looks again.
 * No DOM and no requests here, so every rule is tested alone (model.spec.ts).
 */

/** The server's answer (`KernelLifetime` in colab_ext/openapi.yaml). */
export interface IKernelLifetime {
  kernel_id: string;
  type: string | null;
  started: string;
  uptime_s: number;
  last_activity: string | null;
  execution_state: string | null;
  connections?: number;
  idle_timeout_s?: number | null;
  cull_interval_s?: number | null;
  idle_shutdown_in_s: number | null;
  max_lifetime_s?: number | null;
  lifetime_ends_in_s: number | null;
  extended?: boolean;
  can_extend: boolean;
  can_keep: boolean;
  warning_s: number;
  hub_idle_timeout_s?: number | null;
  hub_idle_shutdown_in_s?: number | null;
  /** The kernel runs on a gateway, which culls idle kernels by settings not visible here. */
  kernels_remote?: boolean;
}

/** Why a kernel went away, from the 404 of a kernel the culler or its lifetime ended. */
export interface IGoneKernel {
  reason: 'idle' | 'lifetime';
  message: string;
}

/** What would shut the kernel down first, and in how many seconds. */
export interface IShutdown {
  kind: 'idle' | 'lifetime' | 'hub';
  inS: number;
}

/** The translation function of a `TranslationBundle` (`trans.__`). */
export type Translate = (text: string, ...args: unknown[]) => string;

/** How long the status item waits between looks when nothing is near, in seconds. */
export const POLL_S = 30;

/** "45 s", "12 min", "1 h 5 min": an elapsed time, rounded down (never more than it was). */
export function formatUptime(seconds: number): string {
  if (seconds < 60) {
    return `${Math.max(0, Math.floor(seconds))} s`;
  }
  return hoursAndMinutes(Math.floor(seconds / 60));
}

/** "40 s", "60 min", "1 h 5 min": a time left, to the nearest minute above a minute and a half. */
export function formatCountdown(seconds: number): string {
  if (seconds < 90) {
    return `${Math.max(0, Math.round(seconds))} s`;
  }
  return hoursAndMinutes(Math.round(seconds / 60));
}

function hoursAndMinutes(totalMinutes: number): string {
  if (totalMinutes <= 60) {
    return `${totalMinutes} min`;
  }
  const hours = Math.floor(totalMinutes / 60);
  const minutes = totalMinutes % 60;
  return minutes ? `${hours} h ${minutes} min` : `${hours} h`;
}

/** Every shutdown ahead of the kernel, soonest first. */
export function shutdowns(view: IKernelLifetime): IShutdown[] {
  const ahead: IShutdown[] = [];
  if (view.idle_shutdown_in_s !== null) {
    ahead.push({ kind: 'idle', inS: view.idle_shutdown_in_s });
  }
  if (view.lifetime_ends_in_s !== null) {
    ahead.push({ kind: 'lifetime', inS: view.lifetime_ends_in_s });
  }
  const hub = view.hub_idle_shutdown_in_s;
  if (hub !== null && hub !== undefined) {
    ahead.push({ kind: 'hub', inS: hub });
  }
  return ahead.sort((a, b) => a.inS - b.inS);
}

/**
 * "up 1 h 5 min · auto-shutdown in 55 min": the uptime and the soonest shutdown, for the status
 * bar, where every word crowds JupyterLab's own items; `all` says every shutdown in full (its
 * tooltip: "… · idle shutdown in 55 min · maximum lifetime ends in 2 h").
 */
export function lifetimeSummary(
  view: IKernelLifetime,
  __: Translate,
  all = false
): string {
  const ahead = shutdowns(view);
  const parts = [__('up %1', formatUptime(view.uptime_s))];
  for (const shutdown of all ? ahead : ahead.slice(0, 1)) {
    parts.push(shutdownPhrase(shutdown, __, all));
  }
  if (all && view.kernels_remote) {
    parts.push(
      __('the gateway may shut it down when unused, by its own settings')
    );
  }
  return parts.join(' · ');
}

function shutdownPhrase(
  shutdown: IShutdown,
  __: Translate,
  long: boolean
): string {
  const when = formatCountdown(shutdown.inS);
  // The status bar's words leave out "idle": Galata (and so every browser test) waits for the
  // kernel with a case-blind "Idle" anywhere in the status bar, which must match one item only.
  switch (shutdown.kind) {
    case 'idle':
      return long
        ? __('idle shutdown in %1', when)
        : __('auto-shutdown in %1', when);
    case 'lifetime':
      return long
        ? __('maximum lifetime ends in %1', when)
        : __('ends in %1', when);
    case 'hub':
      return long
        ? __('JupyterHub may stop the server in %1', when)
        : __('hub stop in %1', when);
  }
}

/** The shutdown to warn about now (the soonest within the warning time), or null. */
export function dueWarning(view: IKernelLifetime): IShutdown | null {
  const soonest = shutdowns(view)[0];
  return soonest && soonest.inS <= view.warning_s ? soonest : null;
}

/** Whether "Keep running" can put this shutdown off (the server says what it allows). */
export function canKeep(view: IKernelLifetime, shutdown: IShutdown): boolean {
  if (!view.can_keep) {
    return false;
  }
  return shutdown.kind === 'lifetime' ? view.can_extend : true;
}

/** The warning's text. */
export function warningMessage(
  view: IKernelLifetime,
  shutdown: IShutdown,
  notebook: string,
  __: Translate
): string {
  const when = formatCountdown(shutdown.inS);
  switch (shutdown.kind) {
    case 'idle':
      return __(
        '%1: its kernel will be shut down in %2 if it stays idle, and its variables lost.',
        notebook,
        when
      );
    case 'lifetime':
      return __(
        '%1: its runtime reaches its maximum lifetime in %2; the kernel will then be shut down and its variables lost.',
        notebook,
        when
      );
    case 'hub':
      return __(
        '%1: this server may be stopped by JupyterHub in %2 if nothing is done.',
        notebook,
        when
      );
  }
}

/**
 * Seconds until the next look: every POLL_S, but sooner when a warning or a shutdown falls
 * before then, so the warning comes on time and a shutdown is explained right after.
 */
export function nextLookIn(view: IKernelLifetime): number {
  let wait = POLL_S;
  for (const { inS } of shutdowns(view)) {
    const untilWarning = inS - view.warning_s;
    if (untilWarning > 0) {
      wait = Math.min(wait, untilWarning + 1);
    } else {
      wait = Math.min(wait, inS + 2);
    }
  }
  return Math.max(1, wait);
}

/** The reason in a failed lifetime call's JSON body, when the kernel went for one. */
export function goneKernel(body: unknown): IGoneKernel | null {
  if (!body || typeof body !== 'object') {
    return null;
  }
  const { gone_reason: reason, gone_message: message } = body as Record<
    string,
    unknown
  >;
  if (
    (reason === 'idle' || reason === 'lifetime') &&
    typeof message === 'string'
  ) {
    return { reason, message };
  }
  return null;
}

/** About this runtime's rows for a notebook's kernel: [data-fact key, label, value]. */
export function lifetimeFacts(
  view: IKernelLifetime,
  __: Translate
): [string, string, string][] {
  let idle: string;
  if (view.idle_shutdown_in_s !== null) {
    idle = __(
      'in %1 if it stays idle',
      formatCountdown(view.idle_shutdown_in_s)
    );
  } else if (view.kernels_remote) {
    idle = __('decided by the cluster gateway (not visible from this server)');
  } else if (view.idle_timeout_s) {
    idle = __('not now: this server spares busy or connected kernels');
  } else {
    idle = __('never: this server does not shut idle kernels down');
  }
  let end = __('no maximum');
  if (view.lifetime_ends_in_s !== null && view.max_lifetime_s) {
    end = view.extended
      ? __(
          'in %1 (at most %2, extended once)',
          formatCountdown(view.lifetime_ends_in_s),
          formatCountdown(view.max_lifetime_s)
        )
      : __(
          'in %1 (at most %2)',
          formatCountdown(view.lifetime_ends_in_s),
          formatCountdown(view.max_lifetime_s)
        );
  }
  const facts: [string, string, string][] = [
    ['lifetime_uptime', __('Kernel up for'), formatUptime(view.uptime_s)],
    ['lifetime_idle', __('Idle shutdown'), idle],
    ['lifetime_end', __('Maximum lifetime'), end]
  ];
  const hub = view.hub_idle_shutdown_in_s;
  if (hub !== null && hub !== undefined) {
    facts.push([
      'lifetime_hub',
      __('JupyterHub idle stop'),
      __('in about %1 if nothing is done', formatCountdown(hub))
    ]);
  }
  return facts;
}
