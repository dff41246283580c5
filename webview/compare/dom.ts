// Building DOM from data without HTML: every text goes in through textContent or an attribute value, so a
// run name, param, tag or metric key is always shown as text and never parsed as markup.

type Child = Node | string | null | undefined | false;

export interface Props {
  class?: string;
  title?: string;
  [attribute: `aria-${string}` | `data-${string}`]: string | undefined;
  role?: string;
  scope?: string;
  colspan?: string;
  tabindex?: string;
  type?: string;
  id?: string;
}

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, props: Props = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  setProps(element, props);
  element.append(...children.filter((c): c is Node | string => c !== null && c !== undefined && c !== false));
  return element;
}

export function setProps(element: Element, props: Props): void {
  for (const [name, value] of Object.entries(props)) {
    if (value !== undefined) element.setAttribute(name, value);
  }
}

const SVG = 'http://www.w3.org/2000/svg';

export function svg<K extends keyof SVGElementTagNameMap>(tag: K, attributes: Record<string, string | number> = {}, text?: string): SVGElementTagNameMap[K] {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, String(value));
  if (text !== undefined) element.textContent = text;
  return element;
}

/** Text only screen readers read. */
export const srOnly = (text: string): HTMLSpanElement => el('span', { class: 'sr-only' }, text);
