// Draws Notion blocks, exactly as the engine makes them for the writer, as
// they will look in Notion. One tree, two renderers: the page gets the
// blocks, the preview gets this picture of them. Every text goes in as
// text, never as HTML.

const el = (tag, className, ...children) => {
  const node = document.createElement(tag);
  if (className) node.className = className;
  node.append(...children);
  return node;
};

const COLORS = new Set(['gray', 'brown', 'orange', 'yellow', 'green', 'blue', 'purple', 'pink', 'red']);

function colorClass(color) {
  if (!color || color === 'default') return '';
  const [name, bg] = color.split('_');
  return COLORS.has(name) ? `c-${name}${bg === 'background' ? '-bg' : ''}` : '';
}

/** Draws a rich-text array: annotations, links and inline equations. */
export function richText(items = []) {
  const frag = document.createDocumentFragment();
  for (const item of items) {
    let node;
    if (item.type === 'equation') {
      node = el('span', 'equation-inline', item.equation?.expression ?? '');
    } else if (item.type === 'mention') {
      node = el('span', 'mention', item.plain_text ?? '');
    } else {
      node = document.createTextNode(item.text?.content ?? item.plain_text ?? '');
    }
    const a = item.annotations ?? {};
    if (a.code) node = el('code', '', node);
    if (a.bold) node = el('strong', '', node);
    if (a.italic) node = el('em', '', node);
    if (a.strikethrough) node = el('s', '', node);
    if (a.underline) node = el('u', '', node);
    const color = colorClass(a.color);
    if (color) node = el('span', color, node);
    const href = item.text?.link?.url ?? item.href;
    if (href) {
      const link = el('a', '', node);
      link.href = href;
      link.target = '_blank';
      link.rel = 'noopener';
      node = link;
    }
    frag.append(node);
  }
  return frag;
}

function body(block) {
  return block[block.type] ?? {};
}

function children(block) {
  return body(block).children ?? block.children ?? [];
}

function withChildren(node, block) {
  const kids = children(block);
  if (kids.length) node.append(el('div', 'children', renderBlocks(kids)));
  return node;
}

const DRAW = {
  paragraph: (b) => withChildren(el('p', colorClass(body(b).color), richText(body(b).rich_text)), b),
  heading_1: (b) => heading('h1', b),
  heading_2: (b) => heading('h2', b),
  heading_3: (b) => heading('h3', b),
  heading_4: (b) => heading('h4', b),
  bulleted_list_item: (b) => withChildren(el('li', '', richText(body(b).rich_text)), b),
  numbered_list_item: (b) => withChildren(el('li', '', richText(body(b).rich_text)), b),
  to_do: (b) => {
    const box = el('span', body(b).checked ? 'check checked' : 'check', body(b).checked ? '✓' : '');
    box.setAttribute('aria-hidden', 'true');
    const text = el('span', body(b).checked ? 'done' : '', richText(body(b).rich_text));
    return withChildren(el('div', 'todo', box, text), b);
  },
  toggle: (b) => {
    const d = el('details', 'toggle', el('summary', '', richText(body(b).rich_text)));
    d.append(renderBlocks(children(b)));
    return d;
  },
  quote: (b) => withChildren(el('blockquote', '', richText(body(b).rich_text)), b),
  callout: (b) => {
    const icon = el('span', 'callout-icon', body(b).icon?.emoji ?? '💡');
    icon.setAttribute('aria-hidden', 'true');
    const content = withChildren(el('div', 'callout-text', richText(body(b).rich_text)), b);
    return el('div', `callout ${colorClass(body(b).color) || 'c-gray-bg'}`, icon, content);
  },
  code: (b) => {
    const pre = el('pre', 'code', el('code', '', richText(body(b).rich_text)));
    const lang = body(b).language;
    if (lang && lang !== 'plain text') pre.prepend(el('span', 'code-lang', lang));
    return pre;
  },
  equation: (b) => el('div', 'equation', body(b).expression ?? ''),
  divider: () => el('hr'),
  table: (b) => {
    const rows = children(b);
    const table = el('table');
    rows.forEach((row, i) => {
      const header = i === 0 && body(b).has_column_header;
      const tr = el('tr');
      for (const cell of row.table_row?.cells ?? []) tr.append(el(header ? 'th' : 'td', '', richText(cell)));
      table.append(tr);
    });
    return el('div', 'table-wrap', table);
  },
  image: (b) => media('🖼️', b),
  bookmark: (b) => media('🔗', b),
  embed: (b) => media('🔗', b),
  video: (b) => media('🎬', b),
  file: (b) => media('📎', b),
  pdf: (b) => media('📄', b),
};

function heading(tag, b) {
  const h = el(tag, colorClass(body(b).color), richText(body(b).rich_text));
  if (!body(b).is_toggleable) return h;
  const d = el('details', 'toggle', el('summary', '', h));
  d.append(renderBlocks(children(b)));
  return d;
}

function media(icon, b) {
  const data = body(b);
  const url = data.external?.url ?? data.file?.url ?? data.url ?? '';
  const caption = data.caption?.length ? richText(data.caption) : document.createTextNode(url);
  const link = el('a', '', caption);
  link.href = url;
  link.target = '_blank';
  link.rel = 'noopener';
  return el('p', 'media', `${icon} `, link);
}

const LISTS = { bulleted_list_item: 'ul', numbered_list_item: 'ol' };

/** Draws a list of blocks; runs of list items become one list. */
export function renderBlocks(blocks = []) {
  const frag = document.createDocumentFragment();
  let list = null;
  let listType = '';
  for (const block of blocks) {
    const draw = DRAW[block.type];
    const node = draw ? draw(block) : el('p', 'unknown', `[${block.type ?? 'block'}]`);
    if (LISTS[block.type]) {
      if (listType !== block.type) {
        list = el(LISTS[block.type]);
        listType = block.type;
        frag.append(list);
      }
      list.append(node);
    } else {
      list = null;
      listType = '';
      frag.append(node);
    }
  }
  return frag;
}

const FENCE = /^\s*(```|~~~)/;
const ONLY_SYNTAX = /^\s*(\d+[.)])?[\s#>*_`~|\-+[\]:!=$]*$/;

/**
 * The Markdown not yet settled into blocks, as a person reads it: the
 * syntax of what is still being written is left out, so a "- [" or an
 * opening code fence never flickers in the preview before its block
 * settles. Lines inside a code fence are shown as they are.
 */
export function readableTail(markdown = '') {
  const out = [];
  let inFence = false;
  for (const line of String(markdown).split('\n')) {
    if (FENCE.test(line)) {
      inFence = !inFence;
      continue;
    }
    if (inFence) {
      out.push(line);
      continue;
    }
    if (ONLY_SYNTAX.test(line)) continue;
    const text = line
      .replace(/^\s*(>\s?)+(\[![A-Za-z]*\]?)?/, '')
      .replace(/^\s*#{1,6}(\s|$)/, '')
      .replace(/^\s*([-*+]|\d+[.)])(\s+\[[ xX]?\]?)?(\s|$)/, '')
      .replace(/^\s*\|\s*|\s*\|\s*$/g, '')
      .replace(/\s*\|\s*/g, '  ')
      .replace(/!?\[([^\]]*)\](\([^)]*\)?)?/g, '$1')
      .replace(/!?\[([^\]]*)$/, '$1')
      .replace(/\*\*|__|~~|`|\$\$/g, '')
      .replace(/(^|\s)[*_]+(?=\S)|(?<=\S)[*_]+(?=\s|$)/g, '$1')
      .trim();
    if (text) out.push(text);
  }
  return out.join('\n');
}
