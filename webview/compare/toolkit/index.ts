// Every use of @vscode/webview-ui-toolkit, which is deprecated upstream: buttons, dropdowns and checkboxes.
// Swapping it for @vscode-elements/elements or plain HTML means changing only this file.
import { provideVSCodeDesignSystem, vsCodeButton, vsCodeCheckbox, vsCodeDropdown, vsCodeOption } from '@vscode/webview-ui-toolkit';

provideVSCodeDesignSystem().register(vsCodeButton(), vsCodeCheckbox(), vsCodeDropdown(), vsCodeOption());

export interface ButtonOptions {
  appearance?: 'primary' | 'secondary' | 'icon';
  /** the accessible name when the label is a glyph */
  ariaLabel?: string;
  title?: string;
}

export function button(label: string, onClick: () => void, options: ButtonOptions = {}): HTMLElement {
  const element = document.createElement('vscode-button');
  element.textContent = label;
  element.setAttribute('appearance', options.appearance ?? 'secondary');
  if (options.ariaLabel) element.setAttribute('aria-label', options.ariaLabel);
  if (options.title) element.setAttribute('title', options.title);
  element.addEventListener('click', onClick);
  return element;
}

/** Calls `onChange` when the control's value really changed: the toolkit also fires `change` when set from code. */
function onValueChange<T>(element: HTMLElement, read: () => T, initial: T, onChange: (value: T) => void): void {
  let last = initial;
  element.addEventListener('change', () => {
    const value = read();
    if (value === last) return;
    last = value;
    onChange(value);
  });
}

export function checkbox(label: string, checked: boolean, onChange: (checked: boolean) => void): HTMLElement {
  const element = document.createElement('vscode-checkbox') as HTMLElement & { checked: boolean };
  element.textContent = label;
  element.checked = checked;
  onValueChange(element, () => element.checked, checked, onChange);
  return element;
}

export interface Choice {
  value: string;
  label: string;
}

export function dropdown(ariaLabel: string, choices: readonly Choice[], selected: string, onChange: (value: string) => void): HTMLElement {
  const element = document.createElement('vscode-dropdown') as HTMLElement & { value: string };
  element.setAttribute('aria-label', ariaLabel);
  for (const choice of choices) {
    const option = document.createElement('vscode-option');
    option.setAttribute('value', choice.value);
    option.textContent = choice.label;
    if (choice.value === selected) option.setAttribute('selected', '');
    element.append(option);
  }
  onValueChange(element, () => element.value, selected, onChange);
  return element;
}
