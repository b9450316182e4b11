/**
 * The prompt `userdata.get` shows when its notebook was not granted access to a secret, as
 * Colab's: grant (from now on, as the panel's switch) or not. Loaded when first needed.
 */
import { Dialog } from '@jupyterlab/apputils';
import { PathExt } from '@jupyterlab/coreutils';
import { TranslationBundle } from '@jupyterlab/translation';
import { Widget } from '@lumino/widgets';

import { IAccessRequest, SecretsApi } from './api';

/** The prompts on screen, by request id: each request is asked once per page. */
const open = new Map<string, Dialog<unknown>>();

/** Ask the user; resolves once answered (true when granted) or taken back. */
export async function promptForAccess(
  request: IAccessRequest,
  api: SecretsApi,
  trans: TranslationBundle
): Promise<boolean> {
  if (open.has(request.id)) {
    return false;
  }
  const notebook = PathExt.basename(request.path);
  const body = new Widget();
  body.addClass('jp-colab-SecretsPrompt');
  const detail = document.createElement('p');
  detail.className = 'jp-colab-SecretsPrompt-detail';
  detail.textContent = trans.__(
    'Code in %1 asked for the secret %2 with userdata.get. Granted, this notebook can read %2 ' +
      'from now on; switch that off any time in the Secrets panel (the key icon).',
    notebook,
    request.name
  );
  body.node.append(detail);
  const dialog = new Dialog({
    title: trans.__('Grant %1 access to secret %2?', notebook, request.name),
    body,
    buttons: [
      Dialog.cancelButton({ label: trans.__('Deny') }),
      Dialog.okButton({ label: trans.__('Grant access') })
    ],
    hasClose: false
  });
  dialog.addClass('jp-colab-SecretsPromptDialog');
  open.set(request.id, dialog);
  const result = await dialog.launch();
  const stillAsked = open.get(request.id) === dialog;
  open.delete(request.id);
  if (!stillAsked) {
    return false; // the kernel stopped waiting, or another page answered
  }
  const grant = result.button.accept;
  try {
    await api.answerRequest(request.id, grant);
  } catch {
    // Answered in another tab, or timed out meanwhile: the kernel already has its answer.
    return false;
  }
  return grant;
}

/** The kernel stopped waiting (answered elsewhere, timed out, interrupted): close the prompt. */
export function closePrompt(requestId: string): void {
  const dialog = open.get(requestId);
  if (dialog) {
    open.delete(requestId);
    dialog.reject();
  }
}
