/**
 * Adds the package's CSS to a document once. Uses a constructed stylesheet
 * (`document.adoptedStyleSheets`), which a Content-Security-Policy `style-src` without
 * `'unsafe-inline'` does not block, unlike an inline `<style>`; falls back to `<style>` where
 * constructable stylesheets are missing (Safari before 16.4).
 */
const adopted = new WeakMap<Document, Set<string>>();

/** Adds `css` to `doc` under `name`, unless already added. */
export function adoptStyles(doc: Document, name: string, css: string): void {
  let names = adopted.get(doc);
  if (!names) adopted.set(doc, (names = new Set()));
  if (names.has(name)) return;
  names.add(name);
  const view = doc.defaultView as (Window & { CSSStyleSheet?: typeof CSSStyleSheet }) | null;
  if (view?.CSSStyleSheet && 'adoptedStyleSheets' in doc && 'replaceSync' in view.CSSStyleSheet.prototype) {
    const sheet = new view.CSSStyleSheet();
    sheet.replaceSync(css);
    doc.adoptedStyleSheets = [...doc.adoptedStyleSheets, sheet];
    return;
  }
  const style = doc.createElement('style');
  style.dataset['identityVault'] = name;
  style.textContent = css;
  (doc.head ?? doc.documentElement).append(style);
}
