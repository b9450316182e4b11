/**
 * Tiny DOM helpers for the panel: elements with a class and text, and figures updated in place
 * (the panel refreshes every second; rebuilding it would swallow clicks and jump the focus).
 */

export function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className?: string,
  text?: string
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) {
    node.className = className;
  }
  if (text !== undefined) {
    node.textContent = text;
  }
  return node;
}

/** Set text (and a tooltip) only when it changed. */
export function setText(node: HTMLElement, text: string, title = ''): void {
  if (node.textContent !== text) {
    node.textContent = text;
  }
  if (node.title !== title) {
    node.title = title;
  }
}

/** A labelled figure (`<div><span label/><span value/><span chart/></div>`). */
export class Figure {
  constructor(label: string, key: string) {
    this.node = element('div', 'jp-colab-Figure');
    this.node.dataset.figure = key;
    this.node.append(
      element('span', 'jp-colab-Figure-label', label),
      this.value,
      this.chart
    );
  }

  /** Show `text`; when `missing` says why a value is absent, show "n/a" with that reason. */
  set(text: string | null, missing?: string): void {
    if (text === null) {
      setText(this.value, 'n/a', missing ?? '');
      this.value.classList.add('jp-mod-missing');
    } else {
      setText(this.value, text);
      this.value.classList.remove('jp-mod-missing');
    }
  }

  /** Replace the small chart. */
  draw(chart: SVGSVGElement | null): void {
    this.chart.replaceChildren(...(chart ? [chart] : []));
  }

  readonly node: HTMLDivElement;
  readonly value = element('span', 'jp-colab-Figure-value');
  readonly chart = element('span', 'jp-colab-Figure-chart');
}
