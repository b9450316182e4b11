import type { TranslationBundle } from '@jupyterlab/translation';

import { CellView, FormView } from './formView';
import { IParamField, parseForm } from './parser';

// JupyterLab's packages ship ES modules this jest setup does not compile: a stand-in wrapper.
jest.mock('@jupyterlab/ui-components', () => ({
  Styling: {
    wrapSelect: (node: HTMLSelectElement) => {
      const wrapper = document.createElement('div');
      wrapper.append(node);
      return wrapper;
    }
  }
}));

const trans = { __: (text: string) => text } as unknown as TranslationBundle;

const SOURCE = [
  '#@title Settings { display-mode: "form" }',
  '#@markdown Some **text**',
  'model = "base" #@param ["base", "large"]',
  'steps = 100 #@param {type:"slider", min:10, max:1000, step:10}',
  'gpu = True #@param {type:"boolean"}',
  'name = "a" #@param {type:"string"}'
].join('\n');

function setup() {
  const commits: [string, string | boolean][] = [];
  const toggles: CellView[] = [];
  const undos: boolean[] = [];
  const view = new FormView({
    trans,
    rendermime: null,
    commit: (field: IParamField, input) => {
      commits.push([field.name, input]);
      return input !== 'bad';
    },
    toggle: next => toggles.push(next),
    undo: redo => undos.push(redo)
  });
  document.body.append(view.node);
  view.render(parseForm(SOURCE)!, 'form');
  const control = (name: string) =>
    [...view.node.querySelectorAll('label')]
      .find(label => label.textContent === name)!
      .parentElement!.querySelector('input, select') as HTMLInputElement;
  return { view, commits, toggles, undos, control };
}

function change(element: HTMLElement) {
  element.dispatchEvent(new Event('change', { bubbles: true }));
}

describe('FormView', () => {
  afterEach(() => {
    document.body.replaceChildren();
  });

  it('shows the title, markdown, fields and the code toggle', () => {
    const { view, control, toggles } = setup();
    expect(view.node.querySelector('.jp-colab-Form-title')?.textContent).toBe(
      'Settings'
    );
    expect(
      view.node.querySelector('.jp-colab-Form-markdown')?.textContent
    ).toBe('Some **text**');
    expect((control('model') as unknown as HTMLSelectElement).value).toBe(
      'base'
    );
    expect(control('steps').type).toBe('range');
    expect(control('steps').value).toBe('100');
    expect(control('gpu').checked).toBe(true);
    expect(control('name').value).toBe('a');
    const toggle = view.node.querySelector('button')!;
    expect(toggle.textContent).toBe('Show code');
    toggle.click();
    expect(toggles).toEqual(['both']);
  });

  it('commits changes and marks refused values', () => {
    const { commits, control } = setup();
    const select = control('model') as unknown as HTMLSelectElement;
    select.value = 'large';
    change(select);
    control('gpu').checked = false;
    change(control('gpu'));
    const name = control('name');
    name.value = 'bad';
    change(name);
    expect(commits).toEqual([
      ['model', 'large'],
      ['gpu', false],
      ['name', 'bad']
    ]);
    expect(name.classList.contains('jp-mod-invalid')).toBe(true);
  });

  it('updates values in place, but not the control being edited', () => {
    const { view, control } = setup();
    const name = control('name');
    name.focus();
    name.value = 'typing';
    view.render(
      parseForm(SOURCE.replace('100 #', '200 #').replace('"a" #', '"b" #'))!,
      'both'
    );
    expect(control('name')).toBe(name);
    expect(name.value).toBe('typing');
    expect(control('steps').value).toBe('200');
    expect(view.node.querySelector('button')?.textContent).toBe('Hide code');
  });

  it('rebuilds when the fields change, and hides them in code view', () => {
    const { view, control } = setup();
    const before = control('name');
    view.render(parseForm(SOURCE.replace('name =', 'title ='))!, 'code');
    expect(control('title')).not.toBe(before);
    expect(view.node.querySelector('fieldset')?.hidden).toBe(true);
    expect(view.node.querySelector('button')?.textContent).toBe('Show form');
  });

  it('sends Ctrl+Z to the cell, unless a text field has typing to undo', () => {
    const { undos, control } = setup();
    const press = (element: HTMLElement, shiftKey = false) =>
      element.dispatchEvent(
        new KeyboardEvent('keydown', {
          key: 'z',
          ctrlKey: true,
          shiftKey,
          bubbles: true
        })
      );
    press(control('gpu'));
    press(control('gpu'), true);
    const name = control('name');
    press(name);
    name.value = 'typed';
    press(name);
    expect(undos).toEqual([false, true, false]);
  });

  it('disables the fields of a read-only cell', () => {
    const { view } = setup();
    view.render(parseForm(SOURCE)!, 'form', true);
    expect(view.node.querySelector('fieldset')?.disabled).toBe(true);
  });
});
