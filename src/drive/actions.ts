/**
 * What the Drive commands do. Loaded lazily, so JupyterLab starts as fast with colab-ext.
 */
import {
  Clipboard,
  Dialog,
  Notification,
  showDialog,
  showErrorMessage
} from '@jupyterlab/apputils';
import { PathExt } from '@jupyterlab/coreutils';
import type { TranslationBundle } from '@jupyterlab/translation';
import { copyIcon } from '@jupyterlab/ui-components';
import { Widget } from '@lumino/widgets';

import { withProgress } from '../notify';
import { DriveApi, IDriveJob, IDriveStatus } from './api';
import { pickInDrive } from './picker';
import { jobFraction, jobMessage } from './progress';

const POLL_MS = 400;
const CONNECT_WAIT_MS = 5 * 60 * 1000;

function sleep(ms: number): Promise<void> {
  return new Promise(resolve => setTimeout(resolve, ms));
}

/** Follow a transfer in a notification with progress and a Cancel action. */
export async function followJob(
  api: DriveApi,
  job: IDriveJob,
  trans: TranslationBundle
): Promise<IDriveJob> {
  const id = Notification.emit(jobMessage(job), 'in-progress', {
    autoClose: false,
    progress: jobFraction(job),
    actions: [
      {
        label: trans.__('Cancel'),
        callback: event => {
          event.preventDefault();
          void api.cancel(job.id);
        }
      }
    ]
  });
  while (job.state === 'running') {
    await sleep(POLL_MS);
    job = await api.job(job.id);
    Notification.update({
      id,
      message: jobMessage(job),
      progress: jobFraction(job)
    });
  }
  Notification.update({
    id,
    message: jobMessage(job),
    type:
      job.state === 'done'
        ? 'success'
        : job.state === 'failed'
          ? 'error'
          : 'info',
    progress: undefined,
    actions: [],
    autoClose: job.state === 'failed' ? false : 5000
  });
  return job;
}

/** The redirect URI to register, exactly as the server sends it, with a Copy button. */
function redirectUriRow(uri: string, trans: TranslationBundle): HTMLElement {
  const row = document.createElement('div');
  row.className = 'jp-colab-DriveClient-redirect';
  const code = document.createElement('code');
  code.textContent = uri;
  const copy = document.createElement('button');
  copy.type = 'button';
  copy.className = 'jp-Button jp-mod-minimal jp-colab-DriveClient-copy';
  copy.title = trans.__('Copy the redirect URI');
  copy.setAttribute('aria-label', copy.title);
  copy.append(copyIcon.element({ tag: 'span' }));
  copy.onclick = () => {
    Clipboard.copyToSystem(uri);
    Notification.info(trans.__('Copied the redirect URI.'), {
      autoClose: 3000
    });
  };
  row.append(code, copy);
  return row;
}

async function readClientFile(
  status: IDriveStatus,
  trans: TranslationBundle
): Promise<unknown | null> {
  const body = new Widget();
  body.addClass('jp-colab-DriveClient');
  const intro = document.createElement('p');
  intro.textContent = trans.__(
    'This server has no OAuth client for Google Drive yet. In the Google Cloud console, create an OAuth client ID of type "Web application" with the redirect URI below, download its JSON, and choose it here. You do this once.'
  );
  const admin = document.createElement('p');
  admin.className = 'jp-colab-DriveClient-admin';
  admin.textContent = trans.__(
    "An administrator can set one up for everyone on this server instead (c.ColabExt.drive_client_secrets_file; see colab-ext's docs/drive-oauth.md)."
  );
  const input = document.createElement('input');
  input.type = 'file';
  input.accept = '.json,application/json';
  input.setAttribute('aria-label', trans.__('OAuth client JSON'));
  body.node.append(
    intro,
    redirectUriRow(status.redirect_uri, trans),
    input,
    admin
  );
  const result = await showDialog({
    title: trans.__('Set up Google Drive'),
    body,
    buttons: [
      Dialog.cancelButton(),
      Dialog.okButton({ label: trans.__('Use this client') })
    ]
  });
  const file = input.files?.[0];
  if (!result.button.accept || !file) {
    return null;
  }
  return JSON.parse(await file.text());
}

/** Connect: the OAuth client (once), then Google's consent page in a popup. */
export async function connectDrive(
  api: DriveApi,
  status: IDriveStatus,
  trans: TranslationBundle
): Promise<IDriveStatus | null> {
  if (status.credential_kind === 'oauth' && !status.client_source) {
    const client = await readClientFile(status, trans);
    if (client === null) {
      return null;
    }
    await api.uploadClient(client);
  }
  const { auth_url } = await api.connect();
  const popup = window.open(
    auth_url,
    'colab-drive-connect',
    'width=520,height=640'
  );
  if (!popup) {
    window.location.assign(auth_url); // popups blocked: the callback brings this tab back
    return null;
  }
  // The callback page tells us when it is done (and closes itself); polling covers a
  // popup that cannot reach its opener.
  let signalled: () => void = () => undefined;
  const onMessage = (event: MessageEvent) => {
    if (
      event.origin === window.location.origin &&
      event.data === 'colab-drive-connected'
    ) {
      signalled();
    }
  };
  window.addEventListener('message', onMessage);
  try {
    const deadline = Date.now() + CONNECT_WAIT_MS;
    while (Date.now() < deadline) {
      await Promise.race([
        sleep(1000),
        new Promise<void>(resolve => (signalled = resolve))
      ]);
      const now = await api.status();
      if (now.connected) {
        const who = now.account?.email ?? trans.__('your account');
        Notification.success(
          trans.__('Connected to Google Drive as %1.', who),
          {
            autoClose: 5000
          }
        );
        return now;
      }
      if (popup.closed) {
        break;
      }
    }
  } finally {
    window.removeEventListener('message', onMessage);
  }
  Notification.warning(trans.__('Google Drive was not connected.'), {
    autoClose: 5000
  });
  return null;
}

export async function disconnectDrive(
  api: DriveApi,
  trans: TranslationBundle
): Promise<void> {
  const answer = await showDialog({
    title: trans.__('Disconnect Google Drive?'),
    body: trans.__(
      'The mount is flushed and removed, and the server forgets and revokes its access to your Drive.'
    ),
    buttons: [
      Dialog.cancelButton(),
      Dialog.warnButton({ label: trans.__('Disconnect') })
    ]
  });
  if (answer.button.accept) {
    await api.disconnect();
    Notification.info(trans.__('Google Drive is disconnected.'), {
      autoClose: 5000
    });
  }
}

/** Mount, or say why FUSE is missing and how to enable it. */
export async function mountDrive(
  api: DriveApi,
  status: IDriveStatus,
  trans: TranslationBundle
): Promise<string | null> {
  if (!status.fuse.available) {
    await showErrorMessage(
      trans.__('Drive cannot be mounted on this server'),
      `${status.fuse.problem ?? ''}\n\n${status.fuse.how_to_enable ?? ''}`
    );
    return null;
  }
  try {
    const mount = await withProgress(
      trans.__('Mounting Google Drive…'),
      api.mount(),
      mount => ({
        message: trans.__(
          'Google Drive is mounted at %1.',
          mount.path ?? mount.mountpoint
        )
      }),
      { failure: 'show' }
    );
    return mount.path;
  } catch {
    return null; // the notification says why
  }
}

/** Unmount, saying which uploads it waits for first. */
export async function unmountDrive(
  api: DriveApi,
  status: IDriveStatus,
  trans: TranslationBundle
): Promise<void> {
  const pending = status.mounts.flatMap(m =>
    m.pending_uploads.map(u => u.path)
  );
  const waiting = pending.length
    ? trans.__(
        'Waiting for %1 upload(s) to finish: %2',
        pending.length,
        pending.join(', ')
      )
    : trans.__('Unmounting Google Drive…');
  try {
    await withProgress(
      waiting,
      api.unmount(),
      result => {
        const left = result.unflushed.map(u => u.path);
        return left.length
          ? {
              type: 'warning',
              message: trans.__(
                'Unmounted; these uploads did not finish: %1',
                left.join(', ')
              )
            }
          : {
              message: trans.__(
                'Google Drive is unmounted; every change is in Drive.'
              )
            };
      },
      { failure: 'show' }
    );
  } catch {
    // the notification says why
  }
}

/** Pick a Drive file and copy it into `folder` on the server; the path, when done. */
export async function openFromDrive(
  api: DriveApi,
  folder: string,
  trans: TranslationBundle
): Promise<string | null> {
  const picked = await pickInDrive(
    api,
    'file',
    trans.__('Open from Drive'),
    trans.__('Open'),
    trans
  );
  if (!picked?.file) {
    return null;
  }
  const job = await followJob(
    api,
    await api.open(picked.file.id, folder),
    trans
  );
  return job.state === 'done' ? job.path : null;
}

/** Pick a Drive folder and upload each server file there as a new file; one file gets the
 * name the user gives it (the file's own, to start with). */
export async function saveToDrive(
  api: DriveApi,
  paths: string[],
  title: string,
  trans: TranslationBundle
): Promise<void> {
  const picked = await pickInDrive(
    api,
    'folder',
    title,
    trans.__('Save here'),
    trans,
    paths.length === 1 ? PathExt.basename(paths[0]) : undefined
  );
  if (!picked) {
    return;
  }
  for (const path of paths) {
    const name = picked.name ?? undefined;
    const job = await followJob(
      api,
      await api.save(path, picked.folder.id, name),
      trans
    );
    if (job.state !== 'done') {
      break;
    }
  }
}
