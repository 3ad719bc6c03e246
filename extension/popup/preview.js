// A small, safe Markdown renderer for the live preview: enough to show the
// answer as formatted text while it streams. Everything is escaped first;
// only the markup below becomes HTML.

const escape = (s) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);

function inline(text) {
  return escape(text)
    .replace(/`([^`]+)`/g, '<code>$1</code>')
    .replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>')
    .replace(/(^|[^*])\*([^*\s][^*]*)\*/g, '$1<em>$2</em>')
    .replace(/~~([^~]+)~~/g, '<del>$1</del>')
    .replace(/\[([^\]]+)\]\((https?:\/\/[^)\s]+)\)/g, '<a href="$2" target="_blank" rel="noopener">$1</a>');
}

/** Renders Markdown as preview HTML. */
export function renderPreview(md) {
  const out = [];
  const lines = md.replace(/\r\n?/g, '\n').split('\n');
  let list = null;
  let para = [];
  const closeList = () => {
    if (list) out.push(`</${list}>`);
    list = null;
  };
  const closePara = () => {
    if (para.length) out.push(`<p>${inline(para.join(' '))}</p>`);
    para = [];
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    let m;
    if ((m = line.match(/^\s*(```|~~~)(.*)$/))) {
      closePara();
      closeList();
      const code = [];
      for (i++; i < lines.length && !lines[i].trim().startsWith(m[1]); i++) code.push(lines[i]);
      out.push(`<pre><code>${escape(code.join('\n'))}</code></pre>`);
    } else if ((m = line.match(/^(#{1,6})\s+(.*)$/))) {
      closePara();
      closeList();
      const level = Math.min(m[1].length, 3);
      out.push(`<h${level}>${inline(m[2])}</h${level}>`);
    } else if ((m = line.match(/^\s*[-*+]\s+\[([ xX])\]\s+(.*)$/))) {
      closePara();
      if (list !== 'ul') {
        closeList();
        out.push('<ul>');
        list = 'ul';
      }
      out.push(`<li class="task">${m[1] === ' ' ? '☐' : '☑'} ${inline(m[2])}</li>`);
    } else if ((m = line.match(/^\s*([-*+]|\d+[.)])\s+(.*)$/))) {
      closePara();
      const kind = /\d/.test(m[1]) ? 'ol' : 'ul';
      if (list !== kind) {
        closeList();
        out.push(`<${kind}>`);
        list = kind;
      }
      out.push(`<li>${inline(m[2])}</li>`);
    } else if ((m = line.match(/^>\s?(.*)$/))) {
      closePara();
      closeList();
      out.push(`<blockquote>${inline(m[1])}</blockquote>`);
    } else if (/^\s*([-*_])(\s*\1){2,}\s*$/.test(line)) {
      closePara();
      closeList();
      out.push('<hr>');
    } else if (/^\s*\|.*\|\s*$/.test(line)) {
      closePara();
      closeList();
      if (/^\s*\|[\s:|-]+\|\s*$/.test(line)) continue;
      const cells = line.trim().slice(1, -1).split('|').map((c) => `<td>${inline(c.trim())}</td>`);
      out.push(`<table><tr>${cells.join('')}</tr></table>`);
    } else if (line.trim() === '') {
      closePara();
      closeList();
    } else {
      closeList();
      para.push(line.trim());
    }
  }
  closePara();
  closeList();
  return out.join('');
}
