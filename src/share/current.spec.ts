import { Widget } from '@lumino/widgets';

import { notebookOf } from './current';

function documentWidget(path: string): Widget {
  const widget = new Widget();
  Object.assign(widget, {
    context: { path, model: { dirty: false }, save: async () => undefined }
  });
  return widget;
}

describe('notebookOf', () => {
  it('finds a notebook document', () => {
    expect(notebookOf(documentWidget('dir/a.ipynb'))?.context.path).toBe(
      'dir/a.ipynb'
    );
  });

  it('ignores other documents and plain widgets', () => {
    expect(notebookOf(documentWidget('notes.md'))).toBeNull();
    expect(notebookOf(new Widget())).toBeNull();
    expect(notebookOf(null)).toBeNull();
  });
});
