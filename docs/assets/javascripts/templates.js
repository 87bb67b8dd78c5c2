// The widget's markup lives once, in Jinja templates (overrides/diag/parts.html). The build renders
// them into <template data-diag-template="name"> elements inside #find-my-fix; this clones and fills
// them. Text goes in with textContent only, so engine text is never parsed as HTML.

/**
 * A fresh copy of a named template's first element.
 * @param {ParentNode} root the element holding the <template>s
 * @param {string} name
 * @returns {HTMLElement}
 */
export function clone(root, name) {
  const template = /** @type {HTMLTemplateElement | null} */ (root.querySelector(`template[data-diag-template="${name}"]`));
  if (!template) throw new Error(`the page has no "${name}" template`);
  const fragment = /** @type {DocumentFragment} */ (template.content.cloneNode(true));
  const element = fragment.firstElementChild;
  if (element && fragment.childElementCount === 1) return /** @type {HTMLElement} */ (element);
  const wrapper = document.createElement("div");
  wrapper.append(fragment);
  return wrapper;
}

/**
 * The element of a slot (`data-slot="name"`) inside `node`.
 * @param {ParentNode} node
 * @param {string} name
 * @returns {HTMLElement | null}
 */
export function slot(node, name) {
  const selector = `[data-slot="${name}"]`;
  if (node instanceof Element && node.matches(selector)) return /** @type {HTMLElement} */ (node);
  return node.querySelector(selector);
}

/**
 * Fill text slots; an empty value hides its slot (so an empty badge or note takes no room).
 * @param {ParentNode} node
 * @param {Record<string, string | null | undefined>} values
 */
export function fill(node, values) {
  for (const [name, value] of Object.entries(values)) {
    const target = slot(node, name);
    if (!target) continue;
    target.textContent = value ?? "";
    target.hidden = !value;
  }
}

/**
 * Fill a list slot with one <li> per text; hide `blockName`'s slot when there are none.
 * @param {ParentNode} node
 * @param {string} listName
 * @param {string[]} items
 * @param {string} [blockName]
 */
export function fillList(node, listName, items, blockName) {
  const list = slot(node, listName);
  if (list) {
    list.replaceChildren(
      ...items.map((text) => {
        const li = document.createElement("li");
        li.textContent = text;
        return li;
      }),
    );
  }
  const block = blockName ? slot(node, blockName) : list;
  if (block) block.hidden = items.length === 0;
}

/**
 * Replace `{name}` placeholders in a wording from diag.view.
 * @param {string} text
 * @param {Record<string, string>} [values]
 */
export function format(text, values = {}) {
  return text.replace(/\{(\w+)\}/g, (whole, name) => values[name] ?? whole);
}
