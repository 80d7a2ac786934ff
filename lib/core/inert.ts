/**
 * Live strings (resource names, policy Sids, stack status reasons, AWS error
 * messages) reach the terminal through breakfix's text output. A control
 * character in one could move the cursor, clear the screen or rewrite an
 * earlier line (a forged PASS), so every text output shows them as visible
 * escapes instead: `\x1b`, `\r`. Newlines and tabs stay; JSON output is
 * escaped by JSON itself.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point.
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

export function inert(text: string): string {
  return text.replace(CONTROL, (c) => (c === '\r' ? '\\r' : `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`));
}
