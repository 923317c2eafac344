/** A tiny element builder, so the screens read like the markup they make. */

/** Attributes (`false`/`undefined` leave one out) and `on…` event listeners. */
export type Props = Record<string, string | number | boolean | undefined | ((event: Event) => void)>;

/** What can go inside an element: nodes, text, and nothing (`null`, `undefined`, `false`). */
export type Child = Node | string | null | undefined | false;

/**
 * Creates `<tag>` with `props` and `children`.
 *
 * @example
 * ```ts
 * h('button', { type: 'button', onclick: () => lock() }, 'Lock now');
 * ```
 */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, props: Props = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(props)) {
    if (typeof value === 'function') element.addEventListener(name.slice(2), value);
    else if (value === true) element.setAttribute(name, '');
    else if (value !== false && value !== undefined) element.setAttribute(name, String(value));
  }
  for (const child of children) {
    if (child !== null && child !== undefined && child !== false) element.append(child);
  }
  return element;
}

/** A `<dl>` of label → value rows. */
export function details(rows: ReadonlyArray<readonly [string, Child]>): HTMLDListElement {
  return h('dl', { class: 'details' }, ...rows.flatMap(([label, value]) => [h('dt', {}, label), h('dd', {}, value ?? '—')]));
}

/** Disables every button, input and select inside `root` while `work` runs. */
export async function whileBusy<T>(root: HTMLElement, work: () => Promise<T>): Promise<T> {
  const controls = [...root.querySelectorAll<HTMLButtonElement | HTMLInputElement | HTMLSelectElement>('button, input, select')].filter(
    (control) => !control.disabled,
  );
  root.setAttribute('aria-busy', 'true');
  for (const control of controls) control.disabled = true;
  try {
    return await work();
  } finally {
    root.removeAttribute('aria-busy');
    for (const control of controls) control.disabled = false;
  }
}
