import { z } from 'zod';
import { parseInstant } from '../domain/parse/instant.js';
import { parsePrice } from '../domain/parse/price.js';
import { parseQuantity } from '../domain/parse/quantity.js';
import { type Exchange, parseExchange } from '../domain/values.js';
import { parsedBy } from './parsed.js';

/** Fields several methods share, each read by the parser the command line uses for the same flag. */

/** A Kite order id: digits (the paper exchange's too). */
export const orderIdSchema = z.string().regex(/^[0-9]{1,24}$/, 'an order id is the digits Kite gave it');

/** A whole quantity above 0. */
export const quantitySchema = parsedBy<number, number>((v) => parseQuantity(v));

/** A price (or a trigger) above 0. */
export const priceSchema = parsedBy<number, number>((v) => parsePrice(v));

/** One of Kite's exchanges, in any case. */
export const exchangeFieldSchema = parsedBy<Exchange, Exchange>((v) => parseExchange(v));

/** An ISO instant with its offset, or a calendar date (its IST midnight); handlers get UTC ISO. */
export const sinceSchema = parsedBy<string, string>((v) => parseInstant(v));
