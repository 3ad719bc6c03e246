// Small pieces every part of the popup uses: element lookup, busy buttons,
// relative times and the roving focus of lists that are one Tab stop.

/** The element with this id. */
export const $ = (id) => document.getElementById(id);

/** Makes an element with properties and children. */
export function h(tag, props = {}, ...children) {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children.filter((c) => c != null && c !== false));
  return node;
}

/**
 * Runs an async action with its button busy, refusing a second press. The
 * button stays focusable (aria-disabled, not disabled) so keyboard focus is
 * not lost while it works.
 */
export async function busy(button, action) {
  if (button.getAttribute('aria-disabled') === 'true') return;
  button.setAttribute('aria-disabled', 'true');
  button.setAttribute('aria-busy', 'true');
  try {
    await action();
  } finally {
    button.removeAttribute('aria-disabled');
    button.removeAttribute('aria-busy');
  }
}

const UNITS = [
  [60, 'second'],
  [60, 'minute'],
  [24, 'hour'],
  [7, 'day'],
  [Infinity, 'week'],
];

/** "just now", "5 min ago", "3 hours ago", "2 days ago". */
export function relativeTime(when, now = Date.now()) {
  let n = Math.max(0, Math.round((now - when) / 1000));
  if (n < 45) return 'just now';
  for (const [size, unit] of UNITS) {
    if (n < size) {
      if (unit === 'minute') return `${n} min ago`;
      return `${n} ${unit}${n === 1 ? '' : 's'} ago`;
    }
    n = Math.round(n / size);
  }
  return '';
}

/**
 * Makes a list one Tab stop: arrow keys, Home and End move between its
 * items, and the item last moved to is where Tab comes back to.
 */
export function roving(container, selector, { vertical = true } = {}) {
  const items = () => [...container.querySelectorAll(selector)].filter((i) => !i.closest('[hidden]'));
  const next = vertical ? 'ArrowDown' : 'ArrowRight';
  const prev = vertical ? 'ArrowUp' : 'ArrowLeft';
  container.addEventListener('keydown', (e) => {
    const list = items();
    const at = list.indexOf(document.activeElement);
    if (at < 0) return;
    let to = -1;
    if (e.key === next) to = Math.min(at + 1, list.length - 1);
    else if (e.key === prev) to = Math.max(at - 1, 0);
    else if (e.key === 'Home') to = 0;
    else if (e.key === 'End') to = list.length - 1;
    if (to < 0) return;
    e.preventDefault();
    focusItem(list, to);
  });
  container.addEventListener('focusin', (e) => {
    const list = items();
    if (list.includes(e.target)) list.forEach((i) => { i.tabIndex = i === e.target ? 0 : -1; });
  });
  return {
    /** Gives the first item (or the one last focused) the Tab stop. */
    reset() {
      const list = items();
      if (list.length && !list.some((i) => i.tabIndex === 0)) list[0].tabIndex = 0;
      list.forEach((i, n) => { if (n > 0 && i.tabIndex !== 0) i.tabIndex = -1; });
      const stops = list.filter((i) => i.tabIndex === 0);
      stops.slice(1).forEach((i) => { i.tabIndex = -1; });
    },
  };
}

function focusItem(list, index) {
  list.forEach((i, n) => { i.tabIndex = n === index ? 0 : -1; });
  list[index].focus();
  list[index].scrollIntoView({ block: 'nearest' });
}
