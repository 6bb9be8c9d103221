import { isStrategyName, STRATEGY_NAME_RULE } from '../strategy-name.js';
import { invalid, isBlank, missing, type ParseError } from './error.js';

/** A strategy as a command or a request names it: its id (a number) or its name. */
export type StrategyRef = number | string;

const EXPECTED = `a strategy name (${STRATEGY_NAME_RULE}) or id`;

/**
 * A strategy reference: a positive whole number is the strategy's id, as is text of digits only
 * ("7"); any other text must be a strategy name. So a reference of digits always means an id.
 */
export function parseStrategyRef(value: unknown, field = 'strategy'): StrategyRef | ParseError {
  if (isBlank(value)) return missing(field, EXPECTED);
  if (typeof value === 'number')
    return Number.isSafeInteger(value) && value > 0 ? value : invalid(field, EXPECTED, value);
  if (typeof value !== 'string') return invalid(field, EXPECTED, value);
  const text = value.trim();
  if (/^\d+$/.test(text)) {
    const id = Number(text);
    return Number.isSafeInteger(id) && id > 0 ? id : invalid(field, EXPECTED, value, 'ids start at 1');
  }
  return isStrategyName(text) ? text : invalid(field, EXPECTED, value);
}
