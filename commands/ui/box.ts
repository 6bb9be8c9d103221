/**
 * Boxes for people at a terminal: a titled frame around lines, with rules between blocks.
 * Widths are measured without colour codes.
 */

const ANSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g');

/** Width on screen: colour codes take none. */
export const visible = (s: string): number => s.replace(ANSI, '').length;
export const padEnd = (s: string, w: number): string => s + ' '.repeat(Math.max(0, w - visible(s)));

/** A line of the box, or a rule between blocks (null). */
export type BoxLine = string | null;

/** Lines inside a frame with a title in its top edge. */
export function frame(title: string, lines: readonly BoxLine[]): string {
  const inner = Math.max(visible(title) + 2, ...lines.map((l) => (l === null ? 0 : visible(l))));
  const out = [`┌─ ${title} ${'─'.repeat(Math.max(0, inner - visible(title) - 1))}┐`];
  for (const l of lines) out.push(l === null ? `├${'─'.repeat(inner + 2)}┤` : `│ ${padEnd(l, inner)} │`);
  out.push(`└${'─'.repeat(inner + 2)}┘`);
  return out.join('\n');
}

/** Text wrapped at `width` with `indent` before each continuation line. */
export function wrap(text: string, width: number, indent = '  '): string[] {
  const out: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    for (const word of paragraph.split(' ')) {
      const next = line === '' ? word : `${line} ${word}`;
      if (visible(next) > width && line !== '') {
        out.push(line);
        line = indent + word;
      } else line = next;
    }
    out.push(line);
  }
  return out;
}

/** Label and value pairs, the values lined up. */
export function labelled(rows: readonly [string, string][]): string[] {
  const width = Math.max(...rows.map(([k]) => visible(k)));
  return rows.map(([k, v]) => `${padEnd(k, width)}  ${v}`);
}
