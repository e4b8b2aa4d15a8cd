/** HTML text and attribute escaping (both contexts: quotes included). */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

const MD_SPECIAL: Record<string, string> = {
  '\\': '&#92;',
  '`': '&#96;',
  '*': '&#42;',
  _: '&#95;',
  '[': '&#91;',
  ']': '&#93;',
  '(': '&#40;',
  ')': '&#41;',
  '~': '&#126;',
  '|': '&#124;',
  '#': '&#35;',
  '@': '&#64;',
  '!': '&#33;',
  ':': '&#58;',
};

/**
 * Text from the report placed in GitHub/GitLab Markdown (including table cells): rendered literally, never as
 * markup. HTML is escaped, Markdown punctuation and `|` become character references, `@` cannot mention anyone,
 * `#` cannot link an issue, `:` cannot make an autolink or emoji, and line breaks become <br>.
 */
export function mdText(text: string): string {
  return escapeHtml(text)
    .replace(/[\\`*_[\]()~|#@!:]/g, (c) => MD_SPECIAL[c]!)
    .replace(/\r\n?|\n/g, '<br>');
}

/** Like mdText, in a <code> span. */
export function mdCode(text: string): string {
  return `<code>${mdText(text)}</code>`;
}
