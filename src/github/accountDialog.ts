/**
 * File > GitHub Account…: connect with a token (checked by the server, stored there, never
 * shown again) or GitHub's device flow; see who is connected; disconnect.
 */
import {
  Dialog,
  Notification,
  showDialog,
  showErrorMessage
} from '@jupyterlab/apputils';
import { TranslationBundle } from '@jupyterlab/translation';
import { Widget } from '@lumino/widgets';

import { GitHubApi, IGitHubAccount } from './api';
import { field, link, paragraph, problemArea, textInput } from './form';

/** The dialog's body: the account's state, and the ways to connect. */
class AccountBody extends Widget {
  readonly token: HTMLInputElement;
  private poll = 0;

  constructor(
    private readonly api: GitHubApi,
    private account: IGitHubAccount,
    private trans: TranslationBundle
  ) {
    super();
    this.addClass('jp-colab-GitHub');
    this.addClass('jp-colab-GitHubAccount');
    this.token = textInput('', 'ghp_… or github_pat_…', 'password');
    this.token.autocomplete = 'off';
    this.render();
  }

  getValue(): string {
    return this.token.value;
  }

  dispose(): void {
    window.clearInterval(this.poll);
    super.dispose();
  }

  private render(): void {
    const { account, trans } = this;
    const node = this.node;
    node.replaceChildren();
    if (account.connected) {
      const who = paragraph(
        trans.__('Connected to GitHub as %1', account.login ?? '?'),
        'jp-colab-GitHub-connected'
      );
      node.append(who);
      if (account.scopes && account.scopes.length) {
        node.append(
          paragraph(trans.__('Token scopes: %1', account.scopes.join(', ')))
        );
      }
      if (account.missing_scopes && account.missing_scopes.length) {
        node.append(
          paragraph(
            trans.__(
              'The token lacks %1: saving to private repositories or gists may fail.',
              account.missing_scopes.join(', ')
            ),
            'jp-colab-GitHub-problem'
          )
        );
      }
      if (account.source === 'environment') {
        node.append(
          paragraph(
            trans.__(
              'The token comes from $GITHUB_TOKEN in the server environment; disconnecting cannot remove it.'
            )
          )
        );
      }
      return;
    }
    if (account.problem) {
      node.append(paragraph(account.problem, 'jp-colab-GitHub-problem'));
    }
    const create = `${account.web_url.replace(/\/$/, '')}/settings/tokens/new?scopes=repo,gist&description=colab-ext`;
    node.append(
      paragraph(
        trans.__(
          'Paste a GitHub personal access token. It is checked with GitHub, stored on this server with owner-only permissions, and never sent back to the browser.'
        )
      ),
      field(trans.__('Token'), this.token),
      link(trans.__('Create a token with the repo and gist scopes'), create)
    );
    if (account.device_flow_available) {
      const button = document.createElement('button');
      button.className = 'jp-mod-styled jp-mod-reject jp-colab-GitHub-device';
      button.textContent = trans.__('Sign in on GitHub with a code instead');
      button.onclick = () => void this.startDeviceFlow(button);
      node.append(button);
    }
  }

  private async startDeviceFlow(button: HTMLButtonElement): Promise<void> {
    const area = problemArea();
    button.replaceWith(area);
    try {
      const flow = await this.api.startDeviceFlow();
      area.className = 'jp-colab-GitHub-deviceCode';
      area.replaceChildren(
        paragraph(this.trans.__('Enter this code on GitHub:')),
        paragraph(flow.user_code, 'jp-colab-GitHub-code'),
        link(flow.verification_uri, flow.verification_uri)
      );
      window.open(flow.verification_uri, '_blank', 'noopener');
      this.poll = window.setInterval(() => void this.checkDevice(area), 2000);
    } catch (error) {
      area.textContent = (error as Error).message;
    }
  }

  private async checkDevice(area: HTMLElement): Promise<void> {
    const account = await this.api.account();
    if (account.connected) {
      window.clearInterval(this.poll);
      this.account = account;
      this.render();
    } else if (account.device?.state === 'failed') {
      window.clearInterval(this.poll);
      area.textContent = account.device.message ?? '';
    }
  }
}

/** Show the account dialog; resolves to the account afterwards (connected or not). */
export async function showAccountDialog(
  api: GitHubApi,
  trans: TranslationBundle
): Promise<IGitHubAccount | null> {
  let account: IGitHubAccount;
  try {
    account = await api.account();
  } catch (error) {
    await showErrorMessage(trans.__('GitHub'), error as Error);
    return null;
  }
  const body = new AccountBody(api, account, trans);
  const buttons = account.connected
    ? [
        Dialog.cancelButton({ label: trans.__('Close') }),
        Dialog.warnButton({ label: trans.__('Disconnect') })
      ]
    : [Dialog.cancelButton(), Dialog.okButton({ label: trans.__('Connect') })];
  const result = await showDialog({
    title: trans.__('GitHub account'),
    body,
    buttons,
    focusNodeSelector: 'input'
  });
  try {
    if (account.connected && result.button.displayType === 'warn') {
      await api.disconnect();
      Notification.info(trans.__('Disconnected from GitHub.'), {
        autoClose: 4000
      });
      return await api.account();
    }
    if (!account.connected && result.button.accept) {
      const fresh = await api.account();
      if (fresh.connected || !result.value) {
        return fresh; // connected meanwhile through the device flow
      }
      const connected = await api.connect(result.value);
      Notification.success(
        trans.__('Connected to GitHub as %1.', connected.login ?? '?'),
        { autoClose: 4000 }
      );
      return connected;
    }
  } catch (error) {
    await showErrorMessage(trans.__('GitHub'), error as Error);
  }
  return account;
}

/** The account if connected, else the connect dialog first; null when the user gives up. */
export async function ensureConnected(
  api: GitHubApi,
  trans: TranslationBundle
): Promise<IGitHubAccount | null> {
  try {
    const account = await api.account();
    if (account.connected) {
      return account;
    }
  } catch (error) {
    await showErrorMessage(trans.__('GitHub'), error as Error);
    return null;
  }
  const account = await showAccountDialog(api, trans);
  return account?.connected ? account : null;
}
