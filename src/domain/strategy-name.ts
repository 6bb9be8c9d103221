/**
 * What a strategy may be called: a short identifier, so that it works unquoted in a shell and
 * fits in an order's tag. The one definition, used by the schema that creates strategies and
 * by every parser of a strategy reference.
 */
export const STRATEGY_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$/;

/** The rule in words, for messages. */
export const STRATEGY_NAME_RULE = '1-32 letters, digits, _ or -, starting with a letter or digit';

/** True for a valid strategy name. */
export function isStrategyName(text: string): boolean {
  return STRATEGY_NAME_PATTERN.test(text);
}

/** The strategy that receives every order no other strategy claims. It always exists. */
export const DEFAULT_STRATEGY = 'default';
