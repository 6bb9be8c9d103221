/**
 * ink hands a run of printable characters typed in one burst (a fast "jp", a paste) to
 * `useInput` as one string. A screen whose keys are single letters takes them one by one, in
 * the order they were typed.
 */
export function typedKeys(input: string): string[] {
  return input.length <= 1 ? [input] : Array.from(input);
}
